/**
 * Read receipts at scale (issue 22): the relay's CPU per delivery in a room where everyone reads
 * every message, against the same room without receipts, in one run.
 *
 *   off  `CLIENTS` Parley clients in the lobby; one more sends `MESSAGES` messages at `RATE` per
 *        second; every client receives every message.
 *   on   the same, and every client reads every message as the Parley client does with the room
 *        on screen (renderer/model/read-sync.ts): `read` { room, seq } with its newest seq, one in
 *        flight, at most once per readInterval(members); the relay moves the cursors and tells the
 *        authors and the readers' own devices through coalesced `receipts`.
 *
 * CPU per delivery = the relay process's CPU time (from /proc, all threads) ÷ (messages × receivers).
 * Goal: on ≤ 1.3× off. The clients run in this process on the same two cores, and one pair of
 * series varies by ±0.2 in its ratio, so `--rounds` pairs run alternately (off, on, off, on, …)
 * and the ratio reported is the median of the pairs'.
 *
 *   npm run bench:receipts
 *   npm run bench:receipts -- --cpu-prof /tmp/prof   (a V8 CPU profile of each relay)
 *   npm run bench:receipts -- --clients 1000 --messages 100 --rate 10 --json bench/results/receipts.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../protocol/index';
import { readInterval } from '../../renderer/model/read-sync';
import { killAll } from '../lib/children';
import { readProcStats } from '../lib/proc-stats';
import { ServerProcess } from '../lib/server-process';

const { values: flags } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const CLIENTS = Number(flags.clients);
const MESSAGES = Number(flags.messages);
const RATE = Number(flags.rate);
const ROUNDS = Number(flags.rounds);
const log = (msg: string) => console.log(`[receipts] ${msg}`);
const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');

interface Series {
  mode: 'off' | 'on';
  deliveries: number;
  readsAcked: number;
  receiptNotices: number;
  cursorsInNotices: number;
  seconds: number;
  cpuMs: number;
  cpuUsPerDelivery: number;
}

async function client(url: string, name: string): Promise<Socket> {
  const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: key() } });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  const login = (await s.timeout(60_000).emitWithAck('add user', { username: name })) as { ok: boolean; message?: string };
  if (!login.ok) throw new Error(`login refused: ${login.message}`);
  return s;
}

async function series(mode: 'off' | 'on'): Promise<Series> {
  const server = await ServerProcess.start('parley', { label: `receipts-${mode}`, cpuProfDir: flags['cpu-prof'] });
  const sockets: Socket[] = [];
  try {
    log(`${mode}: connecting ${CLIENTS} clients`);
    // In batches: a thousand handshakes at once would measure the accept queue, not receipts.
    for (let i = 0; i < CLIENTS; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => client(server.httpUrl, `r${i + j}`)))));
    }
    const sender = await client(server.httpUrl, 'sender');
    let deliveries = 0;
    let readsAcked = 0;
    let receiptNotices = 0;
    let cursorsInNotices = 0;
    const expected = MESSAGES * CLIENTS;
    let lastSeq = 0;
    const readers: { acked: number }[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const check = () => {
      if (deliveries === expected && (mode === 'off' || readers.every((r) => r.acked >= lastSeq))) done();
    };
    for (const s of sockets) {
      // The client's policy: the newest seq, one request in flight, at most once per readInterval().
      const every = readInterval(CLIENTS + 1);
      const reader = { next: 0, acked: 0, inFlight: false, lastAt: 0, timer: undefined as NodeJS.Timeout | undefined };
      readers.push(reader);
      const sendRead = (room: string) => {
        if (reader.inFlight || reader.timer || reader.next <= reader.acked) return;
        const wait = reader.lastAt + every - performance.now();
        if (wait > 0) {
          reader.timer = setTimeout(() => {
            reader.timer = undefined;
            sendRead(room);
          }, wait);
          return;
        }
        reader.inFlight = true;
        reader.lastAt = performance.now();
        s.timeout(60_000)
          .emitWithAck('read', { room, seq: reader.next })
          .then((res: { ok: boolean; read: number }) => {
            readsAcked++;
            reader.inFlight = false;
            if (res.ok) reader.acked = Math.max(reader.acked, res.read);
            sendRead(room);
            check();
          })
          .catch(() => {});
      };
      s.on('new message', (msg: { seq: number; room: string }) => {
        deliveries++;
        lastSeq = Math.max(lastSeq, msg.seq);
        if (mode === 'on') {
          reader.next = Math.max(reader.next, msg.seq);
          sendRead(msg.room);
        } else check();
      });
      s.on('receipts', (n: { cursors: unknown[] }) => {
        receiptNotices++;
        cursorsInNotices += n.cursors.length;
      });
    }
    const cpu0 = readProcStats(server.pid).cpuMs;
    const t0 = performance.now();
    for (let m = 0; m < MESSAGES; m++) {
      const due = t0 + (m * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sender.emitWithAck('new message', { text: `message ${m}`, room: 'lobby', clientId: `bench-${m}-${Date.now()}` }).catch(() => {});
    }
    await finished;
    // The last coalesced receipts go out up to 100 ms after the last read.
    if (mode === 'on') await new Promise((r) => setTimeout(r, 300));
    const cpuMs = readProcStats(server.pid).cpuMs - cpu0;
    const seconds = (performance.now() - t0) / 1000;
    sender.disconnect();
    return { mode, deliveries, readsAcked, receiptNotices, cursorsInNotices, seconds: +seconds.toFixed(1), cpuMs: Math.round(cpuMs), cpuUsPerDelivery: +((cpuMs * 1000) / deliveries).toFixed(2) };
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const results: Series[] = [];
  const ratios: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const off = await series('off');
      const on = await series('on');
      results.push(off, on);
      ratios.push(+(on.cpuUsPerDelivery / off.cpuUsPerDelivery).toFixed(2));
    }
  } finally {
    killAll();
  }
  console.table(results);
  const sorted = [...ratios].sort((a, b) => a - b);
  const ratio = sorted[Math.floor(sorted.length / 2)]!;
  const report = {
    command: `npm run bench:receipts -- --clients ${CLIENTS} --messages ${MESSAGES} --rate ${RATE} --rounds ${ROUNDS}`,
    series: results,
    ratiosOnOff: ratios,
    medianRatioOnOff: ratio,
    goals: { cpuRatioAtMost1_3: ratio <= 1.3 },
  };
  console.log(JSON.stringify(report, null, 2));
  if (flags.json) writeFileSync(flags.json, JSON.stringify(report, null, 2));
}

await main();
