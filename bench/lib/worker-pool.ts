/**
 * The coordinator's handle on its load-generator workers: forked processes (one per core by default)
 * that each hold a contiguous slice of the clients and answer commands over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Replies, Reply, Request } from '../workers/protocol';
import { track } from './children';
import { withTimeout } from './time';

const WORKER = fileURLToPath(new URL('../workers/client-worker.ts', import.meta.url));

export interface Slice {
  base: number;
  count: number;
}

export class WorkerPool {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly workers: ChildProcess[]) {
    for (const w of workers) {
      w.on('message', (reply: Reply) => {
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.ok) waiter.resolve(reply.result);
        else waiter.reject(new Error(reply.error));
      });
      w.once('exit', (code, signal) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`worker exited (code ${code}, signal ${signal})`));
        this.pending.clear();
      });
    }
  }

  static start(size: number): WorkerPool {
    const workers = Array.from({ length: size }, () =>
      track(fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
    );
    return new WorkerPool(workers);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid!).filter((pid) => pid !== undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Splits `total` clients into one contiguous slice per worker. */
  slices(total: number): Slice[] {
    const per = Math.floor(total / this.size);
    const extra = total % this.size;
    let base = 0;
    return this.workers.map((_, i) => {
      const count = per + (i < extra ? 1 : 0);
      const slice = { base, count };
      base += count;
      return slice;
    });
  }

  request<C extends Command>(worker: number, command: C, timeoutMs: number): Promise<Replies[C['type']]> {
    const id = this.nextId++;
    const request: Request = { id, command };
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker]!.send(request);
    });
    return withTimeout(reply, timeoutMs, `worker ${worker}: ${command.type}`).finally(() => this.pending.delete(id)) as Promise<Replies[C['type']]>;
  }

  /** Sends a command (built per worker) to every worker and waits for all answers. */
  all<C extends Command>(build: (worker: number) => C, timeoutMs: number): Promise<Replies[C['type']][]> {
    return Promise.all(this.workers.map((_, i) => this.request(i, build(i), timeoutMs)));
  }

  close(): void {
    for (const w of this.workers) w.kill('SIGTERM');
  }
}
