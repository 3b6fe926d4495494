/**
 * Files and images in conversations (issue 24). The bytes never travel over the socket: the socket
 * only hands out short-lived permissions, and HTTP carries the data.
 *
 * 1. **Upload.** `upload:token {room}` answers a token bound to this user and this conversation,
 *    valid for UPLOAD_TOKEN_TTL_MS. The client uploads with tus 1.0.0 (resumable) to `url`
 *    (`/uploads` on the relay), sending `Authorization: Bearer <token>` on every request; a request
 *    that starts after the token expired is refused (401), so a long upload asks for a fresh token
 *    and resumes. The file's name goes in the tus metadata as `filename`; the relay sanitises it and
 *    ignores any type the client claims: it sniffs the type from the bytes when the upload finishes.
 *    The upload's URL (`Location`) is the attachment id's home: its last path segment is the id.
 * 2. **Send.** `new message {text, room, attachments: [id, …]}`: each id must be an upload this user
 *    finished for this conversation (else UNKNOWN_FILE). The text may be empty when there is at least
 *    one attachment. The stored message carries `attachments` (metadata, never URLs: they expire).
 * 3. **Download.** `file:url {room, id}` answers a signed URL for a member of the conversation,
 *    valid until `expiresAt`, and a token; GET it from the relay with `Authorization: Bearer <token>`. Images that are safe to show (PNG, JPEG, GIF,
 *    WebP) are served inline, everything else as a download (docs/files.md). The relay decodes
 *    images when they finish: it strips their metadata (EXIF: location, camera), measures them and
 *    makes a thumbnail; an image over its pixel limit is refused (IMAGE_TOO_LARGE in the 422 that
 *    answers the last PATCH) rather than risk a decompression bomb in anyone's client.
 *
 * Classic clients receive an attachment message in the lobby with one line per file appended to the
 * text (`📎 name (size)`), since they cannot read `attachments`.
 */

/** A file attached to a message, as stored and delivered. `type` is sniffed from the bytes. */
export interface Attachment {
  id: string;
  /** Sanitised file name (no path, no control or bidi characters, an extension that fits `type`). */
  name: string;
  /** Bytes. */
  size: number;
  /** MIME type the relay found in the content, e.g. image/png, text/plain, application/octet-stream. */
  type: string;
  /** Pixel size of an image the relay decoded (after applying its EXIF orientation). */
  width?: number;
  height?: number;
  /** The relay made a thumbnail: ask `file:url` with `variant: 'thumb'` (a WebP within THUMB_MAX_PX). */
  thumb?: boolean;
}

/** A thumbnail fits in this many pixels on its longer side (it is never larger than its image). */
export const THUMB_MAX_PX = 320;

/** Most attachments one message may carry. */
export const ATTACHMENTS_MAX = 10;
/** Upload (attachment) ids: base64url, as the relay makes them. */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Where the relay takes tus uploads. */
export const UPLOAD_PATH = '/uploads';
/** Where signed download URLs point (`/files/<id>?…`). */
export const FILES_PATH = '/files';
/** How long an upload token is accepted after it was issued. */
export const UPLOAD_TOKEN_TTL_MS = 10 * 60_000;
/** How long a download URL works, at least (it is rounded up so that repeated asks share one URL). */
export const FILE_URL_TTL_MS = 30 * 60_000;

/** `upload:token`: permission to upload files for one conversation. */
export interface UploadTokenRequest {
  /** Room name or DM conversation id. */
  room: string;
}

export interface UploadTokenOk {
  /** Send as `Authorization: Bearer <token>` on every tus request. */
  token: string;
  /** The tus endpoint, a path on the relay (`/uploads`). */
  url: string;
  /** ms since epoch; requests starting later are refused. */
  expiresAt: number;
  /** Largest file the relay accepts, in bytes. */
  maxBytes: number;
}

/** `file:url`: a download URL for a file of a conversation you are in. */
export interface FileUrlRequest {
  room: string;
  id: string;
  /** The thumbnail instead of the file (only when the attachment has `thumb`; else UNKNOWN_FILE). */
  variant?: 'thumb';
}

export interface FileUrlOk {
  /** A path on the relay, with its signature in the query. */
  url: string;
  /** ms since epoch; the URL is refused (403) after that. */
  expiresAt: number;
  /**
   * Send as `Authorization: Bearer <token>` with the GET: the URL is member-only, refused (403)
   * without it, so a link copied out of the app opens nothing for anyone outside the conversation.
   */
  token: string;
}
