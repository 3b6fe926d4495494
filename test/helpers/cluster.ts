/**
 * Relay instances for multi-instance tests: in-process (fast, inspectable) or as separate processes
 * running the built CLI (so an instance can be SIGKILLed like a crashed machine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelay, type Relay, type RelayOptions } from '../../server/index';
import { createRedisStores, type RedisStores } from '../../server/stores/redis/index';
import { DEFAULT_ROOM } from '../../protocol/index';
import { DEFAULT_LIMITS } from '../../server/options';
import { pino } from 'pino';
import { freePort, waitForHttp } from './net';

export interface InstanceOptions extends RelayOptions {
  heartbeatTtlMs?: number;
}

/** An in-process relay on the shared Redis. */
export async function redisRelay(redisUrl: string, options: InstanceOptions = {}): Promise<Relay & { stores: RedisStores }> {
  const instanceId = options.instanceId ?? `test-${Math.random().toString(36).slice(2, 8)}`;
  const ttl = options.heartbeatTtlMs ?? 15_000;
  const stores = createRedisStores({
    url: redisUrl,
    instanceId,
    historyLimit: options.historyLimit ?? 200,
    lobby: DEFAULT_ROOM,
    userMessages: options.limits?.userMessages ?? DEFAULT_LIMITS.userMessages,
    log: options.logger ?? pino({ level: 'silent' }),
    timing: { heartbeatTtlMs: ttl, sweepEveryMs: Math.max(300, Math.floor(ttl / 3)) },
  });
  await stores.connections.waitReady(3000);
  const relay = await createRelay({ port: 0, host: '127.0.0.1', shutdownGraceMs: 10, presenceFlushMs: 20, ...options, instanceId, stores });
  return relay as Relay & { stores: RedisStores };
}

/** A relay in its own process (the built CLI), killable with any signal. */
export class RelayProcess {
  private constructor(readonly port: number, readonly proc: ChildProcess, readonly output: () => string) {}

  /** Starts the CLI; without REDIS_URL it keeps history in `env.DATA_DIR`, by default a fresh folder of its own. */
  static async start(env: Record<string, string>): Promise<RelayProcess> {
    const port = await freePort();
    const proc = spawn(process.execPath, ['dist/server/cli.js'], {
      // Tests on loopback read /healthz details (instance, backend state): public here, private by default.
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', HEALTH_DETAILS: 'public', DATA_DIR: env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'parley-relay-')), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const rp = new RelayProcess(port, proc, () => out);
    try {
      // An upper bound, not a delay: a relay starting on a machine busy with other tests can take seconds.
      await waitForHttp({ port }, '/healthz', 30_000);
    } catch (err) {
      // Say why: a relay that exited (and what it printed) is a different failure from a slow one.
      proc.kill('SIGKILL');
      throw new Error(`relay on port ${port} did not answer (${(err as Error).message}); exit ${proc.exitCode ?? proc.signalCode ?? 'none yet'}; output:\n${out.slice(-2000)}`, { cause: err });
    }
    return rp;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill(signal);
    await exited;
  }
}
