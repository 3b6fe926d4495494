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
  async url(room: string, id: string, variant?: FileUrlRequest['variant']): Promise<{ href: string; token: string }> {
    const answer = await this.relay.request('file:url', variant ? { room, id, variant } : { room, id });
    if (!answer.ok) throw new FileFetchError(answer.code, answer.message);
    return { href: new URL(answer.url, this.base).href, token: answer.token };
  }

  /** The bytes of a file (or its thumbnail), typed as the relay sniffed them. */
  async fetch(room: string, id: string, variant?: FileUrlRequest['variant'], signal?: AbortSignal): Promise<Blob> {
    const { href, token } = await this.url(room, id, variant);
    let res: Response;
    try {
      // No cookies: the signed URL and its token are the permission (the URL alone is refused, so
      // it is never put in the page where it could be copied), and a cross-origin relay needs none.
      res = await fetch(href, { credentials: 'omit', headers: { authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new FileFetchError('UNREACHABLE', `Could not fetch ${href}.`);
    }
    if (!res.ok) throw new FileFetchError(`HTTP_${res.status}`, `The relay answered ${res.status}.`);
    return res.blob();
  }
}
