/**
 * Files on their way to the relay (protocol/files.ts, docs/files.md). Each picked, pasted or dropped
 * file starts uploading at once, with tus (resumable), while the user writes the caption; its last
 * byte in, it is an attachment id the message can carry. DOM-free: tus-js-client runs in the page,
 * in the desktop window and in the Node tests alike (blob-source.ts).
 *
 * One file's states:
 *  - queued     waiting for a slot (MAX_ACTIVE at a time) or for the connection: an upload needs a
 *               token, and tokens come over the socket
 *  - uploading  bytes going out: `sent` of `size`, `confirmed` by the relay
 *  - paused     by the user; resuming asks the relay where it stopped (HEAD) and sends the rest
 *  - failed     `reason`: the relay refused it (FILE_TOO_LARGE, QUOTA_EXCEEDED, IMAGE_TOO_LARGE,
 *               EMPTY_FILE, UNAUTHORIZED, an upload:token code), or the network failed while the
 *               socket stayed up (NETWORK); `resume` tries again
 *  - done       `id` is the attachment id
 *
 * A dropped connection is tus-js-client's to retry (retryDelays) from the offset the relay holds;
 * when its retries run out while the socket is down too, the file is queued again and resumes after
 * the next login (as does one that failed with NETWORK). The token goes on every request (onBeforeRequest) and is renewed when it nears
 * expiry, since a long upload outlives it, and once more should the relay answer 401 anyway.
 */
import { Upload, type DetailedError } from 'tus-js-client';
import { ATTACHMENTS_MAX, type ErrorsOf, type UploadTokenOk } from '../../protocol/index';
import { blobReader } from './blob-source';
import type { ClientState } from './client-state';
import { Emitter } from './emitter';
import { randomId } from './ids';
import type { RelayConnection } from './relay-connection';

export type UploadState = 'queued' | 'uploading' | 'paused' | 'failed' | 'done';

/** What the relay's refusals of an upload start with (its tus answers' bodies: "FILE_TOO_LARGE: …"). */
const RELAY_REASONS = ['FILE_TOO_LARGE', 'QUOTA_EXCEEDED', 'IMAGE_TOO_LARGE', 'EMPTY_FILE'] as const;

/**
 * Why an upload failed: the relay's word for it; an upload:token refusal; UNAUTHORIZED (a 401 that a
 * new token did not cure); TOO_MANY_FILES (over ATTACHMENTS_MAX for one message); NETWORK; FAILED
 * (any other answer).
 */
export type UploadReason = (typeof RELAY_REASONS)[number] | ErrorsOf<'upload:token'> | 'UNAUTHORIZED' | 'TOO_MANY_FILES' | 'NETWORK' | 'FAILED';

export interface FileUpload {
  /** This client's name for it (the attachment id comes only when it is done). */
  readonly key: string;
  readonly room: string;
  readonly name: string;
  readonly size: number;
  /** The type the system claims, for a local decision only (an image?); the relay sniffs its own. */
  readonly type: string;
  state: UploadState;
  /** Bytes sent so far. */
  sent: number;
  /** Bytes the relay has acknowledged. */
  confirmed: number;
  reason?: UploadReason;
  /** The relay's largest file, with FILE_TOO_LARGE. */
  maxBytes?: number;
  /** The tus upload's URL, once created: where a resume starts. */
  url?: string;
  /** The attachment id, once done. */
  id?: string;
  /** The client id of the message it was sent with; unset while it is a draft in the composer. */
  message?: string;
}

export interface UploadOptions {
  /** Bytes per PATCH request: the relay cuts a request after 300 s (docs/files.md). */
  chunkBytes?: number;
  /** tus-js-client's waits between attempts after a network error or a 5xx. */
  retryDelays?: number[];
}

/** At most this many files go out at once; the others wait their turn. */
export const MAX_ACTIVE = 3;
const CHUNK_BYTES = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000];
/** A token with less than this left is renewed before the next request. */
const RENEW_MARGIN_MS = 60_000;

/** upload:token said no. */
class TokenRefusal extends Error {
  constructor(readonly code: ErrorsOf<'upload:token'>, message: string) {
    super(message);
  }
}

/**
 * The relay answered 401. Raised from onAfterResponse because tus-js-client, given a 4xx to the HEAD
 * that starts a resume, would quietly begin a new upload instead (and lose what was sent); as an
 * error it reaches onShouldRetry, which renews the token and resumes.
 */
class Unauthorized extends Error {}

interface Entry {
  up: FileUpload;
  file: Blob;
  tus?: Upload;
  /** The next request takes a new token (the relay answered 401). */
  renew: boolean;
}

