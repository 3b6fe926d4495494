/** The standalone relay's link (LINK_* settings), started once the relay listens. */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cleanNickname } from '../../protocol/index';
import { userIdFromKey } from '../../protocol/identity';
import type { StandaloneConfig } from '../config';
import type { Logger } from '../logger';
import type { Relay } from '../relay';
import { linkKey, parseLinkRooms, startLink, type Link } from './index';

export async function standaloneLink(config: StandaloneConfig, relay: Relay, log: Logger, tlsCert: string | undefined): Promise<Link | undefined> {
  if (config.linkUrl === undefined || config.linkRooms === undefined) return undefined;
  const dir = config.dataDir === ':memory:' ? undefined : join(config.dataDir, 'link');
  const remoteUrl = new URL(config.linkUrl);
  const key = await linkKey(config.linkKey, dir);
  const link = await startLink({
    // The link reaches this relay over loopback whatever address it serves the LAN on.
    local: { url: localUrl(relay), ...(config.joinCode ? { joinCode: config.joinCode } : {}), ...(tlsCert ? { ca: tlsCert } : {}) },
    remote: { url: remoteUrl.origin, ...(config.linkJoinCode ? { joinCode: config.linkJoinCode } : {}) },
    rooms: parseLinkRooms(config.linkRooms),
    key,
    name: nickname(config.linkName ?? hostname()),
    remoteName: nickname(remoteUrl.hostname),
    dir,
    log,
  });
  // The id the other relay's LINK_ACCEPT lists to take this link's messages.
  log.info({ url: remoteUrl.origin, rooms: config.linkRooms, linkId: userIdFromKey(key) }, 'link started');
  return link;
}

function localUrl(relay: Relay): string {
  const url = new URL(relay.url);
  if (url.hostname === 'localhost' || url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.origin;
}

/** A name that passes as a nickname on both relays (what `via` shows). */
function nickname(name: string): string {
  const cleaned = cleanNickname(name.replace(/[^\p{L}\p{N} ._-]/gu, '-').slice(0, 32));
  return cleaned.ok ? cleaned.nickname : 'link';
}
