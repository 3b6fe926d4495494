/**
 * A local copy of the cloud topology: one redis-server, N relay instances (the built standalone CLI,
 * as App Service would run it) and HAProxy with sticky sessions in front.
 *
 *   npm run cluster                          # 3 instances behind http://127.0.0.1:8080
 *   npm run cluster -- --instances 2 --port 9000
 *
 * Also used by the tests (startLocalCluster), which can kill and restart any part.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { freePort } from './free-port';
import { haproxyConfig } from './haproxy-config';

export interface LocalClusterOptions {
  instances?: number;
  /** Front-end port; 0 = any free port. */
  port?: number;
  sticky?: boolean;
  /** Extra environment for every relay. */
  env?: Record<string, string>;
  /** Relay output to the console (the CLI) or kept for inspection (tests). */
  inheritOutput?: boolean;
}

export interface Instance {
  name: string;
  port: number;
  proc: ChildProcess;
  output(): string;
}

export interface LocalCluster {
  url: string;
  redisPort: number;
  instances: Instance[];
  /** SIGKILL one relay instance (a crashed machine). */
  killInstance(name: string): Promise<void>;
  startInstance(name: string): Promise<void>;
  killRedis(): Promise<void>;
  startRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const count = opts.instances ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  const redisPort = await freePort();
  const frontPort = opts.port || (await freePort());
  const children: ChildProcess[] = [];
  let redis: ChildProcess | undefined;

  const kill = async (proc: ChildProcess | undefined) => {
    // No pid: it never started (a missing program), so there is nothing to wait for.
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  };

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    children.push(redis);
    await waitPort(redisPort);
  };
  const instances: Instance[] = [];
  const launch = async (name: string, port: number): Promise<Instance> => {
    let out = '';
    const proc = spawn(process.execPath, ['dist/server/cli.js'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        // A local, private cluster: /healthz shows per-instance details to anyone on this machine.
        HEALTH_DETAILS: 'public',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        INSTANCE_ID: name,
        TRUST_PROXY: '1',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        ...opts.env,
      },
      stdio: opts.inheritOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    children.push(proc);
    await waitHealthy(port);
    return { name, port, proc, output: () => out };
  };
  try {
    await startRedis();
    for (let i = 1; i <= count; i++) instances.push(await launch(`r${i}`, await freePort()));
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(frontPort, instances, { sticky: opts.sticky ?? true }));
    const proxy = spawn('haproxy', ['-f', cfg, '-db'], { stdio: opts.inheritOutput ? 'inherit' : 'ignore' });
    // A missing haproxy is an 'error' event, not a throw: fail the start instead of crashing later.
    const failed = new Promise<never>((_, reject) => proxy.once('error', reject));
    children.push(proxy);
    await Promise.race([waitPort(frontPort), failed]);
  } catch (err) {
    // Whatever did start goes too: a failed start must not leave redis-server and relays behind.
    await Promise.all(children.map(kill));
    throw err;
  }

  return {
    url: `http://127.0.0.1:${frontPort}`,
    redisPort,
    instances,
    async killInstance(name) {
      await kill(instances.find((i) => i.name === name)?.proc);
    },
    async startInstance(name) {
      const idx = instances.findIndex((i) => i.name === name);
      if (idx < 0) throw new Error(`no instance ${name}`);
      instances[idx] = await launch(name, instances[idx]!.port);
    },
    killRedis: () => kill(redis),
    startRedis,
    async stop() {
      await Promise.all(children.map(kill));
    },
  };
}

/** Waits until something accepts TCP connections on the port (redis-server, HAProxy). */
async function waitPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listening on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the relay answers /healthz with 200 (ok, or degraded if Redis is down). */
async function waitHealthy(port: number, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 500 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    if (Date.now() > end) throw new Error(`relay on ${port} not healthy (last status ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// CLI: `tsx deploy/local/cluster.ts [--instances N] [--port P] [--no-sticky]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*[\\/]/, ''))) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const cluster = await startLocalCluster({
    instances: Number(value('--instances') ?? 3),
    port: Number(value('--port') ?? 8080),
    sticky: !args.includes('--no-sticky'),
    inheritOutput: true,
  });
  console.log(`\nParley cluster: ${cluster.url}  (redis on ${cluster.redisPort}; instances ${cluster.instances.map((i) => `${i.name}:${i.port}`).join(', ')})`);
  console.log('Ctrl-C stops everything.');
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
