/**
 * Stable error codes. Clients branch on `code`; `message` is for humans and may change.
 * Never renumber or rename a code: old clients in the field depend on them.
 */
export const ErrorCode = {
  /** Payload has the wrong shape or type. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** Nickname empty, too long, or contains control/invisible characters. */
  INVALID_NICKNAME: 'INVALID_NICKNAME',
  /** Someone else present uses this nickname (compared case- and look-alike-insensitively). */
  NICKNAME_TAKEN: 'NICKNAME_TAKEN',
  /** The event needs a logged-in socket (`add user` first). */
  NOT_LOGGED_IN: 'NOT_LOGGED_IN',
  /** `add user` twice on one connection. */
  ALREADY_LOGGED_IN: 'ALREADY_LOGGED_IN',
  /** Message text over the limit. The connection stays open. */
  TOO_LARGE: 'TOO_LARGE',
  /** Message text empty or only whitespace. */
  EMPTY_MESSAGE: 'EMPTY_MESSAGE',
  /** Too many events too fast; `retryAfterMs` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Room name malformed or the room does not exist. */
  UNKNOWN_ROOM: 'UNKNOWN_ROOM',
  /** The socket is not a member of the room it addressed. */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** Room already exists (create with `create: true` on an existing room is fine; this is for strict create). */
  ROOM_EXISTS: 'ROOM_EXISTS',
  /** Too many rooms joined, or too many rooms on the relay. */
  ROOM_LIMIT: 'ROOM_LIMIT',
  /** The lobby cannot be left. */
  CANNOT_LEAVE_LOBBY: 'CANNOT_LEAVE_LOBBY',
  /** DM recipient unknown or not present, or not able to receive DMs (a classic client). */
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  /** The relay requires a join code and none (or a wrong one) was given. */
  JOIN_CODE_REQUIRED: 'JOIN_CODE_REQUIRED',
  JOIN_CODE_INVALID: 'JOIN_CODE_INVALID',
  /** Too many failed join codes from this address. */
  LOCKED_OUT: 'LOCKED_OUT',
  /** This address already holds as many connections as one address may. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  /** The page's Origin or the request's Host is not allowed. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The relay is shutting down; reconnect (possibly to another instance). */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** A backing store (Redis) is unreachable; the operation was not performed, retry later. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** The message to edit or delete is not in the conversation's retained history (or was deleted). */
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  /** Only a message's author may edit or delete it. */
  NOT_AUTHOR: 'NOT_AUTHOR',
  /** The message is older than the relay's edit window. */
  EDIT_WINDOW_CLOSED: 'EDIT_WINDOW_CLOSED',
  /** A link message (protocol/link.ts) from an identity this relay does not list as a link (LINK_ACCEPT). */
  LINK_NOT_ACCEPTED: 'LINK_NOT_ACCEPTED',
  /** No finished upload of yours for this conversation has that id (protocol/files.ts). */
  UNKNOWN_FILE: 'UNKNOWN_FILE',
  /** A file over the relay's size limit (UPLOAD_MAX_BYTES); said in the body of the upload's 413. */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** Your uploads, or the relay's, would pass their storage quota: nothing more can be uploaded now. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** An image over the relay's pixel limit (a decompression bomb, or just too big to show); said in the body of the upload's 422. */
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  /** Unexpected server fault. Nothing was stored. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Body of a failed acknowledgement and of the `parley:error` event. */
export interface ErrorBody<C extends ErrorCode = ErrorCode> {
  code: C;
  message: string;
  /** For RATE_LIMITED: milliseconds until a retry can succeed. */
  retryAfterMs?: number;
}

/** A failure an event handler can throw; the relay turns it into an ack or a `parley:error` event. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
  toBody(): ErrorBody {
    return this.retryAfterMs === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterMs: this.retryAfterMs };
  }
}
