/**
 * GET /files/<id>?c=<conversation>&e=<expiry ms>&s=<signature>: a file, to whoever holds a URL that
 * `file:url` signed for a member of its conversation (signing.ts).
 *
 *  - 403 when the signature is missing or forged, the URL expired, or it names another conversation
 *    than the file's; 404 only for a genuine URL whose file is gone. A guess never learns whether an
 *    id exists.
 *  - The headers assume the bytes are hostile, whatever they are:
 *    - `Content-Type` is the type sniffed when the upload finished, never the client's claim;
 *    - `X-Content-Type-Options: nosniff`, so the browser keeps to that type (a PNG that is also an
 *      HTML page is shown as an image, never parsed as HTML);
 *    - `Content-Security-Policy: default-src 'none'; sandbox`: should a browser still render the
 *      response as a document, it runs no script, loads nothing, and gets a unique origin (no
 *      cookies, no storage, no access to the relay's pages);
 *    - `Content-Disposition: inline` only for raster images browsers decode without script (PNG,
 *      JPEG, GIF, WebP), `attachment` for everything else: HTML, SVG (which can carry script), PDF
 *      (a large parser) and text are saved, not shown, under their sanitised names.
 *    - `Cache-Control: private` until the URL expires: the browser may keep it that long, shared
 *      caches never.
 *  - A single `Range` is honoured (resumed downloads, media seeking); others get the whole file.
 *  - An image the relay cleaned (images.ts) is served from its cleaned copy, never the uploaded bytes;
 *    `&v=thumb` (signed with the rest) serves its thumbnail, image/webp, inline, with the same headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { FILE_ID_PATTERN, FILES_PATH } from '../../protocol/index';
import type { Logger } from '../logger';
import type { FileSigner } from './signing';
import type { FileRecord, FileStorage, FileVariant } from './storage';
import { TEXT_TYPE } from './sniff';

/** Shown in place, in the page or a new tab: raster formats without script or external references. */
export const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/apng', 'image/jpeg', 'image/gif', 'image/webp']);
export const FILE_CSP = "default-src 'none'; sandbox";

export interface DownloadDeps {
  storage: FileStorage;
  signer: FileSigner;
  /** Origins granted CORS (the desktop renderer, listed web origins), so a page may fetch() a file. */
  corsOrigin: (origin: string) => boolean;
  log: Logger;
}

export function downloadHandler(deps: DownloadDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(deps, req, res).catch((err: unknown) => {
      deps.log.warn({ err }, 'file download failed');
      if (!res.headersSent) plain(res, 500, 'Download failed.\n');
      else res.destroy();
    });
  };
}

/** Variants a URL may name (`v`); the cleaned image is not one: it is what the file's own URL serves. */
const URL_VARIANTS: ReadonlySet<string> = new Set<FileVariant>(['thumb']);

/** The URL `file:url` answers: a path on the relay, signed for one conversation (and variant) until `expiresAt`. */
export function signedPath(signer: FileSigner, id: string, conversation: string, expiresAt: number, variant?: 'thumb', memberOnly = false): string {
  const query = new URLSearchParams({
    c: conversation,
    e: String(expiresAt),
    ...(variant ? { v: variant } : {}),
    ...(memberOnly ? { m: '1' } : {}),
    s: signer.fileSignature(id, conversation, expiresAt, variant, memberOnly),
  });
  return `${FILES_PATH}/${id}?${query.toString()}`;
}

