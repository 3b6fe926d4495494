/**
 * A flooding client in its own process, so that generating the flood does not compete with the relay
 * for the test's event loop (the measurement is of the relay, not of the attacker's loop).
 *
 *   node --import tsx test/security/support/flooder.ts <port> <mode> <durationMs> [connections]
 *
 * Each of `connections` parallel loops: connect over a raw WebSocket (Parley auth, new key), log in,
 * then write `mode` frames as fast as the socket drains until the relay closes the connection, and
 * reconnect, until `durationMs` is over. Prints one JSON line with what happened.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export type FloodMode = 'messages' | 'typing' | 'unknown' | 'invalid' | 'numeric';

export interface FloodReport {
  mode: FloodMode;
  connections: number;
  refused: number;
  framesSent: number;
  /** Frames written on each connection before the relay closed it (only connections it closed). */
  framesBeforeClose: number[];
  msBeforeClose: number[];
  /** Connections still open when the time was up (the relay never closed them). */
  survivors: number;
  closeCodes: number[];
}

const FRAMES: Record<FloodMode, string> = {
  messages: '42["new message",{"text":"flood"}]',
  typing: '42["typing"]',
  unknown: '42["no such event","junk"]',
  invalid: '42["new message",42]',
  numeric: '42[7,"junk"]',
};

export function flood(port: number, mode: FloodMode, durationMs: number, parallel = 1, onFirst?: () => void): Promise<FloodReport> {
  const report: FloodReport = { mode, connections: 0, refused: 0, framesSent: 0, framesBeforeClose: [], msBeforeClose: [], survivors: 0, closeCodes: [] };
  const end = Date.now() + durationMs;
  let n = 0;

  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
      let sent = 0;
      let started = 0;
      let open = false;
      let timer: NodeJS.Immediate | undefined;
      ws.on('error', () => undefined);
      ws.on('unexpected-response', () => {
        report.refused++;
        resolve();
      });
      ws.on('message', (data) => {
        const f = data.toString();
        if (f.startsWith('0')) ws.send(`40${JSON.stringify({ client: 'parley', protocol: 1, key: randomBytes(18).toString('base64url') })}`);
        else if (f === '2') ws.send('3');
        else if (f.startsWith('40')) ws.send(`420${JSON.stringify(['add user', { username: `flood${process.pid}x${++n}` }])}`);
        else if (f.startsWith('430') && !open) {
          open = true;
          if (report.connections++ === 0) onFirst?.();
          started = Date.now();
          pump();
        }
      });
      const closedByRelay = () => {
        // The relay's close frame arrived (CLOSING): that is when the relay stopped serving us. The
        // 'close' event itself waits until the relay has read everything we queued, then the TCP end.
        if (!open) return;
        open = false;
        if (Date.now() <= end) {
          report.framesBeforeClose.push(sent);
          report.msBeforeClose.push(Date.now() - started);
        }
      };
      const pump = () => {
        if (ws.readyState !== WebSocket.OPEN) return closedByRelay();
        if (Date.now() > end) {
          report.survivors++;
          open = false;
          ws.terminate();
          return;
        }
        // As fast as the socket drains, in slices, so that the relay's close frame is noticed promptly.
        for (let i = 0; i < 500 && ws.bufferedAmount < 256 * 1024; i++) {
          ws.send(FRAMES[mode]);
          sent++;
          report.framesSent++;
        }
        timer = setImmediate(pump);
      };
      ws.on('close', (code) => {
        if (timer) clearImmediate(timer);
        if (open) closedByRelay();
        if (sent > 0 && code !== 1006) report.closeCodes.push(code);
        resolve();
      });
    });

  const loop = async () => {
    while (Date.now() < end) await one();
  };
  return Promise.all(Array.from({ length: parallel }, loop)).then(() => report);
}

export interface FloodProcess {
  /** Resolves once the first flooding connection is logged in and sending. */
  started: Promise<void>;
  done: Promise<FloodReport>;
  kill(): void;
}

/** Runs `flood` in a child process (see the file comment). */
export function spawnFlooder(port: number, mode: FloodMode, durationMs: number, parallel = 1): FloodProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(port), mode, String(durationMs), String(parallel)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let signalStart: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (signalStart = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('flooding\n')) signalStart();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<FloodReport>((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as FloodReport);
      else reject(new Error(`flooder exited with ${code}: ${err.slice(0, 500)}`));
    });
  });
  return { started, done, kill: () => child.kill('SIGKILL') };
}

if (process.argv[1]?.endsWith('flooder.ts')) {
  const [port, mode, ms, parallel] = process.argv.slice(2);
  // "flooding" tells the parent the first connection is logged in and the flood has begun.
  const report = await flood(Number(port), mode as FloodMode, Number(ms), Number(parallel ?? 1), () => process.stdout.write('flooding\n'));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
