/**
 * The client → relay contract, written once. For every event a client may send: what it carries,
 * how it is answered (an ack with a success payload, an optional ack for classic events, or no ack
 * at all), and which error codes the relay may answer it with. `ClientToServerEvents` (the Socket.IO
 * event map), the relay's route table (server/chat/guard.ts), the runtime schemas
 * (protocol/schemas.ts, relay only) and the client's `request()` all derive from here, so adding an
 * event is its entry in ClientRequests (types), its row in CLIENT_EVENTS (login, error codes), its
 * schema, and its route; a misspelt event, a missing field, a missing row or an undeclared error code
 * fails to compile.
 *
 * This module holds types and one small table of strings: it is safe for the renderer bundle.
 */
import type { ErrorBody, ErrorCode } from './errors';
import type {
  HistoryPage,
  HistoryRequest,
  LoginOk,
  LoginRequest,
  PresenceSnapshot,
  RoomInfo,
  RoomJoinRequest,
  RoomRef,
  RoomState,
  SendOk,
  SendRequest,
  TypingRequest,
} from './events';
import type { ReadOk, ReadRequest, ReceiptsList } from './receipts';
import type { ChangeOk, DeleteRequest, EditRequest, SearchRequest, SearchResults } from './edits';
import type { FileUrlOk, FileUrlRequest, UploadTokenOk, UploadTokenRequest } from './files';

/**
 * How an event is answered:
 *  - `required`  Parley-only events: the last argument is always an ack callback.
 *  - `optional`  classic events: the classic page sends no callback, Parley clients pass one.
 *  - `none`      fire-and-forget (typing); a failure comes back as a `parley:error` event.
 */
export type AckMode = 'required' | 'optional' | 'none';

/** One event's contract. `request` is `undefined` for an event that takes no payload. */
interface Contract<Request, Ok extends object | undefined, Mode extends AckMode, Codes extends ErrorCode> {
  request: Request;
  ok: Ok;
  ack: Mode;
  errors: Codes;
}

/** What addressing a room or DM can fail with (server/chat/addressing.ts). */
const ADDRESS_ERRORS = ['UNKNOWN_ROOM', 'NOT_IN_ROOM', 'USER_NOT_FOUND'] as const;

/** Why an edit or deletion can be refused (server/chat/edits.ts). */
const CHANGE_ERRORS = ['UNKNOWN_MESSAGE', 'NOT_AUTHOR', 'EDIT_WINDOW_CLOSED'] as const;

/**
 * The run-time half of each event's contract, written once: whether it needs `add user` first, and
 * the codes it may answer with besides the common ones. The relay reads it (login checks; a handler
 * answering with a code its event does not declare is logged as a contract break) and ClientRequests
 * takes its error types from it. Keys: exactly ClientRequests' (the type test checks).
 */
export const CLIENT_EVENTS = {
  'add user': { needsLogin: false, errors: ['ALREADY_LOGGED_IN', 'INVALID_NICKNAME', 'NICKNAME_TAKEN'] },
  'new message': { needsLogin: true, errors: ['TOO_LARGE', 'EMPTY_MESSAGE', 'UNKNOWN_FILE', 'INVALID_NICKNAME', 'LINK_NOT_ACCEPTED', ...ADDRESS_ERRORS] },
  typing: { needsLogin: true, errors: ADDRESS_ERRORS },
  'stop typing': { needsLogin: true, errors: ADDRESS_ERRORS },
  'room:join': { needsLogin: true, errors: ['UNKNOWN_ROOM', 'ROOM_LIMIT'] },
  'room:leave': { needsLogin: true, errors: ['CANNOT_LEAVE_LOBBY', 'NOT_IN_ROOM'] },
  'room:list': { needsLogin: true, errors: [] },
  'history:fetch': { needsLogin: true, errors: ADDRESS_ERRORS },
  'users:list': { needsLogin: true, errors: ['NOT_IN_ROOM'] },
  read: { needsLogin: true, errors: ADDRESS_ERRORS },
  'receipts:list': { needsLogin: true, errors: ADDRESS_ERRORS },
  'message:edit': { needsLogin: true, errors: ['TOO_LARGE', 'EMPTY_MESSAGE', ...CHANGE_ERRORS, ...ADDRESS_ERRORS] },
  'message:delete': { needsLogin: true, errors: [...CHANGE_ERRORS, ...ADDRESS_ERRORS] },
  search: { needsLogin: true, errors: ADDRESS_ERRORS },
  'upload:token': { needsLogin: true, errors: ['QUOTA_EXCEEDED', ...ADDRESS_ERRORS] },
  'file:url': { needsLogin: true, errors: ['UNKNOWN_FILE', ...ADDRESS_ERRORS] },
} as const satisfies Record<string, { needsLogin: boolean; errors: readonly ErrorCode[] }>;

/** The codes of one event's row. */
type Codes<E extends keyof typeof CLIENT_EVENTS> = (typeof CLIENT_EVENTS)[E]['errors'][number];

