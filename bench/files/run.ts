/**
 * File sharing under load (issue 24), two figures, each against a baseline run in the same run:
 *
 *  1. Upload throughput: one `--size` MB file (random bytes) uploaded over loopback to the relay's
 *     tus endpoint with tus-js-client (token, POST, one PATCH, the relay sniffing and recording it),
 *     against a plain Node HTTP server writing a PUT body to a file (baselines/plain-upload.ts).
 *     Each server has taken a 1 MB file before the timed one, as a running relay has.
 *     Goal: Parley ≥ 0.8× the plain server's throughput.
 *  2. Chat latency while uploading: a sender posts `--rate` messages a second in the lobby for
 *     `--seconds`, a receiver times each; once with no uploads, then while a forked process
 *     uploads `--upload-size` MB files back to back, once per `--upload-rate` (MB/s a client's
 *     network would carry; 0 for unpaced loopback). Goal: p99 with uploads ≤ 1.2× without.
 *
 * Two cores run the relay, the clients and the uploader together, so each figure is the median of
 * `--rounds` alternating pairs (baseline, Parley, baseline, Parley, …), each on a fresh server.
 *
 *   npm run bench:files
 *   npm run bench:files -- --cpu-prof /tmp/prof   (a V8 CPU profile of each Parley upload relay)
 *   npm run bench:files -- --size 200 --rounds 5 --seconds 20 --rate 50 --json bench/results/files.json
 */
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAll, track } from '../lib/children';
import { LatencyHistogram } from '../lib/histogram';
import { readProcStats } from '../lib/proc-stats';
import { ServerProcess } from '../lib/server-process';
import { parleySocket, tusUpload, uploadToken } from './client';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '50' },
    'upload-size': { type: 'string', default: '50' },
    // 110 MB/s: about what a gigabit LAN carries; 0 for as fast as loopback goes.
    'upload-rate': { type: 'string', default: '110,0' },
    json: { type: 'string' },
    // 'throughput', 'chat', or both (comma-separated).
    parts: { type: 'string', default: 'throughput,chat' },
    'cpu-prof': { type: 'string' },
  },
});
const SIZE_MB = Number(flags.size);
const ROUNDS = Number(flags.rounds);
const SECONDS = Number(flags.seconds);
const RATE = Number(flags.rate);
const UPLOAD_MB = flags['upload-size'];
const UPLOAD_RATES = flags['upload-rate'].split(',').map(Number);
const PARTS = new Set(flags.parts.split(','));
const log = (msg: string) => console.log(`[files] ${msg}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Transfer {
  server: 'plain' | 'parley';
  seconds: number;
  mbPerSecond: number;
  serverCpuMs: number;
}

/**
 * Writes out what earlier runs left in the page cache, so neither upload is timed while the kernel
 * flushes the other's 200 MB (that alone swung one series by 2×).
 */
function settleDisk(): void {
  execFileSync('sync');
}

/** Each server takes one small file first: what loads on first use (tus, the type sniffer) is not timed. */
const WARM_UP = randomBytes(2 ** 20);

function put(url: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = request(`${url}/`, { method: 'PUT', headers: { 'content-length': data.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`plain upload answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function plainUpload(data: Buffer): Promise<Transfer> {
  const server = await ServerProcess.start('plain-upload');
  try {
    await put(server.httpUrl, WARM_UP);
    settleDisk();
    const cpu0 = readProcStats(server.pid).cpuMs;
    const t0 = performance.now();
    await put(server.httpUrl, data);
    return transfer('plain', data, t0, readProcStats(server.pid).cpuMs - cpu0);
  } finally {
    await server.stop();
  }
}

async function parleyUpload(data: Buffer): Promise<Transfer> {
  const server = await ServerProcess.start('parley', { label: 'files', cpuProfDir: flags['cpu-prof'] });
  const socket = await parleySocket(server.httpUrl, 'ana');
  try {
    const token = await uploadToken(socket);
    await tusUpload(server.httpUrl, token, WARM_UP);
    settleDisk();
    const cpu0 = readProcStats(server.pid).cpuMs;
    const t0 = performance.now();
    await tusUpload(server.httpUrl, token, data);
    return transfer('parley', data, t0, readProcStats(server.pid).cpuMs - cpu0);
  } finally {
    socket.close();
    await server.stop();
  }
}

function transfer(server: Transfer['server'], data: Buffer, t0: number, serverCpuMs: number): Transfer {
  const seconds = (performance.now() - t0) / 1000;
  return { server, seconds, mbPerSecond: data.length / 2 ** 20 / seconds, serverCpuMs };
}

interface ChatSeries {
  /** MB/s the uploads were paced at (0: unpaced); undefined: no uploads. */
  uploadRate: number | undefined;
  /** The uploads went to another process, not to this relay. */
  elsewhere: boolean;
  messages: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  uploadedMb: number;
}

/**
 * Chat latency on a fresh relay: quiet (no `uploadRate`), while files are uploaded to it, or (with
 * `elsewhere`) while the same uploads go to the plain upload server, another process on this machine.
 * The last is the baseline for what receiving files costs the machine (the kernel's copies, the
 * uploader's TCP work, the disk's write-back) rather than the relay.
 */
async function chatSeries(uploadRate: number | undefined, elsewhere = false): Promise<ChatSeries> {
  const label = uploadRate === undefined ? 'chat-quiet' : `chat-uploads-${uploadRate}${elsewhere ? '-elsewhere' : ''}`;
  const server = await ServerProcess.start('parley', { label, cpuProfDir: flags['cpu-prof'] });
  const sink = elsewhere ? await ServerProcess.start('plain-upload') : undefined;
  const sender = await parleySocket(server.httpUrl, 'sender');
  const receiver = await parleySocket(server.httpUrl, 'receiver');
  const histogram = new LatencyHistogram();
  const sentAt = new Map<string, number>();
  receiver.on('new message', (m: { message?: string }) => {
    const t = m.message === undefined ? undefined : sentAt.get(m.message);
    if (t !== undefined) histogram.record((performance.now() - t) * 1000);
  });
  const uploader = uploadRate === undefined ? undefined : await startUploader(server.httpUrl, uploadRate, sink?.httpUrl);
  try {
    const total = SECONDS * RATE;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      // Paced against the start, so a late tick does not push every later message back.
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const text = `m${i}`;
      sentAt.set(text, performance.now());
      sender.emit('new message', { text });
    }
    // Every message has arrived, or ten seconds passed for the stragglers.
    for (const end = performance.now() + 10_000; histogram.total < total && performance.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    const uploadedMb = uploader ? (await uploader.stop()) / 2 ** 20 : 0;
    return { uploadRate, elsewhere, messages: total, received: histogram.total, p50Ms: histogram.percentileMs(50), p99Ms: histogram.percentileMs(99), maxMs: histogram.maxMs, uploadedMb };
  } finally {
    sender.close();
    receiver.close();
    await server.stop();
    await sink?.stop();
  }
}

async function startUploader(url: string, rate: number, plainUrl?: string): Promise<{ stop(): Promise<number> }> {
  const child = track(fork(fileURLToPath(new URL('./uploader.ts', import.meta.url)), [url, UPLOAD_MB, String(rate), ...(plainUrl ? [plainUrl] : [])], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const message = (key: string) =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const on = (m: unknown) => {
        if (typeof m === 'object' && m !== null && key in m) {
          child.off('message', on);
          resolve(m as Record<string, number>);
        }
      };
      child.on('message', on);
      child.once('exit', (code) => reject(new Error(`uploader exited (${code})`)));
    });
  await message('ready');
  return {
    async stop() {
      const done = message('bytes');
      child.send('stop');
      return (await done).bytes!;
    },
  };
}

try {
  const data = randomBytes(SIZE_MB * 2 ** 20);
  const ratios: number[] = [];
  const transfers: Transfer[] = [];
  for (let r = 0; r < (PARTS.has('throughput') ? ROUNDS : 0); r++) {
    const plain = await plainUpload(data);
    const parley = await parleyUpload(data);
    transfers.push(plain, parley);
    ratios.push(parley.mbPerSecond / plain.mbPerSecond);
    log(`round ${r + 1}: plain ${plain.mbPerSecond.toFixed(0)} MB/s (${plain.serverCpuMs} ms CPU), parley ${parley.mbPerSecond.toFixed(0)} MB/s (${parley.serverCpuMs} ms CPU): ${ratios.at(-1)!.toFixed(2)}×`);
  }
  const latency: ChatSeries[] = [];
  const p99Ratios = new Map<number, number[]>(UPLOAD_RATES.map((rate) => [rate, []]));
  const elsewhereRatios = new Map<number, number[]>(UPLOAD_RATES.map((rate) => [rate, []]));
  for (let r = 0; r < (PARTS.has('chat') ? ROUNDS : 0); r++) {
    const quiet = await chatSeries(undefined);
    latency.push(quiet);
    log(`round ${r + 1}: chat p50/p99 ${quiet.p50Ms.toFixed(1)}/${quiet.p99Ms.toFixed(1)} ms quiet; received ${quiet.received}/${quiet.messages}`);
    for (const rate of UPLOAD_RATES) {
      const machine = await chatSeries(rate, true);
      latency.push(machine);
      elsewhereRatios.get(rate)!.push(machine.p99Ms / quiet.p99Ms);
      log(`round ${r + 1}: chat p50/p99 ${machine.p50Ms.toFixed(1)}/${machine.p99Ms.toFixed(1)} ms while ${machine.uploadedMb.toFixed(0)} MB went to another process on this machine: ${elsewhereRatios.get(rate)!.at(-1)!.toFixed(2)}×; received ${machine.received}/${machine.messages}`);
      const busy = await chatSeries(rate);
      latency.push(busy);
      p99Ratios.get(rate)!.push(busy.p99Ms / quiet.p99Ms);
      log(`round ${r + 1}: chat p50/p99 ${busy.p50Ms.toFixed(1)}/${busy.p99Ms.toFixed(1)} ms while ${busy.uploadedMb.toFixed(0)} MB were uploaded (${(busy.uploadedMb / SECONDS).toFixed(0)} MB/s, ${rate ? `paced at ${rate}` : 'unpaced'}): ${p99Ratios.get(rate)!.at(-1)!.toFixed(2)}×; received ${busy.received}/${busy.messages}`);
    }
  }
  const medians = (m: Map<number, number[]>) => Object.fromEntries([...m].filter(([, xs]) => xs.length > 0).map(([rate, xs]) => [rate ? `${rate} MB/s` : 'unpaced', median(xs)]));
  const p99Ratio = medians(p99Ratios);
  const p99RatioElsewhere = medians(elsewhereRatios);
  const result = { sizeMb: SIZE_MB, rounds: ROUNDS, throughputRatio: ratios.length ? median(ratios) : undefined, p99Ratio, p99RatioElsewhere, transfers, latency };
  if (result.throughputRatio !== undefined) log(`upload throughput, Parley vs plain HTTP: ${result.throughputRatio.toFixed(2)}× (median of ${ROUNDS}; goal ≥ 0.8×)`);
  for (const [rate, ratio] of Object.entries(p99Ratio)) {
    log(`chat p99 while uploading (${rate}) vs quiet: ${ratio.toFixed(2)}× (median of ${ROUNDS}; goal ≤ 1.2×); uploads to another process instead: ${p99RatioElsewhere[rate]!.toFixed(2)}×`);
  }
  if (flags.json) writeFileSync(flags.json, JSON.stringify(result, null, 2));
} finally {
  killAll();
}
