/**
 * A server under test in its own child process (so its CPU and RSS are its own and it cannot steal the
 * coordinator's event loop). The child prints `PORT <n>` on stdout once it listens; a restart reuses
 * the port so reconnecting clients find it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, track } from './children';
import { SERVER_ENTRY, type AnyServerName } from './servers';
import { withTimeout } from './time';

export interface ServerStartOptions {
  port?: number;
  /** Write a V8 CPU profile of the server into this folder when it stops (node --cpu-prof). */
  cpuProfDir?: string;
  /** Extra arguments for the server script (e.g. Parley's `--redis-url`). */
  args?: string[];
  /** The server serves HTTPS/WSS (Parley's `--tls-cert`/`--tls-key` among `args`): clients use https://. */
  tls?: boolean;
  /**
   * Names this process in messages and its profile folder (default: the server name), so the
   * instances of a multi-instance run keep their profiles apart.
   */
  label?: string;
  /** Run the server on these CPUs only (`taskset -c` list, e.g. "0"), so load generators cannot share its core. */
  cpus?: string;
}

const START_TIMEOUT_MS = 30_000;

/**
 * Each server script bundled once per run with esbuild (npm packages left external, as the relay
 * ships), instead of compiled on every start by tsx: a start takes ~0.2 s instead of ~1.5 s, and no
 * TypeScript loader thread adds to the server's CPU and RSS. The bundles live under node_modules so
 * Node resolves their package imports from there.
 */
const BUNDLE_DIR = fileURLToPath(new URL('../../node_modules/.cache/parley-bench/', import.meta.url));
const bundles = new Map<AnyServerName, Promise<string>>();

function bundled(name: AnyServerName): Promise<string> {
  let file = bundles.get(name);
  if (!file) {
    if (bundles.size === 0) process.once('exit', removeBundles);
    const outfile = join(BUNDLE_DIR, `${name}-${process.pid}.mjs`);
    file = build({
      entryPoints: [fileURLToPath(SERVER_ENTRY[name])],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    }).then(() => outfile);
    bundles.set(name, file);
  }
  return file;
}

/** Removes this run's bundles (on exit, whichever way the run ends short of SIGKILL). */
function removeBundles(): void {
  for (const name of bundles.keys()) rmSync(join(BUNDLE_DIR, `${name}-${process.pid}.mjs`), { force: true });
  bundles.clear();
}
// Generous: with --cpu-prof the exiting server first writes its profile, which takes seconds.
const STOP_TIMEOUT_MS = 30_000;

export class ServerProcess {
  private constructor(
    readonly name: AnyServerName,
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly options: ServerStartOptions,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get httpUrl(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  static async start(name: AnyServerName, options: ServerStartOptions = {}): Promise<ServerProcess> {
    // BENCH_SERVER_NODE_ARGS: extra Node flags for the servers only (e.g. --trace-gc), which
    // NODE_OPTIONS would give every process of the run, or refuse.
    const execArgv = ['--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
    // One folder per server: Node names the files itself.
    const label = options.label ?? name;
    if (options.cpuProfDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', join(options.cpuProfDir, label));
    // Spawned as `node` itself (not npx/tsx wrappers) so the pid we read /proc for is the server's.
    const argv = [...execArgv, await bundled(name), '--port', String(options.port ?? 0), ...(options.args ?? [])];
    // taskset execs node in place, so the child's pid is still the server's own.
    const [command, args] = options.cpus ? ['taskset', ['-c', options.cpus, process.execPath, ...argv]] : [process.execPath, argv];
    const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
    const port = await withTimeout(readPort(child), START_TIMEOUT_MS, `${label} server to print its port`).catch((err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    });
    return new ServerProcess(name, child, port, options);
  }

  /**
   * Full garbage collection in the server, so an RSS reading that follows holds live memory only.
   * Answers with the server's live JS heap and external (Buffer) memory right after it.
   */
  async gc(): Promise<{ heapUsed: number; external: number }> {
    const done = new Promise<{ heapUsed: number; external: number }>((resolve) => {
      const onMessage = (m: unknown): void => {
        if (typeof m !== 'object' || m === null || !('gcDone' in m)) return;
        this.child.off('message', onMessage);
        resolve(m as unknown as { heapUsed: number; external: number });
      };
      this.child.on('message', onMessage);
    });
    this.child.send('gc');
    return withTimeout(done, 10_000, `${this.name} server to collect garbage`);
  }

  /** Graceful stop (lets --cpu-prof write its file); SIGKILL when it does not exit in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    try {
      await withTimeout(exited(this.child), STOP_TIMEOUT_MS, `${this.name} server to exit`);
    } catch {
      this.child.kill('SIGKILL');
      await exited(this.child);
    }
  }

  /** A crash: no shutdown notice to clients, sockets just drop. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await exited(this.child);
  }

  /** A new process of the same server on the same port. */
  restart(): Promise<ServerProcess> {
    return ServerProcess.start(this.name, { ...this.options, port: this.port });
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const match = /^PORT (\d+)$/m.exec(buffered);
      if (!match) return;
      child.stdout?.off('data', onData);
      // Keep draining stdout so a chatty server never blocks on a full pipe (shown with
      // BENCH_SERVER_NODE_ARGS, whose tracing flags print there).
      if (process.env.BENCH_SERVER_NODE_ARGS) child.stdout?.pipe(process.stderr);
      else child.stdout?.resume();
      resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`server exited before listening (code ${code}, signal ${signal})`)));
  });
}
