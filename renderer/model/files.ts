/**
 * Files in conversations, as the UI sees them: `uploads` (the files on their way, uploads.ts) and
 * reading shared files. `file:url` hands out a signed, short-lived address on the relay (never kept:
 * history stores attachments, not URLs), and the bytes are fetched from it. The UI shows images and
 * offers downloads from the fetched bytes (a blob: URL), never from the relay's address: the page's
 * CSP loads images from itself only, and the relay may be another origin.
 */
import type { FileUrlRequest } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { RelayConnection } from './relay-connection';
import { Uploads, type UploadOptions } from './uploads';

/** `file:url` said no, or the download failed: `code` is an ErrorCode or HTTP_<status> or UNREACHABLE. */
export class FileFetchError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileFetchError';
  }
}

export class Files {
  readonly uploads: Uploads;

  constructor(
    state: ClientState,
    private readonly relay: RelayConnection,
    /** The relay's address: upload and download URLs are paths on it. */
    private readonly base: string,
    options: UploadOptions = {},
  ) {
    this.uploads = new Uploads(state, relay, base, options);
  }

  close(): void {
    this.uploads.close();
  }

  /** A fresh signed URL for a file (or its thumbnail) of a conversation the user is in. */
  async url(room: string, id: string, variant?: FileUrlRequest['variant']): Promise<string> {
    const answer = await this.relay.request('file:url', variant ? { room, id, variant } : { room, id });
    if (!answer.ok) throw new FileFetchError(answer.code, answer.message);
    return new URL(answer.url, this.base).href;
  }

  /** The bytes of a file (or its thumbnail), typed as the relay sniffed them. */
  async fetch(room: string, id: string, variant?: FileUrlRequest['variant'], signal?: AbortSignal): Promise<Blob> {
    const url = await this.url(room, id, variant);
    let res: Response;
    try {
      // No credentials: the signature is the permission, and a cross-origin relay needs no cookie.
      res = await fetch(url, { credentials: 'omit', ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new FileFetchError('UNREACHABLE', `Could not fetch ${url}.`);
    }
    if (!res.ok) throw new FileFetchError(`HTTP_${res.status}`, `The relay answered ${res.status}.`);
    return res.blob();
  }
}
