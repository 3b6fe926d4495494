/**
 * Read receipts and delivery (issue 22), as one number per user per conversation: the relay orders
 * every conversation by `seq`, so "read up to 41" says everything "read 39, 40 and 41" would.
 *
 * - **Cursors.** Each user has a `read` and a `delivered` cursor in each room and DM conversation. A
 *   client moves them with `read` `{ room, seq, kind }`; they only move forward (a lower seq is no
 *   error and changes nothing), and reading implies delivery (a read cursor lifts the delivered one).
 *   Every device of a user (same key, same user id) shares them.
 * - **Delivered** is for DMs: a client reports `kind: 'delivered'` up to the newest seq it holds as
 *   soon as a message of the conversation reaches it, whether or not the user looked. Sending:
 *   pending in the outbox; Sent: acknowledged (stored); Delivered: the other party's delivered
 *   cursor ≥ the message's seq; Read: their read cursor ≥ it.
 * - **Fan-out.** A cursor that moved is told with `receipts` to those it concerns: the authors of
 *   the messages it passed over, and the reader's own other devices (that is how reading on one
 *   device clears the unread count on the others). The relay coalesces: at most one `receipts` per
 *   conversation per recipient per 100 ms from each instance, with the latest cursor of every user
 *   that moved in that time.
 * - **Private reading** (`private: true` on a `read`): the user's devices share the read position as
 *   usual, but nobody else is told: `receipts` about it go to the user's own devices only, and
 *   `receipts:list` shows others only the user's last public read position. Delivery is still
 *   reported (as Signal does with read receipts off).
 * - **Login.** The object-form login ack carries `reads`: for every room joined and every DM
 *   conversation of the user with a log, the user's read cursor and the number of messages after it
 *   sent by others (counted within the retained history; `unreadMore` when the history no longer
 *   reaches back to the cursor).
 * - **Classic clients** never send `read` and are sent no `receipts`.
 */

/** Which cursor a `read` moves. */
export type ReceiptKind = 'read' | 'delivered';

/** `read`: the user has read (or, with `kind: 'delivered'`, received) everything up to `seq` in `room`. */
export interface ReadRequest {
  /** A room name or DM conversation id: the `room` the conversation's messages carry. */
  room: string;
  seq: number;
  /** Default 'read'. */
  kind?: ReceiptKind;
  /** A read the user keeps to their own devices (the "send read receipts" setting is off). */
  private?: boolean;
}

/** The answer to `read`: this user's cursors in the conversation after the call. */
export interface ReadOk {
  room: string;
  read: number;
  delivered: number;
}

/** One user's cursors in one conversation. */
export interface ReceiptCursor {
  userId: string;
  read: number;
  delivered: number;
}

/** `receipts` (relay → members): the cursors that moved in a conversation, coalesced. */
export interface ReceiptsNotice {
  room: string;
  cursors: ReceiptCursor[];
}

/** `receipts:list`: every member's public cursors in a conversation (opening it shows "Seen by"). */
export interface ReceiptsList {
  room: string;
  cursors: ReceiptCursor[];
}

/** Part of the login ack: where this user is in one conversation. */
export interface ReadState {
  room: string;
  /** Everything up to this seq is read (0: nothing yet). */
  readSeq: number;
  /** Messages after readSeq sent by others, within the retained history. */
  unread: number;
  /** The history no longer reaches back to readSeq: there were more unread than counted. */
  unreadMore?: boolean;
}
