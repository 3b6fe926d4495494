/**
 * The offline outbox. Every message the user sends goes through it: it is kept (and persisted)
 * until the relay acknowledges it and retried with the same client id, so the relay stores it
 * exactly once even when an ack was lost.
 *
 * Sending is pipelined (up to WINDOW messages in flight) rather than one round trip at a time: the
 * relay handles one connection's messages strictly in arrival order, so order is kept, and a slow
 * acknowledgement (the relay waiting for its store) does not hold back the messages behind it.
 *
 * Outcomes of one attempt:
 *  - ok                                   → done
 *  - a permanent refusal (too large, …)   → failed; the user may retry or discard it
 *  - RATE_LIMITED                         → paused as told, then sent again, still in order (the
 *                                           relay refuses the later ones of the burst too)
 *  - timeout, relay trouble, disconnect   → queued again; resent after a growing pause, or when
 *                                           the connection is back
 *
 * A message with files waits, queued, until every file has its attachment id (uploads.ts); messages
 * behind it go meanwhile, so a large upload holds back nothing else. Files cannot outlive the page
 * that picked them: a message whose uploads were cut short by a reload is failed on loading, without
 * those files, and the user chooses to send the rest (retry) or not (discard).
 */
import { ErrorCode, type Answer, type ErrorsOf, type SendOk } from '../../protocol/index';

export interface OutboxItem {
  clientId: string;
  room: string;
  text: string;
  createdAt: number;
  attempts: number;
  state: 'queued' | 'sending' | 'failed';
  error?: string;
  /** Files sent with the message, in order. */
  files?: OutboxFile[];
}

/** A file of a message: the upload's key in this client, and its attachment id once uploaded. */
export interface OutboxFile {
  key: string;
  name: string;
  size: number;
  id?: string;
}

/** Why a message loaded from storage lost files (model-text.ts shows it translated). */
export const UPLOAD_LOST = 'A file was still uploading when Parley closed: attach it again.';

export type SendFn = (item: OutboxItem) => Promise<Answer<'new message'>>;

export interface OutboxStorage {
  load(): OutboxItem[];
  save(items: readonly OutboxItem[]): void;
}

export interface OutboxEvents {
  sent(item: OutboxItem, ack: SendOk): void;
  changed(item: OutboxItem): void;
}

const PERMANENT: ReadonlySet<ErrorsOf<'new message'>> = new Set<ErrorsOf<'new message'>>([
  ErrorCode.INVALID_PAYLOAD,
  ErrorCode.TOO_LARGE,
  ErrorCode.EMPTY_MESSAGE,
  ErrorCode.NOT_IN_ROOM,
  ErrorCode.UNKNOWN_ROOM,
  ErrorCode.USER_NOT_FOUND,
  // The relay no longer has a file (unsent for an hour, or never finished): sending again cannot help.
  ErrorCode.UNKNOWN_FILE,
]);