export class Uploads {
  /** An upload finished: its attachment id is known. */
  readonly finished = new Emitter<[FileUpload]>();
  /** An upload was cancelled and forgotten. */
  readonly removed = new Emitter<[FileUpload]>();
  /** Any change of any upload (progress too). */
  readonly changes = new Emitter<[FileUpload]>();
  private readonly entries = new Map<string, Entry>();
  private readonly tokens = new Map<string, UploadTokenOk>();
  private readonly asking = new Map<string, Promise<UploadTokenOk>>();
  private online = false;
  private readonly unwatch: () => void;

  constructor(
    private readonly state: ClientState,
    private readonly relay: RelayConnection,
    /** The relay's address: the token's `url` is a path on it. */
    private readonly base: string,
    private readonly opts: UploadOptions = {},
  ) {
    // Logged in: uploads waiting for a token start (a signal's subscription runs at once, too).
    this.unwatch = state.status.subscribe((status) => this.setOnline(status === 'online'));
  }

  /** Starts uploading `file` for `room` as a draft of the composer. */
  add(room: string, file: Blob, name = file instanceof File ? file.name : ''): FileUpload {
    const up: FileUpload = { key: randomId(12), room, name, size: file.size, type: file.type, state: 'queued', sent: 0, confirmed: 0 };
    const entry: Entry = { up, file, renew: false };
    const known = this.tokens.get(room)?.maxBytes;
    // Refused here when it can be: no request for what the relay would refuse on its headers.
    if (this.drafts(room).filter((u) => u.state !== 'failed').length >= ATTACHMENTS_MAX) this.fail(entry, 'TOO_MANY_FILES');
    else if (file.size === 0) this.fail(entry, 'EMPTY_FILE');
    else if (known !== undefined && file.size > known) this.fail(entry, 'FILE_TOO_LARGE', known);
    this.entries.set(up.key, entry);
    this.changed(up);
    this.pump();
    return up;
  }

  get(key: string): FileUpload | undefined {
    return this.entries.get(key)?.up;
  }

  /** The room's files not yet sent with a message, in the order they were added. */
  drafts(room: string): FileUpload[] {
    return [...this.entries.values()].map((e) => e.up).filter((u) => u.room === room && u.message === undefined);
  }

  /** These files go with message `clientId` now: no longer drafts. */
  bind(ups: readonly FileUpload[], clientId: string): void {
    for (const up of ups) up.message = clientId;
  }

  pause(key: string): void {
    const e = this.entries.get(key);
    if (!e || (e.up.state !== 'uploading' && e.up.state !== 'queued')) return;
    e.up.state = 'paused';
    // The relay keeps what it received; the same tus upload resumes from there.
    void e.tus?.abort();
    this.changed(e.up);
    this.pump();
  }

  /** Resumes a paused upload, or tries a failed one again. */
  resume(key: string): void {
    const e = this.entries.get(key);
    if (!e || (e.up.state !== 'paused' && e.up.state !== 'failed')) return;
    this.requeue(e);
    this.pump();
  }

  /**
   * Forgets an upload. An unfinished one is deleted on the relay (tus DELETE: its quota is freed);
   * a finished one may not be, and the relay drops it within the hour if no message carries it.
   */
  async cancel(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    const unfinished = e.up.state !== 'done' && e.up.url !== undefined;
    this.removed.emit(e.up);
    this.changed(e.up);
    this.pump();
    // Without a connection the DELETE fails; the relay deletes abandoned uploads after a day.
    await e.tus?.abort(unfinished).catch(() => undefined);
  }

  /** Stops every upload (the session ends); the relay keeps what it has. */
  close(): void {
    this.unwatch();
    this.online = false;
    for (const e of this.entries.values()) void e.tus?.abort();
  }

  private setOnline(online: boolean): void {
    this.online = online;
    // A new login is a good moment to try again what the network cut off (the socket may have
    // noticed the outage only after tus-js-client had given up).
    if (online) for (const e of this.entries.values()) if (e.up.state === 'failed' && e.up.reason === 'NETWORK') this.requeue(e);
    this.pump();
  }

  private requeue(e: Entry): void {
    e.up.state = 'queued';
    delete e.up.reason;
    delete e.up.maxBytes;
    this.changed(e.up);
  }

  private pump(): void {
    if (!this.online) return;
    let active = [...this.entries.values()].filter((e) => e.up.state === 'uploading').length;
    for (const e of this.entries.values()) {
      if (active >= MAX_ACTIVE) return;
      if (e.up.state !== 'queued') continue;
      active++;
      void this.start(e);
    }
  }

  private async start(e: Entry): Promise<void> {
    const { up } = e;
    up.state = 'uploading';
    this.changed(up);
    let token: UploadTokenOk;
    try {
      token = await this.token(up.room);
    } catch (err) {
      if (this.current(e)) this.failed(e, err as Error);
      return;
    }
    // Paused or cancelled while the token was on its way.
    if (!this.current(e)) return;
    if (up.size > token.maxBytes) return this.fail(e, 'FILE_TOO_LARGE', token.maxBytes);
    e.tus ??= this.tusUpload(e, new URL(token.url, this.base).href);
    e.tus.start();
  }

