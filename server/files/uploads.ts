/**
 * The tus 1.0.0 endpoint at /uploads (@tus/server), with the relay's rules around it:
 *
 *  - **Who.** Every request but the CORS preflight carries `Authorization: Bearer <upload token>`
 *    (signing.ts); none, a forged or an expired one: 401. The token's user and conversation become
 *    the upload's owner at creation (tus metadata the client cannot set), and a later request on an
 *    upload must come with a token of the same user for the same conversation, else 404 (as if there
 *    were none: upload URLs are not for others to probe).
 *  - **Where from.** A browser page must come from an origin the Socket.IO handshake accepts
 *    (http/origin.ts); the listed ones are granted CORS, with tus's own headers exposed.
 *  - **How much.** Upload-Length is required (no deferred length) and checked against the size limit
 *    (413) and the quotas (403) before anything is stored or any body is read. A body that runs past
 *    its declared length is refused by tus (413), and the relay then discards the upload, so a wrong
 *    length never leaves behind a file that could be sent.
 *  - **Only uploads.** tus can serve GET itself, with the client's claimed type; the relay refuses
 *    that (405): files are downloaded from /files with signed URLs and sniffed types (downloads.ts).
 *  - **Finishing.** When the last byte is in, the file is sniffed, named and recorded (an image
 *    cleaned and measured, images.ts) before the final response, so a client that saw its upload
 *    finish can send it at once. An image over the pixel limit is answered 422 IMAGE_TOO_LARGE and
 *    deleted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Server, Upload } from '@tus/server';
import { handleUpload } from './upload-body';
import { ErrorCode, FILE_ID_PATTERN, ParleyError, UPLOAD_PATH } from '../../protocol/index';
import type { Logger } from '../logger';
import type { OriginPolicy } from '../http/origin';
import { formatBytes } from './bytes';
import type { QuotaLedger } from './quota';
import type { FileSigner, UploadClaims } from './signing';
import { UPLOAD_META, type FileRecord, type FileStorage } from './storage';

export interface UploadEndpointDeps {
  storage: FileStorage;
  signer: FileSigner;
  quota: QuotaLedger;
  maxBytes: number;
  /** The handshake's origin rule: listed origins and pages this relay served. */
  allowOrigin: OriginPolicy;
  /** Origins granted CORS (same-origin pages need no grant). */
  corsOrigin: (origin: string) => boolean;
  /** Sniffs, names and records a finished upload. */
  finish(id: string): Promise<FileRecord | undefined>;
  /** Deletes an upload and stops counting it. */
  discard(id: string): Promise<void>;
  log: Logger;
}

/** An error @tus/server answers with as is. */
type TusError = { status_code: number; body: string };
/** The node request behind @tus/server's web-style request (srvx keeps it there). */
type WebRequest = { method: string; url: string; runtime?: { node?: { req: IncomingMessage; res: ServerResponse } } };

const TUS_METHODS = new Set(['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']);
const NOT_YOURS: TusError = { status_code: 404, body: 'The file for this url was not found\n' };

/** Per-request state shared by the endpoint and the tus hooks. */
interface RequestState {
  /** The verified token of each request that reached tus. */
  claimsOf: WeakMap<IncomingMessage, UploadClaims>;
  /** The upload a POST reserved quota for. */
  creating: WeakMap<IncomingMessage, string>;
  /** Reserved uploads the store has created (their reservation stays when the POST ends). */
  created: Set<string>;
}

