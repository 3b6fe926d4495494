/**
 * The floor under the relay's TLS cost: what Node itself charges per write on a TLS socket, with no
 * Socket.IO, no WebSocket framing, nothing of Parley's. A server holds C sockets (plain TCP, or TLS
 * with the same kind of certificate the relay serves) and, T times a second, writes one payload to
 * each (one write per socket per turn, as the relay's end-of-turn flush does); a second process
 * reads them. The server's own CPU per write, TLS against plain, is what any Node relay would pay
 * per delivered record at that rate.
 *
 * Run by bench/tls/run.ts; on its own: node --import tsx bench/tls/bare-sockets.ts serve plain|tls CERT KEY C T SECONDS SIZE
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { exited, track } from '../lib/children';

export interface BareFigures {
  series: 'plain' | 'tls';
  writes: number;
  cpuUsPerWrite: number;
}

export interface BareConfig {
  certFile: string;
  keyFile: string;
  sockets: number;
  turnsPerSec: number;
  seconds: number;
  size: number;
}

const SELF = fileURLToPath(import.meta.url);

/** One series in a server process of its own; resolves with that server's CPU per write. */
export async function measureBare(series: 'plain' | 'tls', cfg: BareConfig): Promise<BareFigures> {
  const args = ['serve', series, cfg.certFile, cfg.keyFile, String(cfg.sockets), String(cfg.turnsPerSec), String(cfg.seconds), String(cfg.size)];
  const child = track(fork(SELF, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const figures = new Promise<BareFigures>((resolve, reject) => {
    child.once('message', (m) => resolve(m as BareFigures));
    child.once('exit', (code) => reject(new Error(`bare-socket ${series} server exited (${code}) before reporting`)));
  });
  try {
    return await figures;
  } finally {
    child.kill();
    await exited(child);
  }
}

async function serve(series: 'plain' | 'tls', certFile: string, keyFile: string, sockets: number, turnsPerSec: number, seconds: number, size: number): Promise<void> {
  const accepted: Socket[] = [];
  const cert = readFileSync(certFile);
  const server: Server = series === 'tls' ? createTlsServer({ cert, key: readFileSync(keyFile) }, (s) => accepted.push(s)) : createNetServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const reader = track(fork(SELF, ['read', series, certFile, String(port), String(sockets)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await new Promise<void>((resolve) => reader.once('message', () => resolve()));
  // A TLS server sees a connection once the client's Finished arrives, just after the client is ready.
  while (accepted.length < sockets) await new Promise((r) => setTimeout(r, 10));
  const payload = Buffer.alloc(size, 0x61);
  const done = (): void => {};
  const turns = Math.round(turnsPerSec * seconds);
  const gapMs = 1000 / turnsPerSec;
  const start = process.cpuUsage();
  const t0 = performance.now();
  for (let turn = 0; turn < turns; turn++) {
    for (const s of accepted) s.write(payload, done);
    // Paced against the clock, so a slow turn is not followed by a longer gap.
    const wait = t0 + (turn + 1) * gapMs - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
  const used = process.cpuUsage(start);
  const writes = turns * accepted.length;
  process.send!({ series, writes, cpuUsPerWrite: (used.user + used.system) / writes } satisfies BareFigures);
  reader.kill();
}

/** The reading side: C connections that discard what arrives, then a message to the server. */
async function read(series: 'plain' | 'tls', certFile: string, port: number, sockets: number): Promise<void> {
  const ca = readFileSync(certFile);
  const ready: Promise<void>[] = [];
  for (let i = 0; i < sockets; i++) {
    // The certificate names no host: it is trusted as the CA and the name check is skipped.
    const s = series === 'tls' ? tlsConnect({ port, host: '127.0.0.1', ca, checkServerIdentity: () => undefined }) : netConnect(port, '127.0.0.1');
    s.on('data', () => {});
    ready.push(new Promise((resolve) => s.once(series === 'tls' ? 'secureConnect' : 'connect', () => resolve())));
  }
  await Promise.all(ready);
  process.send!('ready');
}

if (process.argv[1] === SELF) {
  const [role, series, certFile, ...rest] = process.argv.slice(2) as [string, 'plain' | 'tls', string, ...string[]];
  process.on('disconnect', () => process.exit(0));
  if (role === 'serve') void serve(series, certFile, rest[0]!, ...(rest.slice(1).map(Number) as [number, number, number, number]));
  else void read(series, certFile, Number(rest[0]), Number(rest[1]));
}