  private current(e: Entry): boolean {
    return this.entries.get(e.up.key) === e && e.up.state === 'uploading';
  }

  private tusUpload(e: Entry, endpoint: string): Upload {
    const { up } = e;
    const upload: Upload = new Upload(e.file, {
      endpoint,
      metadata: { filename: up.name },
      chunkSize: this.opts.chunkBytes ?? CHUNK_BYTES,
      retryDelays: this.opts.retryDelays ?? RETRY_DELAYS,
      // This model keeps the upload's URL itself: nothing in localStorage behind the user's back.
      storeFingerprintForResuming: false,
      fingerprint: () => Promise.resolve(up.key),
      fileReader: blobReader,
      onBeforeRequest: async (req) => {
        const renew = e.renew;
        e.renew = false;
        req.setHeader('Authorization', `Bearer ${(await this.token(up.room, renew)).token}`);
      },
      onAfterResponse: (_req, res) => {
        if (res.getStatus() === 401) throw new Unauthorized('The relay refused the upload token.');
      },
      onShouldRetry: (err, attempt) => {
        // An expired token (a long pause, a restarted relay, clocks that disagree): once more with a new one.
        if (err.causingError instanceof Unauthorized) return attempt === 0 && (e.renew = true);
        const status = statusOf(err);
        return status === 0 || status >= 500 || status === 409 || status === 423;
      },
      onUploadUrlAvailable: () => {
        up.url = upload.url ?? undefined;
      },
      onProgress: (sent) => {
        if (!this.current(e)) return;
        // The UI re-renders on each bump: once per percent is smooth enough.
        const moved = Math.floor((100 * sent) / up.size) !== Math.floor((100 * up.sent) / up.size);
        up.sent = sent;
        this.changed(up, moved);
      },
      onChunkComplete: (_chunk, accepted) => {
        up.confirmed = accepted;
        this.changed(up, false);
      },
      onSuccess: () => {
        if (this.entries.get(up.key) !== e) return;
        up.state = 'done';
        up.sent = up.confirmed = up.size;
        up.id = idOf(upload.url ?? '');
        this.finished.emit(up);
        this.changed(up);
        this.pump();
      },
      onError: (err) => {
        if (this.current(e)) this.failed(e, err);
      },
    });
    return upload;
  }

  /** The room's token, renewed when it is about to expire (or asked to); one request for all who wait. */
  private token(room: string, renew = false): Promise<UploadTokenOk> {
    const held = this.tokens.get(room);
    if (held && !renew && held.expiresAt - Date.now() > RENEW_MARGIN_MS) return Promise.resolve(held);
    let asking = this.asking.get(room);
    if (!asking) {
      asking = this.relay
        .request('upload:token', { room })
        .then((answer) => {
          if (!answer.ok) throw new TokenRefusal(answer.code, answer.message);
          this.tokens.set(room, answer);
          return answer;
        })
        .finally(() => this.asking.delete(room));
      this.asking.set(room, asking);
    }
    return asking;
  }

  /** An attempt ended without the file: refused, or cut off (then it waits for the connection, if that is down too). */
  private failed(e: Entry, err: Error): void {
    const reason = reasonOf(err);
    if ((reason === undefined || reason === 'UNAVAILABLE' || reason === 'SHUTTING_DOWN') && !this.relay.connected) {
      e.up.state = 'queued';
      this.changed(e.up);
      return;
    }
    this.fail(e, reason ?? 'NETWORK');
  }

  private fail(e: Entry, reason: UploadReason, maxBytes?: number): void {
    e.up.state = 'failed';
    e.up.reason = reason;
    if (maxBytes !== undefined) e.up.maxBytes = maxBytes;
    this.changed(e.up);
    this.pump();
  }

  private changed(up: FileUpload, visible = true): void {
    this.changes.emit(up);
    if (visible) this.state.bump();
  }
}

function statusOf(err: Error): number {
  return (err as DetailedError).originalResponse?.getStatus() ?? 0;
}

/** The reason in a failed attempt: a token refusal, the relay's prefix, or its status; undefined when no answer came. */
function reasonOf(err: Error): UploadReason | undefined {
  const { causingError: cause, originalResponse: res } = err as DetailedError;
  if (cause instanceof TokenRefusal) return cause.code;
  if (err instanceof TokenRefusal) return err.code;
  if (cause instanceof Unauthorized) return 'UNAUTHORIZED';
  if (!res || res.getStatus() === 0) return undefined;
  const prefix = /^([A-Z_]+):/.exec(res.getBody() ?? '')?.[1];
  const known = RELAY_REASONS.find((r) => r === prefix);
  if (known) return known;
  if (res.getStatus() === 401) return 'UNAUTHORIZED';
  if (res.getStatus() === 413) return 'FILE_TOO_LARGE';
  return 'FAILED';
}

/** The attachment id: the last path segment of the upload's URL (protocol/files.ts). */
function idOf(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? '';
}
