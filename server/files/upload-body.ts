/**
 * Hands a Node request to @tus/server with a body stream that does not copy what it reads.
 *
 * Why: `server.handle(req, res)` wraps the request with srvx, whose body is `Readable.toWeb(req)`,
 * and Node's adapter copies every chunk into a new Uint8Array (so a pooled Buffer cannot be
 * detached by a byte stream's reader). An upload then allocates each byte twice outside the JS
 * heap, and V8 answers external allocation with full garbage collections: at 105 MB/s of uploads
 * the relay ran 74 mark-compacts in 20 s, each pausing its event loop 3.5–7 ms, which is what chat
 * messages waited behind (bench/README.md "Files"). tus reads the body as a default (not byte)
 * stream and only pipes it into the store: nothing transfers or detaches the chunks, so the
 * request's own Buffers can pass as they are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import type { Server } from '@tus/server';

/** What `server.handle(req, res)` does, with `bodyOf(req)` as the request body. */
export async function handleUpload(tus: Server, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { NodeRequest, sendNodeResponse } = await import('srvx/node');
  const request = new NodeRequest({ req, res });
  // Only PATCH carries file bytes; the others keep srvx's body (empty or tiny).
  if (req.method === 'PATCH') Object.defineProperty(request, 'body', { value: bodyOf(req), configurable: true });
  const response = await tus.handleWeb(request as unknown as Request);
  await sendNodeResponse(res, response);
}

/**
 * The request's bytes as a web stream of its own Buffers (a Buffer is a Uint8Array). Reading pauses
 * the request while the stream's consumer is behind, so a slow disk slows the sender down through
 * TCP instead of filling memory; a request that ends early errors the stream, as toWeb does.
 */
// What may wait between the socket and the store: a few socket reads, as toWeb allows (16 KiB).
const BUFFERED_BYTES = 64 * 1024;

export function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on('data', (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      finished(req, (err) => {
        // Once: a cancelled stream is past both.
        try {
          if (err) controller.error(err);
          else controller.close();
        } catch {
          // Already closed or cancelled.
        }
      });
    },
    pull() {
      req.resume();
    },
    cancel(reason) {
      req.destroy(reason instanceof Error ? reason : undefined);
    },
  }, { highWaterMark: BUFFERED_BYTES, size: (chunk) => chunk.byteLength });
}
