/**
 * How tus-js-client reads the file being uploaded. Its own readers differ by platform: the browser's
 * takes a Blob, Node's only a Buffer or a stream. This one reads a Blob (a File is one) the same way
 * in the page, in the desktop window and in the Node tests: chunk by chunk, as bytes, which both
 * platforms' HTTP stacks send (XHR takes a Uint8Array; Node's writes one with progress). So the model
 * is tested as it runs, and holds one chunk in memory at a time, however large the file.
 */
import type { Upload } from 'tus-js-client';

type FileReader = NonNullable<ConstructorParameters<typeof Upload>[1]['fileReader']>;
type FileSource = Awaited<ReturnType<FileReader['openFile']>>;

/** The bytes of one chunk; tus-js-client reads its length as `size` (Node's http stack too, for Content-Length). */
type Chunk = Uint8Array & { size: number };

function blobSource(blob: Blob): FileSource {
  return {
    size: blob.size,
    async slice(start: number, end: number) {
      const bytes = new Uint8Array(await blob.slice(start, end).arrayBuffer());
      const value: Chunk = Object.assign(bytes, { size: bytes.length });
      return { value, done: end >= blob.size };
    },
    close() {
      // Nothing is held between slices.
    },
  };
}

export const blobReader: FileReader = {
  openFile(input: unknown) {
    if (!(input instanceof Blob)) return Promise.reject(new Error('Only a Blob or File can be uploaded.'));
    return Promise.resolve(blobSource(input));
  },
};
