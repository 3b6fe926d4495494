/**
 * What the file benchmark's processes share: a logged-in Parley socket, and one tus upload of a
 * buffer with tus-js-client, the way the Parley client uploads (one PATCH per file, resumable).
 */
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