export function uploadEndpoint(deps: UploadEndpointDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { signer, maxBytes, log } = deps;
  const state: RequestState = { claimsOf: new WeakMap(), creating: new WeakMap(), created: new Set() };
  // Made on the first upload request: @tus/server and its web-request layer cost the embedded
  // relay's start-up ~10 ms to evaluate, for a feature many sessions never use.
  let tus: Promise<Server> | undefined;
  const server = () =>
    (tus ??= tusServer(deps, state).catch((err: unknown) => {
      tus = undefined;
      throw err;
    }));

  return (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !deps.allowOrigin(origin, req)) return refuse(res, 403, 'Origin not allowed.\n');
    const cors = origin !== undefined && deps.corsOrigin(origin) ? origin : undefined;
    if (!TUS_METHODS.has(req.method ?? '')) return refuse(res, 405, 'Uploads only: files are fetched with a signed URL (file:url).\n', cors, { allow: [...TUS_METHODS].join(', ') });
    if (req.method !== 'OPTIONS') {
      const token = bearer(req);
      const who = token === undefined ? undefined : signer.verifyUploadToken(token);
      if (!who) return refuse(res, 401, 'Upload token missing, invalid or expired: ask for one with upload:token.\n', cors, { 'www-authenticate': 'Bearer realm="parley uploads"' });
      state.claimsOf.set(req, who);
    }
    if (req.method === 'POST') {
      if (req.headers['upload-defer-length'] !== undefined) return refuse(res, 400, 'Upload-Length is required: the relay checks size and quota up front.\n', cors);
      const length = req.headers['upload-length'];
      if (typeof length === 'string' && /^\d+$/.test(length) && Number(length) > maxBytes) {
        return refuse(res, 413, `FILE_TOO_LARGE: Files are limited to ${formatBytes(maxBytes)} on this relay.\n`, cors);
      }
    }
    server()
      .then((tusServer) => handleUpload(tusServer, req, res))
      .catch((err: unknown) => {
        log.warn({ err }, 'upload request failed');
        if (!res.headersSent) refuse(res, 500, 'Upload failed.\n', cors);
        else res.destroy();
      });
  };
}