export interface ClientRequests {
  /** Log in with a nickname (classic: a string). Parley clients pass an ack for the full state. */
  'add user': Contract<string | LoginRequest, LoginOk, 'optional', Codes<'add user'>>;
  /** Send a message (classic: a string, to the lobby). */
  'new message': Contract<string | SendRequest, SendOk, 'optional', Codes<'new message'>>;
  /** Started typing (classic: no argument, the lobby). */
  typing: Contract<TypingRequest | undefined, undefined, 'none', Codes<'typing'>>;
  /** Stopped typing. */
  'stop typing': Contract<TypingRequest | undefined, undefined, 'none', Codes<'stop typing'>>;
  /** Join (or create) a public room. */
  'room:join': Contract<RoomJoinRequest, RoomState, 'required', Codes<'room:join'>>;
  /** Leave a public room (not the lobby). */
  'room:leave': Contract<RoomRef, RoomRef, 'required', Codes<'room:leave'>>;
  /** Public rooms on the relay with their member counts. */
  'room:list': Contract<undefined, { rooms: RoomInfo[] }, 'required', Codes<'room:list'>>;
  /** A page of a room's or DM conversation's history. */
  'history:fetch': Contract<HistoryRequest, HistoryPage, 'required', Codes<'history:fetch'>>;
  /** Full presence of a room the socket is in (used to resync after a missed delta). */
  'users:list': Contract<RoomRef, PresenceSnapshot, 'required', Codes<'users:list'>>;
  /** Move this user's read (or delivered) cursor in a room or DM conversation (protocol/receipts.ts). */
  read: Contract<ReadRequest, ReadOk, 'required', Codes<'read'>>;
  /** Every member's cursors in a conversation. */
  'receipts:list': Contract<RoomRef, ReceiptsList, 'required', Codes<'receipts:list'>>;
  /** Replace the text of one of your messages (protocol/edits.ts). */
  'message:edit': Contract<EditRequest, ChangeOk, 'required', Codes<'message:edit'>>;
  /** Delete one of your messages. */
  'message:delete': Contract<DeleteRequest, ChangeOk, 'required', Codes<'message:delete'>>;
  /** Search the retained history of your conversations. */
  search: Contract<SearchRequest, SearchResults, 'required', Codes<'search'>>;
  /** A short-lived token to upload files for one conversation with tus (protocol/files.ts). */
  'upload:token': Contract<UploadTokenRequest, UploadTokenOk, 'required', Codes<'upload:token'>>;
  /** A signed, short-lived download URL for a file of a conversation you are in. */
  'file:url': Contract<FileUrlRequest, FileUrlOk, 'required', Codes<'file:url'>>;
}

export type ClientEvent = keyof ClientRequests;
/** Events answered with an ack (always or when the client asks). */
export type AckedEvent = { [E in ClientEvent]: ClientRequests[E]['ack'] extends 'none' ? never : E }[ClientEvent];
export type RequestOf<E extends ClientEvent> = ClientRequests[E]['request'];
export type OkOf<E extends AckedEvent> = Exclude<ClientRequests[E]['ok'], undefined>;

/**
 * What any event can fail with besides its own codes: a malformed payload, the rate limit, a store
 * that is down, a relay that is shutting down, a fault. Events after login add NOT_LOGGED_IN.
 */
export const COMMON_ERRORS = ['INVALID_PAYLOAD', 'RATE_LIMITED', 'UNAVAILABLE', 'SHUTTING_DOWN', 'INTERNAL'] as const;
export type CommonError = (typeof COMMON_ERRORS)[number];

export type ErrorsOf<E extends ClientEvent> =
  | ClientRequests[E]['errors']
  | CommonError
  | ((typeof CLIENT_EVENTS)[E]['needsLogin'] extends true ? 'NOT_LOGGED_IN' : never);

/** Whether `code` is one the event may answer with. */
export function declaresError(event: ClientEvent, code: ErrorCode): boolean {
  if ((COMMON_ERRORS as readonly string[]).includes(code)) return true;
  if (code === 'NOT_LOGGED_IN') return CLIENT_EVENTS[event].needsLogin;
  return (CLIENT_EVENTS[event].errors as readonly string[]).includes(code);
}

/** A failed answer, narrowed to the codes an event declares. */
export type Refusal<E extends ClientEvent> = { ok: false } & ErrorBody<ErrorsOf<E>>;
/** The answer to an acked event. */
export type Answer<E extends AckedEvent> = ({ ok: true } & OkOf<E>) | Refusal<E>;
export type AnswerFn<E extends AckedEvent> = (answer: Answer<E>) => void;

/** The Socket.IO listener signature of one event, from its contract. */
type Signature<E extends ClientEvent> = ClientRequests[E]['ack'] extends 'none'
  ? (request?: Exclude<RequestOf<E>, undefined>) => void
  : E extends AckedEvent
    ? RequestOf<E> extends undefined
      ? (ack: AnswerFn<E>) => void
      : ClientRequests[E]['ack'] extends 'optional'
        ? (request: RequestOf<E>, ack?: AnswerFn<E>) => void
        : (request: RequestOf<E>, ack: AnswerFn<E>) => void
    : never;

/** The Socket.IO client → server event map, derived from ClientRequests. */
export type ClientToServerEvents = { [E in ClientEvent]: Signature<E> };

/** The arguments `request(event, ...)` takes before the ack: the payload, or nothing. */
export type RequestArgs<E extends AckedEvent> = RequestOf<E> extends undefined ? [] : [request: RequestOf<E>];
