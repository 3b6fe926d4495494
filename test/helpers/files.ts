/**
 * File sharing in tests: upload tokens over a logged-in socket, real tus-js-client uploads in Node,
 * and raw HTTP to the relay's /uploads and /files (node:http, so that headers such as Origin are
 * sent exactly as given and a request can stop before its body).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Upload, type HttpRequest } from 'tus-js-client';
import type { FileUrlOk, UploadTokenOk } from '../../protocol/index';
import type { Relay } from '../../server/index';
import { request, type TestSocket } from './clients';

export async function uploadToken(socket: TestSocket, room = 'lobby'): Promise<UploadTokenOk> {
  const res = await request<UploadTokenOk>(socket, 'upload:token', { room });
  if (!res.ok) throw new Error(`upload:token refused: ${res.code} ${res.message}`);
  return res;
}

/** GETs (or HEADs) a file as the Parley client does: its member-only URL with the token minted with it. */
export function download(relay: { url: string }, link: FileUrlOk, headers: Record<string, string | number> = {}, method = 'GET'): Promise<RawResponse> {
  return raw(relay, method, link.url, { authorization: `Bearer ${link.token}`, ...headers });
}

export async function fileUrl(socket: TestSocket, room: string, id: string): Promise<FileUrlOk> {
  const res = await request<FileUrlOk>(socket, 'file:url', { room, id });
  if (!res.ok) throw new Error(`file:url refused: ${res.code} ${res.message}`);
  return res;
}

export interface TusOptions {
  filename?: string;
  chunkSize?: number;
  /** Resume this upload instead of creating one. */
  uploadUrl?: string;
  /** Called with each request before it is sent (tus-js-client's hook). */
  onBeforeRequest?: (req: HttpRequest) => void;
  /** Abort once this many bytes are acknowledged; the promise then resolves with `aborted: true`. */
  abortAfter?: number;
  /** tus-js-client's progress: bytes of the body sent so far (acknowledged or not). */
  onProgress?: (sent: number) => void;
}

export interface TusOutcome {
  /** The upload's URL (absolute, as tus-js-client resolves it). */
  url: string;
  /** The attachment id: the URL's last path segment. */
  id: string;
  aborted: boolean;
}

/** Uploads `data` with tus-js-client; rejects with its error (which carries the response). */
export function tusUpload(relay: Pick<Relay, 'url'>, token: string, data: Buffer, opts: TusOptions = {}): Promise<TusOutcome> {
  return new Promise((resolve, reject) => {
    const done = (aborted: boolean) => {
      const url = upload.url!;
      resolve({ url, id: url.slice(url.lastIndexOf('/') + 1), aborted });
    };
    const upload = new Upload(data, {
      endpoint: `${relay.url}/uploads`,
      ...(opts.uploadUrl ? { uploadUrl: opts.uploadUrl } : {}),
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: opts.filename ?? 'file.bin', filetype: 'text/html' },
      chunkSize: opts.chunkSize ?? Infinity,
      // A test wants to see the first failure, not retries of it.
      retryDelays: null,
      storeFingerprintForResuming: false,
      ...(opts.onBeforeRequest ? { onBeforeRequest: opts.onBeforeRequest } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      onChunkComplete: (_size, accepted) => {
        if (opts.abortAfter !== undefined && accepted >= opts.abortAfter && accepted < data.length) {
          upload.abort().then(() => done(true), reject);
        }
      },
      onSuccess: () => done(false),
      onError: reject,
    });
    upload.start();
  });
}

/** Token + upload in one step: the attachment id. */
export async function uploaded(relay: Pick<Relay, 'url'>, socket: TestSocket, data: Buffer, filename = 'file.bin', room = 'lobby'): Promise<string> {
  const { token } = await uploadToken(socket, room);
  return (await tusUpload(relay, token, data, { filename })).id;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP request to the relay. `body` undefined sends none; `holdBody` sends the headers only
 * (with the Content-Length they declare) and waits for the answer, proving it came before the body.
 */
export function raw(relay: Pick<Relay, 'url'>, method: string, path: string, headers: Record<string, string | number> = {}, body?: Buffer | 'hold'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, relay.url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
        if (body === 'hold') req.destroy();
      });
      res.on('error', reject);
    });
    // A relay that answers early may close the connection while a body is still going out.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (body === 'hold') req.flushHeaders();
    else req.end(body);
  });
}

/** Headers of a tus request with a token. */
export function tusHeaders(token: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}`, ...extra };
}

/** Creates an upload of `length` bytes by hand (POST), returning its path. */
export async function createUpload(relay: Pick<Relay, 'url'>, token: string, length: number, filename = 'x.bin'): Promise<{ path: string; id: string; res: RawResponse }> {
  const res = await raw(relay, 'POST', '/uploads', tusHeaders(token, { 'upload-length': length, 'upload-metadata': `filename ${Buffer.from(filename).toString('base64')}` }));
  const path = res.headers.location ?? '';
  return { path, id: path.slice(path.lastIndexOf('/') + 1), res };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Bytes of a real (1×1) PNG, valid to a strict decoder (the relay decodes images: images.ts). */
export const PNG_1x1 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000a49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082',
  'hex',
);

/** Deterministic pseudo-random bytes (so a failure is reproducible). */
export function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
