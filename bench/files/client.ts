/**
 * What the file benchmark's processes share: a logged-in Parley socket, and one tus upload of a
 * buffer with tus-js-client, the way the Parley client uploads (one PATCH per file, resumable).
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { io as connect, type Socket } from 'socket.io-client';
import { Upload } from 'tus-js-client';
import { PROTOCOL_VERSION, type UploadTokenOk } from '../../protocol/index';

export async function parleySocket(url: string, name: string): Promise<Socket> {
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
  const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { client: 'parley', protocol: PROTOCOL_VERSION, key } });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  const login = (await s.timeout(30_000).emitWithAck('add user', { username: name })) as { ok: boolean; message?: string };
  if (!login.ok) throw new Error(`login refused: ${login.message}`);
  return s;
}

export async function uploadToken(socket: Socket): Promise<string> {
  const res = (await socket.timeout(30_000).emitWithAck('upload:token', { room: 'lobby' })) as UploadTokenOk & { ok: boolean; message?: string };
  if (!res.ok) throw new Error(`upload:token refused: ${res.message}`);
  return res.token;
}

/** Uploads `data` to the relay at `url`; resolves when the relay has answered its last byte. */
export function tusUpload(url: string, token: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(data, {
      endpoint: `${url}/uploads`,
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: 'bench.bin' },
      chunkSize: Infinity,
      retryDelays: null,
      storeFingerprintForResuming: false,
      onSuccess: () => resolve(),
      onError: reject,
    });
    upload.start();
  });
}

/**
 * Uploads `data` as a client on a network of `bytesPerSecond` would: the tus creation, then one
 * PATCH whose body is released in 10 ms slices at that rate (a LAN's pace rather than loopback's).
 */
export async function pacedUpload(url: string, token: string, data: Buffer, bytesPerSecond: number): Promise<void> {
  const tus = { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` };
  const created = await send(`${url}/uploads`, 'POST', { ...tus, 'upload-length': data.length });
  if (created.status !== 201 || !created.location) throw new Error(`tus creation answered ${created.status}`);
  const patched = await send(new URL(created.location, url).href, 'PATCH', { ...tus, 'upload-offset': 0, 'content-type': 'application/offset+octet-stream', 'content-length': data.length }, paced(data, bytesPerSecond));
  if (patched.status !== 204) throw new Error(`tus PATCH answered ${patched.status}`);
}

/** The same bytes at the same pace as one PUT to the plain upload server (baselines/plain-upload.ts). */
export async function pacedPut(url: string, data: Buffer, bytesPerSecond: number): Promise<void> {
  const put = await send(url, 'PUT', { 'content-length': data.length }, paced(data, bytesPerSecond));
  if (put.status !== 204) throw new Error(`plain PUT answered ${put.status}`);
}

function paced(data: Buffer, bytesPerSecond: number): Readable {
  const slice = Math.max(1, Math.round(bytesPerSecond / 100));
  const start = performance.now();
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= data.length) return void this.push(null);
      // Paced against the start, so a late timer does not slow the whole upload down.
      const due = start + (sent / bytesPerSecond) * 1000;
      setTimeout(() => {
        const end = Math.min(data.length, sent + slice);
        const chunk = data.subarray(sent, end);
        sent = end;
        this.push(chunk);
      }, Math.max(0, due - performance.now()));
    },
  });
}

function send(target: string, method: string, headers: Record<string, string | number>, body?: Readable): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}
