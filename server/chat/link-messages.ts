/**
 * A `new message` sent by a link (protocol/link.ts): a message copied from another relay. It is
 * checked like any message (text, rate limit, room membership) and then stored under its author's
 * nickname with the link's own nickname as `via`, keyed by its origin so it is stored once per room
 * whichever link or retry brings it.
 */
import { cleanNickname, ErrorCode, linkClientId, ParleyError, type LinkedSend } from '../../protocol/index';
import type { Connection } from './connection';
import type { Target } from './addressing';
import type { MessageDraft } from '../stores/types';
import { linkDedupeOwner } from '../stores/link-fields';

/** The draft fields of a link's message; throws a typed error for one this relay must refuse. */
export function linkedDraft(conn: Connection, link: LinkedSend, target: Target, hasFiles: boolean): Pick<MessageDraft, 'username' | 'via' | 'origin' | 'hops' | 'clientId' | 'dedupeOwner'> {
  const accepted = conn.ctx.linkSenders;
  if (accepted !== 'any' && !accepted.has(conn.userId)) {
    throw new ParleyError(ErrorCode.LINK_NOT_ACCEPTED, 'This relay takes link messages only from the links it lists (LINK_ACCEPT); ask its operator to add this link\'s id.');
  }
  if (target.kind !== 'room') throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'Links carry room messages only, not direct messages.');
  if (hasFiles) throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'Files do not cross links yet.');
  // The hops are the sending link's word; a relay that finds itself there would store its own message again.
  if (link.hops.includes(conn.ctx.relayId)) throw new ParleyError(ErrorCode.INVALID_PAYLOAD, 'This message has already been on this relay: the links form a loop.');
  const author = cleanNickname(link.author);
  if (!author.ok) throw new ParleyError(ErrorCode.INVALID_NICKNAME, `The author's nickname is not valid here: ${author.reason}`);
  return {
    username: author.nickname,
    via: conn.username,
    origin: link.origin,
    hops: [...link.hops],
    clientId: linkClientId(link.origin),
    dedupeOwner: linkDedupeOwner(target.room),
  };
}
