/**
 * Group commit: every write asked for during one turn of the event loop goes to disk in one LevelDB
 * batch with `sync: true` (one fsync), and each caller's promise resolves only once that batch is
 * durable. While a batch is being written the next one gathers, so under load each fsync carries
 * many messages and throughput follows the disk's fsync rate times the batch size, not one message
 * per fsync. Batches are written one at a time, in order: a later write never lands before an
 * earlier one.
 *
 * After a failed batch (a full disk) the database is reopened before the next one: LevelDB would
 * otherwise append later batches to a log file that now ends in a torn record, and on recovery it
 * drops what follows such a record, acknowledged or not. Reopening replays the log up to the tear
 * into a table and starts a new log; while the disk is still full that fails, and so does every
 * write, until there is room again.
 */
import type { ClassicLevel } from 'classic-level';

/** How soon a failed reopen is tried again. */
const REOPEN_RETRY_MS = 2000;

export type WriteOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

interface Pending {
  ops: WriteOp[];
  resolve(): void;
  reject(err: unknown): void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing: Promise<void> | undefined;
  private broken = false;
  private reopening: Promise<void> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Batches written and operations in them, for /healthz and the bench. */
  readonly stats = { batches: 0, ops: 0, reopens: 0 };

  constructor(private readonly db: ClassicLevel<string, unknown>) {}

  /** Resolves when `ops` are on disk; rejects (with the database's error) if their batch failed. */
  write(ops: WriteOp[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything asked for so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing || this.scheduled) {
      await (this.writing ?? new Promise<void>((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate: after this turn's I/O callbacks, so every message read in this turn joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.flush().finally(() => {
        this.writing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const ops = batch.flatMap((p) => p.ops);
    try {
      if (this.broken) await this.reopen();
      // A chained batch, not db.batch(array): abstract-level copies and checks every operation of an
      // array batch in JavaScript, about four times the CPU per operation here (bench/README.md).
      const batched = this.db.batch();
      for (const op of ops) {
        if (op.type === 'put') batched.put(op.key, op.value);
        else batched.del(op.key);
      }
      await batched.write({ sync: true });
      this.stats.batches++;
      this.stats.ops += ops.length;
      for (const p of batch) p.resolve();
    } catch (err) {
      this.broken = true;
      for (const p of batch) p.reject(err);
    }
  }

  private reopen(): Promise<void> {
    this.reopening ??= (async () => {
      try {
        if (this.db.status === 'open') await this.db.close();
        await this.db.open();
        this.broken = false;
        this.stats.reopens++;
      } catch (err) {
        // Closed and not reopened (the disk is still full): reads fail too, so try again soon even
        // if no write comes to do it.
        this.retry ??= setTimeout(() => {
          this.retry = undefined;
          this.reopen().catch(() => {});
        }, REOPEN_RETRY_MS);
        this.retry.unref?.();
        throw err;
      } finally {
        this.reopening = undefined;
      }
    })();
    return this.reopening;
  }

  /**
   * Resolves when the database can be read: at once while it is open (a failed write leaves what is
   * on disk readable), or after reopening it when a failed reopen left it closed.
   */
  readable(): Promise<void> {
    return this.db.status === 'open' ? Promise.resolve() : this.reopen();
  }

  /** Stops retrying a reopen (the store is closing). */
  stop(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
  }
}
