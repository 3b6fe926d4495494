/**
 * Hard limits of the Parley protocol. Shared by the relay (enforcement) and the UI (early feedback),
 * so a user learns about a limit before the server has to refuse anything.
 */

/** Bumped when a change is not backwards compatible for Parley clients (classic clients never see it). */
export const PROTOCOL_VERSION = 1;

/** Nickname length in user-perceived characters (grapheme clusters), after trimming. */
export const NICKNAME_MIN = 1;
export const NICKNAME_MAX = 32;
/** Guards the grapheme count against pathological combining sequences (one "character" of 500 marks). */
export const NICKNAME_MAX_UTF16 = 256;

/** Message text length in UTF-16 code units, the unit every client can count cheaply. */
export const MESSAGE_MAX = 4000;

/** Room names: lowercase ASCII slug, so they are safe in URLs, logs, Redis keys and deep links. */
export const ROOM_NAME_MAX = 32;
export const ROOM_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,31})$/;
export const DEFAULT_ROOM = 'lobby';
/** Rooms one connection may be a member of at once (DMs excluded: they are not joined). */
export const MAX_ROOMS_PER_SOCKET = 50;
/** Rooms a relay keeps at most (each holds history); creating more is refused. */
export const MAX_ROOMS = 1000;

/** Client-chosen message id for idempotent retries. */
export const CLIENT_ID_MAX = 64;
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The client key proves a returning user is the same user (the user id is derived from it: protocol/identity.ts). */
export const CLIENT_KEY_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

/** Default number of messages per room kept as history and delivered at login. */
export const DEFAULT_HISTORY_LIMIT = 200;
/** Most messages one history request may return. */
export const HISTORY_PAGE_MAX = 500;
/**
 * Reply budgets, in UTF-8 bytes of the messages' JSON: one history page, and all the history of a
 * login ack together. A page over budget leaves out its oldest messages (marked `hasMore`, fetched by
 * scroll-back or catch-up), but always keeps its newest one, so a reply may exceed the budget by at
 * most one message per page.
 */
export const REPLY_HISTORY_BYTES = 256 * 1024;
export const LOGIN_HISTORY_BYTES = 1024 * 1024;

/**
 * Socket.IO's frame limit. Anything bigger closes the sender's connection at the transport layer,
 * so it sits well above the largest valid application payload (a 4,000-char message of 4-byte
 * characters, JSON-escaped, plus envelope).
 */
export const MAX_HTTP_BUFFER_SIZE = 64 * 1024;

/** Typing indicators expire on the client after this long without a refresh. */
export const TYPING_TIMEOUT_MS = 6000;

/** Join codes protect LAN-hosted sessions: short, typeable, unambiguous (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;
