/**
 * Links between relays (docs/link.md): a relay's link is a pair of ordinary Parley clients, one on
 * each relay, that copy a room's messages across in both directions. What crosses is a normal
 * `new message` with a `link` part, so the far relay checks and rate-limits it like any client's.
 *
 * Exactly once: a crossing message carries `origin`, the id it got on the relay where it was first
 * written, kept unchanged however many links it crosses. A relay stores one copy per (room, origin)
 * whichever link or retry brings it (an idempotency key of its own, `linkClientId`), so a message
 * re-sent after a cut, or arriving by two paths, is answered as a duplicate.
 *
 * No loops: `hops` lists the relays the message has been on (their `relay` ids from the login
 * ack). A link never carries a message to a relay already in its hops, and a relay refuses one
 * whose hops name it.
 */

/** A relay's public id (LoginOk.relay): stable for a relay that keeps a data folder. */
export const RELAY_ID_PATTERN = /^[A-Za-z0-9_-]{8,40}$/;
/** Relays a message may pass through; a longer chain is a configuration mistake, refused. */
export const LINK_HOPS_MAX = 8;

/** The link part of a `new message` (SendRequest.link). */
export interface LinkedSend {
  /** The author's nickname where the message was written; stored as `username`, beside `via`. */
  author: string;
  /** The message's id on the relay where it was first written. */
  origin: string;
  /** Relay ids the message has been on, the sending link's own relay last. */
  hops: string[];
}

/** The idempotency key a relay stores a crossing message under: one per origin message. */
export function linkClientId(origin: string): string {
  return `lk_${origin}`.slice(0, 64);
}
