/**
 * What a file is, from its bytes alone: the client's name and claimed type are never believed. The
 * signature check is file-type's (magic numbers, and for containers such as ZIP-based documents a
 * look inside); what it does not recognise is text/plain when the whole file is UTF-8 text, and
 * application/octet-stream otherwise. HTML and SVG have no signature, so they come out as text/plain
 * (or application/xml): both are served as downloads, never rendered (downloads.ts).
 */
import type { Readable } from 'node:stream';

export interface Sniffed {
  /** MIME type. */
  type: string;
  /** The type's usual extension, when file-type recognised it. */
  ext?: string;
}

export const TEXT_TYPE = 'text/plain';
export const BINARY_TYPE = 'application/octet-stream';

// Text has no NUL and no control characters besides tab, line breaks, form feed and escape (ANSI
// colours in logs); a file with them is a binary that happens to be valid UTF-8.
const BINARY_CONTROL = /[\u0000-\u0008\u000E-\u001A\u001C-\u001F\u007F]/;

/** Sniffs a finished file; `open` gives a fresh stream of its bytes each time. */
export async function sniff(open: () => Readable): Promise<Sniffed> {
  // Loaded on first use: evaluating its signature tables at start-up cost the embedded relay ~10 ms.
  const { fileTypeFromStream } = await import('file-type');
  const stream = open();
  try {
    // file-type's Node entry (what Node and the Node bundles load) reads Node streams; TypeScript's
    // bundler resolution sees its browser typings, which name web streams only.
    const found = await fileTypeFromStream(stream as unknown as Parameters<typeof fileTypeFromStream>[0]);
    if (found) return { type: found.mime, ext: found.ext };
  } finally {
    stream.destroy();
  }
  return { type: (await isText(open())) ? TEXT_TYPE : BINARY_TYPE };
}

/** Whether the whole stream is UTF-8 without binary control characters (streamed: any size). */
async function isText(stream: Readable): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of stream) {
      if (BINARY_CONTROL.test(decoder.decode(chunk as Buffer, { stream: true }))) return false;
    }
    // Throws when the file ends inside a character.
    decoder.decode();
    return true;
  } catch (err) {
    if (err instanceof TypeError) return false;
    throw err;
  } finally {
    stream.destroy();
  }
}
