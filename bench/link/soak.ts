/**
 * Link soak (issue 27): a site relay and a cloud relay (each its own process, history on disk),
 * their lobbies linked, people chatting on both sides (the app's own ChatClient, with its outbox
 * and reconnection) while the link is cut at random by a TCP proxy the bench controls, and either
 * relay is SIGKILLed and restarted now and then. At the end every message must be on both sides
 * exactly once, each sender's in the order sent. Prints lost, duplicated and out-of-order counts.
 *
 *   npm run bench:link-soak                       (10 minutes)
 *   npm run bench:link-soak -- --minutes 2 --senders 3 --gap 1.5 --kill-every 60
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { HISTORY_PAGE_MAX, type ChatMessage, type HistoryPage } from '../../protocol/index';
import { startLink } from '../../server/link/index';
import { ChatClient } from '../../renderer/model/chat-client';
import { newUserKey } from '../../renderer/model/ids';
import { loggedIn, request } from '../../test/helpers/clients';
import { TcpCut } from '../../test/helpers/tcp-cut';
import { runAndExit } from '../lib/children';
import { ServerProcess } from '../lib/server-process';
import { log, nextGap, rand, sleep } from '../soak/util';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    senders: { type: 'string', default: '3' },
    // Mean seconds between one sender's messages.
    gap: { type: 'string', default: '2' },
    // Mean seconds between SIGKILLs of one relay or the other (0: none).
    'kill-every': { type: 'string', default: '90' },
  },
});
const DURATION_MS = Number(flags.minutes) * 60_000;
const SENDERS = Number(flags.senders);
const GAP_S = Number(flags.gap);
const KILL_EVERY_S = Number(flags['kill-every']);
const HISTORY = 100_000;

type Side = 'site' | 'cloud';
interface Sender {
  side: Side;
  name: string;
  chat: ChatClient;
  sent: string[];
}

async function main(): Promise<number> {
  const dirs = { site: mkdtempSync(join(tmpdir(), 'parley-soak-site-')), cloud: mkdtempSync(join(tmpdir(), 'parley-soak-cloud-')), link: mkdtempSync(join(tmpdir(), 'parley-soak-link-')) };
  const start = (side: Side) => ServerProcess.start('parley', { label: side, args: ['--data-dir', dirs[side], '--history-limit', String(HISTORY)] });
  const relays: Record<Side, ServerProcess> = { site: await start('site'), cloud: await start('cloud') };
  const cut = await TcpCut.start(relays.cloud.port);
  const link = await startLink({
    local: { url: relays.site.httpUrl },
    remote: { url: `http://127.0.0.1:${cut.port}` },
    rooms: [{ local: 'lobby', remote: 'lobby' }],
    key: newUserKey(),
    name: 'site',
    remoteName: 'cloud',
    dir: dirs.link,
    log: pino({ level: 'warn' }),
    sweepMs: 5_000,
  });
  const senders: Sender[] = [];
  for (const side of ['site', 'cloud'] as const) {
    for (let i = 0; i < SENDERS; i++) {
      const name = `${side}${i}`;
      const chat = new ChatClient({ url: relays[side].httpUrl, nickname: name, key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 8000, connectTimeoutMs: 8000 });
      await chat.start();
      senders.push({ side, name, chat, sent: [] });
    }
  }
  const stats = { cuts: 0, kills: 0, sent: 0 };
  let running = true;
  const end = Date.now() + DURATION_MS;
  log(`linked; ${senders.length} senders for ${flags.minutes} min, cuts at random${KILL_EVERY_S > 0 ? `, a relay killed every ~${KILL_EVERY_S} s` : ''}`);

  const chatting = senders.map(async (s) => {
    let n = 0;
    while (running) {
      await sleep(nextGap(GAP_S));
      if (!running) break;
      const text = `${s.name} #${++n}`;
      // Queued in the outbox: sent now, or when the relay is back (the app's own behaviour).
      if (s.chat.send(text) === null) {
        s.sent.push(text);
        stats.sent++;
      }
    }
  });
  const cutting = (async () => {
    while (running) {
      await sleep(rand(2_000, 10_000));
      if (!running) break;
      cut.cut();
      stats.cuts++;
      await sleep(rand(300, 6_000));
      cut.restore();
    }
  })();
  const killing = (async () => {
    while (running && KILL_EVERY_S > 0) {
      await sleep(nextGap(KILL_EVERY_S));
      if (!running) break;
      const side: Side = Math.random() < 0.5 ? 'site' : 'cloud';
      await relays[side].kill();
      stats.kills++;
      await sleep(rand(500, 3_000));
      relays[side] = await relays[side].restart();
      log(`killed and restarted the ${side} relay`);
    }
  })();
  const progress = setInterval(() => log(`sent ${stats.sent}, cuts ${stats.cuts}, kills ${stats.kills}, crossed ${JSON.stringify(link.state().crossed)}`), 30_000);
  await sleep(Math.max(0, end - Date.now()));
  running = false;
  clearInterval(progress);
  await Promise.all([...chatting, cutting, killing]);
  cut.restore();

  // Every outbox empties (each message acknowledged by its own relay), then the link catches up.
  const drainEnd = Date.now() + 120_000;
  while (senders.some((s) => s.chat.outbox.queuedCount > 0) && Date.now() < drainEnd) await sleep(200);
  const expected = stats.sent;
  let views = await bothViews(relays);
  while (Date.now() < drainEnd && (views.site.length < expected || views.cloud.length < expected)) {
    await sleep(500);
    views = await bothViews(relays);
  }
  const report = check(senders, views);
  console.log(`\nLink soak: ${flags.minutes} min, ${senders.length} senders (${SENDERS} per side, a message every ~${GAP_S} s each), ${stats.cuts} cuts, ${stats.kills} relay kills`);
  console.log(`sent ${expected} (site ${senders.filter((s) => s.side === 'site').reduce((n, s) => n + s.sent.length, 0)}, cloud ${senders.filter((s) => s.side === 'cloud').reduce((n, s) => n + s.sent.length, 0)}); crossed ${JSON.stringify(link.state().crossed)} (duplicates answered as such count too)`);
  console.log('| | at the site | at the cloud |\n|---|---|---|');
  for (const key of ['lost', 'duplicated', 'out of order'] as const) console.log(`| ${key} | ${report.site[key]} | ${report.cloud[key]} |`);
  for (const s of senders) s.chat.close();
  await link.close();
  await cut.close();
  await Promise.all([relays.site.stop(), relays.cloud.stop()]);
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  const bad = Object.values(report).some((r) => r.lost + r.duplicated + r['out of order'] > 0);
  return bad ? 1 : 0;
}

/** The lobby of each relay, read back from its history (every page). */
async function bothViews(relays: Record<Side, ServerProcess>): Promise<Record<Side, ChatMessage[]>> {
  const read = async (url: string): Promise<ChatMessage[]> => {
    const { socket: reader } = await loggedIn(url, `reader${Math.floor(Math.random() * 1e6)}`);
    try {
      const out: ChatMessage[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await request<HistoryPage>(reader, 'history:fetch', { room: 'lobby', limit: HISTORY_PAGE_MAX, ...(before === undefined ? {} : { beforeSeq: before }) });
        if (!page.ok) throw new Error(`${page.code}: ${page.message}`);
        out.unshift(...page.messages);
        if (!page.hasMore || page.messages.length === 0) return out.filter((m) => m.change === undefined && /^(site|cloud)\d+ #\d+$/.test(m.message));
        before = page.messages[0]!.seq;
      }
    } finally {
      reader.disconnect();
    }
  };
  return { site: await read(relays.site.httpUrl), cloud: await read(relays.cloud.httpUrl) };
}

function check(senders: Sender[], views: Record<Side, ChatMessage[]>): Record<Side, { lost: number; duplicated: number; 'out of order': number }> {
  const result = {} as Record<Side, { lost: number; duplicated: number; 'out of order': number }>;
  for (const side of ['site', 'cloud'] as const) {
    const count = new Map<string, number>();
    for (const m of views[side]) count.set(m.message, (count.get(m.message) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (const s of senders) {
      for (const t of s.sent) {
        const n = count.get(t) ?? 0;
        if (n === 0) lost++;
        if (n > 1) duplicated += n - 1;
      }
      // Each sender's messages in the order sent (seq order of the room's history).
      const seen = views[side].filter((m) => m.message.startsWith(`${s.name} #`)).map((m) => Number(m.message.split('#')[1]));
      for (let i = 1; i < seen.length; i++) if (seen[i]! < seen[i - 1]!) outOfOrder++;
    }
    result[side] = { lost, duplicated, 'out of order': outOfOrder };
  }
  return result;
}

runAndExit(main);