/** After this many unanswered or failed attempts of one message, stop and let the user decide. */
export const MAX_ATTEMPTS = 8;
/** Messages in flight at once. */
export const WINDOW = 16;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Outbox {
  private items: OutboxItem[];
  private online = false;
  private inflight = 0;
  private pausedUntil = 0;
  private timer: unknown;

  constructor(
    private readonly send: SendFn,
    private readonly events: OutboxEvents,
    private readonly storage?: OutboxStorage,
    private readonly clock: Clock = realClock,
  ) {
    // Anything that was mid-flight when the page closed is simply queued again (same client id).
    this.items = (storage?.load() ?? []).map((i): OutboxItem => (i.state === 'sending' ? { ...i, state: 'queued' } : i)).flatMap(withoutLostFiles);
  }

  enqueue(room: string, text: string, clientId: string, now: number = this.clock.now(), files: readonly OutboxFile[] = []): OutboxItem {
    const item: OutboxItem = { clientId, room, text, createdAt: now, attempts: 0, state: 'queued' };
    if (files.length > 0) item.files = files.map((f) => ({ ...f }));
    this.items.push(item);
    this.persist();
    this.events.changed(item);
    this.pump();
    return item;
  }

  /** Connection (and login) up or down. Coming up sends what is queued. */
  setOnline(online: boolean): void {
    this.online = online;
    if (online) {
      // A pause was about this relay's earlier state; a new connection starts fresh.
      this.pausedUntil = 0;
      this.pump();
    }
  }

  retry(clientId: string): void {
    const item = this.items.find((i) => i.clientId === clientId);
    if (!item || item.state !== 'failed') return;
    // Retried messages go after what is already queued: the user chose to send it now.
    this.items = [...this.items.filter((i) => i !== item), item];
    item.state = 'queued';
    item.attempts = 0;
    delete item.error;
    this.persist();
    this.events.changed(item);
    this.pump();
  }

  discard(clientId: string): OutboxItem | undefined {
    const item = this.items.find((i) => i.clientId === clientId && i.state !== 'sending');
    if (!item) return undefined;
    this.items = this.items.filter((i) => i !== item);
    this.persist();
    return item;
  }

  /** A file of a queued message is uploaded: the message goes once all of its files are. */
  fileDone(clientId: string, key: string, id: string): void {
    const file = this.items.find((i) => i.clientId === clientId)?.files?.find((f) => f.key === key);
    if (!file) return;
    file.id = id;
    this.persist();
    this.pump();
  }

  /**
   * A file was taken out of a message that has not gone yet (the user cancelled its upload). Returns
   * the message when nothing is left of it (no file, no text): it is discarded.
   */
  dropFile(clientId: string, key: string): OutboxItem | undefined {
    const item = this.items.find((i) => i.clientId === clientId && i.state !== 'sending');
    if (!item?.files) return undefined;
    item.files = item.files.filter((f) => f.key !== key);
    if (item.files.length === 0 && item.text.trim() === '') return this.discard(clientId);
    this.persist();
    this.events.changed(item);
    this.pump();
    return undefined;
  }

  list(): readonly OutboxItem[] {
    return this.items;
  }

  get queuedCount(): number {
    return this.items.filter((i) => i.state !== 'failed').length;
  }

  /** Sends queued messages, oldest first, while online, unpaused and the window has room. */
  private pump(): void {
    if (!this.online) return;
    const now = this.clock.now();
    if (now < this.pausedUntil) {
      if (this.timer === undefined) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, this.pausedUntil - now);
      }
      return;
    }
    while (this.inflight < WINDOW) {
      const item = this.items.find((i) => i.state === 'queued' && uploaded(i));
      if (!item) return;
      this.dispatch(item);
    }
  }

  private dispatch(item: OutboxItem): void {
    item.state = 'sending';
    item.attempts++;
    this.inflight++;
    this.persist();
    this.events.changed(item);
    this.send(item)
      .then(
        (result) => this.settle(item, result),
        () => this.settle(item, null),
      )
      .finally(() => {
        this.inflight--;
        this.pump();
      });
  }

  private settle(item: OutboxItem, result: Answer<'new message'> | null): void {
    if (!this.items.includes(item)) return; // discarded meanwhile
    if (result?.ok) {
      this.items = this.items.filter((i) => i !== item);
      this.persist();
      this.events.sent(item, result);
      return;
    }
    if (result && PERMANENT.has(result.code)) return this.fail(item, result.message);
    if (result?.code === ErrorCode.RATE_LIMITED) {
      item.attempts--; // being told to wait is not a failed attempt
      this.requeue(item, result.retryAfterMs ?? 1000);
      return;
    }
    // No answer, a disconnect, or relay trouble: try again later with the same client id.
    if (item.attempts >= MAX_ATTEMPTS) return this.fail(item, 'Could not be delivered.');
    this.requeue(item, Math.min(30_000, 1000 * 2 ** (item.attempts - 1)));
  }

  private requeue(item: OutboxItem, pauseMs: number): void {
    item.state = 'queued';
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + pauseMs);
    this.persist();
    this.events.changed(item);
  }

  private fail(item: OutboxItem, error: string): void {
    item.state = 'failed';
    item.error = error;
    this.persist();
    this.events.changed(item);
  }

  private persist(): void {
    this.storage?.save(this.items);
  }
}

/** Every file of the message has its attachment id. */
export function uploaded(item: OutboxItem): boolean {
  return item.files?.every((f) => f.id !== undefined) ?? true;
}

/** A stored message whose uploads the last run did not finish: failed without them, or gone if nothing is left. */
function withoutLostFiles(item: OutboxItem): OutboxItem[] {
  if (uploaded(item)) return [item];
  const files = item.files!.filter((f) => f.id !== undefined);
  if (files.length === 0 && item.text.trim() === '') return [];
  return [{ ...item, files, state: 'failed', error: UPLOAD_LOST }];
}
