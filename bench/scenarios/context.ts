/** What every scenario gets from the run, and helpers they share. */
import type { ClientKind } from '../clients/types';
import { ServerProcess } from '../lib/server-process';
import { dialect, type ServerName } from '../lib/servers';
import type { WorkerPool } from '../lib/worker-pool';

export interface ScenarioContext {
  pool: WorkerPool;
  cpuProfDir: string | undefined;
  /** Idle-detection window after logins (see Preset). */
  settleMs: number;
  /** Progress line (stderr; stdout is for the report). */
  log(message: string): void;
}

/** The cheap client for a server's protocol (see clients/types.ts). */
export function liteKind(server: ServerName): ClientKind {
  const d = dialect(server);
  return d === 'parley' ? 'parley-lite' : d === 'classic' ? 'classic-lite' : 'ws-lite';
}

/** Runs `fn` against a fresh server process and always stops it, so every scenario starts clean. */
export async function withServer<T>(ctx: ScenarioContext, name: ServerName, fn: (server: ServerProcess) => Promise<T>): Promise<T> {
  const holder = { server: await ServerProcess.start(name, { cpuProfDir: ctx.cpuProfDir }) };
  try {
    return await fn(holder.server);
  } finally {
    await ctx.pool.all(() => ({ type: 'close' }), 30_000).catch(() => undefined);
    await holder.server.stop();
  }
}

/**
 * `withServer` for several processes at once (the instances of a multi-instance relay), started in
 * parallel. If one fails to start, the others are stopped before the error goes up.
 */
export async function withServers<T>(ctx: ScenarioContext, starts: (() => Promise<ServerProcess>)[], fn: (servers: ServerProcess[]) => Promise<T>): Promise<T> {
  const started = await Promise.allSettled(starts.map((start) => start()));
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map((s) => s.stop()));
    throw failed.reason;
  }
  try {
    return await fn(servers);
  } finally {
    await ctx.pool.all(() => ({ type: 'close' }), 30_000).catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export const MiB = 1024 * 1024;

/** Throws when some clients could not log in: figures from a partial population would mislead. */
export function requireAllConnected(results: { connected: number; failed: number; firstError?: string }[], what: string): void {
  const failed = results.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} ${what} clients failed to connect: ${results.find((r) => r.firstError)?.firstError}`);
}
