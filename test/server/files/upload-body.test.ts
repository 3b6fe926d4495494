/**
 * The upload body handed to tus: the request's own Buffers (no copy), the request paused while
 * nobody reads, and a request cut short an error, not a short file. Real HTTP requests on loopback.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf } from '../../../server/files/upload-body';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server that hands each request to `onRequest`, and the port it listens on. */
async function serve(onRequest: (req: IncomingMessage) => void): Promise<number> {
  const server = createServer((req) => onRequest(req));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Sends `chunks` as a PATCH body; `end: false` leaves the request open (the caller cuts it). */
function send(port: number, chunks: Buffer[], end = true): ReturnType<typeof request> {
  const req = request({ port, host: '127.0.0.1', method: 'PATCH', path: '/', headers: end ? {} : { 'content-length': String(1 << 20) } });
  req.on('error', () => {});
  for (const c of chunks) req.write(c);
  if (end) req.end();
  return req;
}

describe('bodyOf', () => {
  it('gives the bytes in order, as the Buffers the request read (not copies)', async () => {
    const seen: { chunks: Uint8Array[]; read: Buffer[] } = { chunks: [], read: [] };
    const done = new Promise<void>((resolve, reject) => {
      void serve(async (req) => {
        // What the request emits is what the stream must pass on, object for object.
        req.on('data', (c: Buffer) => seen.read.push(c));
        try {
          for await (const chunk of bodyOf(req)) seen.chunks.push(chunk);
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }).then((port) => send(port, [Buffer.alloc(100_000, 1), Buffer.alloc(50_000, 2), Buffer.from('end')]));
    });
    await done;
    const all = Buffer.concat(seen.chunks);
    expect(all.length).toBe(150_003);
    expect(all.subarray(0, 100_000).every((b) => b === 1)).toBe(true);
    expect(all.subarray(100_000, 150_000).every((b) => b === 2)).toBe(true);
    expect(all.subarray(150_000).toString()).toBe('end');
    expect(seen.chunks.length).toBe(seen.read.length);
    seen.chunks.forEach((c, i) => expect(c).toBe(seen.read[i]));
  });

  it('pauses the request while nobody reads, and resumes it when read', async () => {
    let stream: ReadableStream<Uint8Array> | undefined;
    let emitted = 0;
    // Paused once data has flowed: the stream's 64 KiB buffer is full and nobody reads it.
    const paused = new Promise<IncomingMessage>((resolve) => {
      void serve((req) => {
        stream = bodyOf(req);
        req.on('data', (c: Buffer) => (emitted += c.length));
        req.on('pause', () => emitted > 0 && resolve(req));
      }).then((port) => send(port, [Buffer.alloc(4 << 20, 7)]));
    });
    const req = await paused;
    const atPause = emitted;
    expect(req.isPaused()).toBe(true);
    expect(atPause).toBeLessThan(4 << 20);
    let total = 0;
    for await (const chunk of stream!) total += chunk.byteLength;
    expect(total).toBe(4 << 20);
    expect(emitted).toBe(4 << 20);
  });

  it('errors when the request is cut before its end', async () => {
    const outcome = new Promise<unknown>((resolve) => {
      void serve(async (req) => {
        try {
          for await (const chunk of bodyOf(req)) void chunk;
          resolve('ended');
        } catch (err) {
          resolve(err);
        }
      }).then((port) => {
        const req = send(port, [Buffer.alloc(10_000, 3)], false);
        req.once('socket', (s) => s.once('connect', () => setImmediate(() => req.destroy())));
      });
    });
    const result = await outcome;
    expect(result).toBeInstanceOf(Error);
  });
});
