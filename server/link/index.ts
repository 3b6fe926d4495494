/**
 * A relay's link to another relay (docs/link.md, protocol/link.ts): linked rooms exchange their
 * messages both ways, exactly once, in each side's order, catching up after any cut or restart from
 * cursors kept in the data folder. Started beside a relay (server/cli.ts, the desktop host); it
 * talks to both relays as a client.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CLIENT_KEY_PATTERN } from '../../protocol/index';
import type { Logger } from '../logger';
import { keptValue } from '../durable-file';
import { LinkCursors } from './cursors';
import { LinkEndpoint, type EndpointState } from './endpoint';
import { LinkPump } from './pump';
import type { RoomPair } from './rooms';

export { parseLinkRooms, type RoomPair } from './rooms';

export interface LinkSide {
  url: string;
  joinCode?: string;
  /** PEM certificates to trust when `url` is https with a certificate no CA signed. */
  ca?: string;
}

export interface LinkOptions {
  /** This relay, as the link reaches it. */
  local: LinkSide;
  /** The other relay (LINK_URL, LINK_JOIN_CODE). */
  remote: LinkSide;
  rooms: RoomPair[];
  /** The link's identity key on both relays (LINK_KEY); see linkKey(). */
  key: string;
  /** The link's nickname on the other relay: how this relay's messages say where they came from there. */
  name: string;
  /** The link's nickname on this relay. */
  remoteName: string;
  /** Where the cursors are kept (DATA_DIR/link); undefined: in memory only. */
  dir: string | undefined;
  log: Logger;
  /** A run of every pump this often, whatever woke them or not (a missed wake costs at most this). */
  sweepMs?: number;
}

export interface LinkState {
  local: EndpointState;
  remote: EndpointState;
  /** Set when the link stopped for good (it points at this relay itself). */
  refused?: string;
  crossed: { out: number; in: number };
}

export interface Link {
  state(): LinkState;
  close(): Promise<void>;
}

export async function startLink(opts: LinkOptions): Promise<Link> {
  const cursors = await LinkCursors.open(opts.dir === undefined ? undefined : join(opts.dir, 'cursors.json'));
  const common = { key: opts.key, log: opts.log };
  const local = new LinkEndpoint({ ...common, side: 'local', ...side(opts.local), nickname: opts.remoteName, rooms: opts.rooms.map((p) => p.local) });
  const remote = new LinkEndpoint({ ...common, side: 'remote', ...side(opts.remote), nickname: opts.name, rooms: opts.rooms.map((p) => p.remote) });
  const crossed = { out: 0, in: 0 };
  let refused: string | undefined;
  const pumps = opts.rooms.flatMap((pair) => {
    const out = new LinkPump({ direction: 'out', from: local, fromRoom: pair.local, to: remote, toRoom: pair.remote, cursors, log: opts.log, onCrossed: () => crossed.out++ });
    const inward = new LinkPump({ direction: 'in', from: remote, fromRoom: pair.remote, to: local, toRoom: pair.local, cursors, log: opts.log, onCrossed: () => crossed.in++ });
    local.on('message', (m) => m.room === pair.local && out.wake());
    remote.on('message', (m) => m.room === pair.remote && inward.wake());
    return [out, inward];
  });
  const wakeAll = (): void => {
    if (refused || !local.state.up || !remote.state.up) return;
    if (local.state.relayId === remote.state.relayId) {
      refused = 'LINK_URL leads back to this relay: a relay cannot link to itself.';
      opts.log.error({ url: opts.remote.url }, refused);
      local.close();
      remote.close();
      return;
    }
    cursors.bindRemote(remote.state.relayId);
    for (const p of pumps) p.wake();
  };
  local.on('up', wakeAll);
  remote.on('up', wakeAll);
  const sweep = setInterval(wakeAll, opts.sweepMs ?? 30_000);
  sweep.unref();
  return {
    state: () => ({ local: local.state, remote: remote.state, crossed: { ...crossed }, ...(refused ? { refused } : {}) }),
    async close() {
      clearInterval(sweep);
      for (const p of pumps) p.stop();
      local.close();
      remote.close();
      await cursors.flush();
    },
  };
}

function side(s: LinkSide): { url: string; joinCode?: string; ca?: string } {
  return { url: s.url, ...(s.joinCode ? { joinCode: s.joinCode } : {}), ...(s.ca ? { ca: s.ca } : {}) };
}

/** LINK_KEY when set, else the key kept in `dir` (made once); in memory only without a folder. */
export async function linkKey(given: string | undefined, dir: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!CLIENT_KEY_PATTERN.test(given)) throw new RangeError('LINK_KEY must be 22–64 characters of A–Z a–z 0–9 _ -');
    return given;
  }
  const make = () => randomBytes(24).toString('base64url');
  if (dir === undefined) return make();
  // The key is the link's identity on both relays: readable by this user only.
  return keptValue(join(dir, 'key'), (v) => CLIENT_KEY_PATTERN.test(v), make, 0o600);
}