async function serve(deps: DownloadDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') return preflight(deps, req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'GET or HEAD only.\n', { allow: 'GET, HEAD' });
  const url = new URL(req.url ?? '/', 'http://relay');
  const id = url.pathname.slice(FILES_PATH.length + 1);
  const conversation = url.searchParams.get('c');
  const expiry = url.searchParams.get('e');
  const signature = url.searchParams.get('s');
  const variant = url.searchParams.get('v') ?? undefined;
  const memberOnly = url.searchParams.get('m') === '1';
  const expiresAt = Number(expiry);
  const genuine =
    FILE_ID_PATTERN.test(id) &&
    conversation !== null &&
    signature !== null &&
    expiry !== null &&
    /^\d{1,15}$/.test(expiry) &&
    (variant === undefined || URL_VARIANTS.has(variant)) &&
    deps.signer.verifyFileSignature(id, conversation, expiresAt, signature, variant, memberOnly);
  const cors = corsHeaders(deps, req);
  if (!genuine) return plain(res, 403, 'This link is not valid.\n', cors);
  const now = Date.now();
  if (expiresAt <= now) return plain(res, 403, 'This link has expired: ask for a new one (file:url).\n', cors);
  if (memberOnly) {
    const header = req.headers.authorization;
    const claims = typeof header === 'string' && header.startsWith('Bearer ') ? deps.signer.verifyDownloadToken(header.slice(7).trim(), now) : undefined;
    if (!claims || claims.conversation !== conversation) {
      return plain(res, 403, 'This link works only in the Parley app of a member of the conversation.\n', cors);
    }
  }
  const record = await deps.storage.record(id);
  if (!record) return plain(res, 404, 'No such file.\n', cors);
  if (record.conversation !== conversation) return plain(res, 403, 'This link is not valid.\n', cors);
  const served = servedAs(record, variant as FileVariant | undefined);
  if (!served) return plain(res, 404, 'No such file.\n', cors);

  const origin = req.headers.origin;
  const headers: Record<string, string | number> = {
    'content-type': served.type === TEXT_TYPE ? `${TEXT_TYPE}; charset=utf-8` : served.type,
    'x-content-type-options': 'nosniff',
    'content-security-policy': FILE_CSP,
    'content-disposition': disposition(served),
    'cache-control': `private, max-age=${Math.floor((expiresAt - now) / 1000)}`,
    'referrer-policy': 'no-referrer',
    'accept-ranges': 'bytes',
    // The bytes of an id (and of each of its variants) never change.
    etag: served.variant === 'thumb' ? `"${record.id}.thumb"` : `"${record.id}"`,
    ...(origin && deps.corsOrigin(origin)
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Content-Disposition, Content-Length, Content-Range', vary: 'Origin' }
      : {}),
  };
  const { size } = served;
  const range = byteRange(req.headers.range, size);
  if (range === 'unsatisfiable') return plain(res, 416, 'Range not satisfiable.\n', { ...cors, 'content-range': `bytes */${size}` });
  if (range) {
    res.writeHead(206, { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': range.end - range.start + 1 });
  } else {
    res.writeHead(200, { ...headers, 'content-length': size });
  }
  if (req.method === 'HEAD' || size === 0) return void res.end();
  await pipeline(deps.storage.open(record.id, range, served.variant), res);
}

/**
 * What a URL for `record` serves: the cleaned image when there is one (the uploaded bytes of an image
 * never leave the relay), the upload itself otherwise, or the variant asked for; undefined when
 * the record has no such variant.
 */
function servedAs(record: FileRecord, asked: FileVariant | undefined): { name: string; type: string; size: number; variant?: FileVariant } | undefined {
  const variant = asked ?? (record.variants?.image ? 'image' : undefined);
  if (variant === undefined) return { name: record.name, type: record.type, size: record.size };
  const info = record.variants?.[variant];
  if (!info) return undefined;
  // The thumbnail is named after its file, with its own type's extension: "photo.jpg" → "photo.thumb.webp".
  const name = variant === 'thumb' ? `${record.name.replace(/\.[^.]*$/, '')}.thumb.webp` : record.name;
  return { name, type: info.type, size: info.size, variant };
}

/**
 * `inline` or `attachment`, with the name twice: `filename` in plain ASCII for old clients and
 * `filename*` in UTF-8 (RFC 6266 / 8187) for everyone else.
 */
export function disposition(record: Pick<FileRecord, 'name' | 'type'>): string {
  const kind = INLINE_TYPES.has(record.type) ? 'inline' : 'attachment';
  const ascii = record.name.replace(/[^\x20-\x7E]|["\\%]/g, '_');
  const utf8 = encodeURIComponent(record.name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** One `bytes=` range of a file of `size` bytes (inclusive end), none for a header to ignore, or 'unsatisfiable'. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    // "-500": the last 500 bytes.
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  return start >= size || size === 0 ? 'unsatisfiable' : { start, end };
}

/** CORS on refusals too, so a page can tell a 403 from a network failure. */
function corsHeaders(deps: DownloadDeps, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return origin && deps.corsOrigin(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
}

/** A listed origin may send the download token (Authorization) and a Range; others get no grant. */
function preflight(deps: DownloadDeps, req: IncomingMessage, res: ServerResponse): void {
  const cors = corsHeaders(deps, req);
  if (!cors['access-control-allow-origin']) return plain(res, 403, 'Origin not allowed.\n');
  res.writeHead(204, {
    ...cors,
    'access-control-allow-methods': 'GET, HEAD',
    'access-control-allow-headers': 'Authorization, Range',
    'access-control-max-age': '600',
    'content-length': 0,
  });
  res.end();
}

function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}