/** @tus/server with the relay's hooks (see the module comment). */
async function tusServer(deps: UploadEndpointDeps, state: RequestState): Promise<Server> {
  const { Server, EVENTS } = await import('@tus/server');
  const { quota, maxBytes, log } = deps;
  const { claimsOf, creating, created } = state;
  const nodeOf = (req: unknown) => (req as WebRequest).runtime?.node;
  const claims = (req: unknown): UploadClaims => {
    const node = nodeOf(req);
    const found = node && claimsOf.get(node.req);
    // Every request reaching tus passed the token check; anything else is a wiring fault.
    if (!found) throw { status_code: 401, body: 'Upload token required\n' } satisfies TusError;
    return found;
  };

  const tus = new Server({
    path: UPLOAD_PATH,
    datastore: deps.storage.datastore,
    maxSize: maxBytes,
    // "/uploads/<id>": right behind any proxy, and still right after a restart on another port.
    relativeLocation: true,
    respectForwardedHeaders: false,
    allowedOrigins: (origin) => deps.corsOrigin(origin),
    // A finished upload may already be in a message; only unfinished ones can be cancelled.
    disableTerminationForFinishedUploads: true,
    namingFunction: () => randomBytes(18).toString('base64url'),
    // One rule for the id, here and in onResponseError: tus's own takes the last segment of the whole
    // URL, query included, so "/uploads/<a>?/<b>" was checked as <b> and discarded as <a>.
    getFileIdFromRequest: (req) => uploadIdOf(req.url),

    async onIncomingRequest(req, id) {
      if (req.method === 'POST') return;
      if (!FILE_ID_PATTERN.test(id)) throw { status_code: 404, body: 'No such upload.\n' } satisfies TusError;
      const who = claims(req);
      const upload = await deps.storage.upload(id);
      if (upload && (upload.owner !== who.userId || upload.conversation !== who.conversation)) throw NOT_YOURS;
    },

    async onUploadCreate(req, upload: Upload) {
      const who = claims(req);
      // An empty file is no file to share, and would cost nothing against any quota: refused.
      if (upload.size === 0) throw { status_code: 400, body: 'EMPTY_FILE: An upload needs at least one byte.\n' } satisfies TusError;
      let refusal;
      try {
        refusal = await quota.reserve(upload.id, who.userId, upload.size ?? 0);
      } catch (err) {
        log.warn({ err }, 'the shared upload quota is unreachable');
        throw { status_code: 503, body: 'UNAVAILABLE: The relay cannot count uploads right now; try again shortly.\n' } satisfies TusError;
      }
      if (refusal) {
        const whose = refusal.scope === 'user' ? 'Your uploads' : "This relay's uploads";
        throw { status_code: 403, body: `QUOTA_EXCEEDED: ${whose} would pass their quota of ${formatBytes(refusal.limit)} (${formatBytes(refusal.used)} used).\n` } satisfies TusError;
      }
      const node = nodeOf(req);
      if (node) {
        creating.set(node.req, upload.id);
        // A creation that failed before the store made the upload does not keep its reservation.
        node.res.once('close', () => {
          if (!created.delete(upload.id)) void quota.release(upload.id);
        });
      }
      const suggested = upload.metadata?.filename ?? upload.metadata?.name ?? '';
      return {
        metadata: {
          [UPLOAD_META.name]: suggested.slice(0, 1024),
          [UPLOAD_META.owner]: who.userId,
          [UPLOAD_META.conversation]: who.conversation,
        },
      };
    },

    async onUploadFinish(_req, upload: Upload) {
      const finished = await deps.finish(upload.id).catch((err: unknown) => {
        // An image over the pixel limit: the upload is deleted by now, and the client told why.
        if (err instanceof ParleyError && err.code === ErrorCode.IMAGE_TOO_LARGE) throw { status_code: 422, body: `${err.code}: ${err.message}\n` } satisfies TusError;
        // Too many images waiting (images.ts): every byte is in, so sending the message later (or a
        // HEAD, then nothing more to send) finishes it once there is room.
        if (err instanceof ParleyError && err.code === ErrorCode.RATE_LIMITED) throw { status_code: 503, body: `${err.code}: ${err.message}\n` } satisfies TusError;
        throw err;
      });
      if (!finished) throw { status_code: 500, body: 'The upload could not be recorded; try again.\n' } satisfies TusError;
      return {};
    },

    async onResponseError(req, err) {
      const status = 'status_code' in err ? err.status_code : 500;
      if (status >= 500) log.warn({ err, method: req.method }, 'upload request failed');
      if (status !== 413) return undefined;
      // Longer than declared, or than the limit: the upload is wrong, not just unlucky; nothing of it is kept.
      const node = nodeOf(req);
      const id = req.method === 'POST' ? node && creating.get(node.req) : uploadIdOf(req.url);
      // Awaited: once the client has its answer, the upload is gone.
      if (id) await deps.discard(id).catch((e: unknown) => log.warn({ err: e, id }, 'could not discard an over-long upload'));
      return { status_code: 413, body: `FILE_TOO_LARGE: More bytes than the upload declared, or than this relay takes (${formatBytes(maxBytes)}); the upload was discarded.\n` };
    },
  });
  tus.on(EVENTS.POST_CREATE, (_req, upload) => void created.add(upload.id));
  // A client cancelled an unfinished upload: its bytes are gone, its share is free again.
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id) => void quota.release(id));
  return tus;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/** The upload id of exactly `/uploads/<id>`: no query, no further segments, a well-formed id. */
function uploadIdOf(url: string): string | undefined {
  const parsed = new URL(url, 'http://relay');
  if (parsed.search !== '') return undefined;
  const path = parsed.pathname;
  const id = path.slice(UPLOAD_PATH.length + 1);
  return path.startsWith(`${UPLOAD_PATH}/`) && FILE_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Answers without reading the body: tus's version header, so that tus clients read the answer as
 * tus, and CORS for a listed origin, so that a page can read the status rather than a network error.
 */
function refuse(res: ServerResponse, status: number, body: string, cors?: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'tus-resumable': '1.0.0',
    ...(cors ? { 'access-control-allow-origin': cors, vary: 'Origin' } : {}),
    ...headers,
  });
  res.end(body);
}
