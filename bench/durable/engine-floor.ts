/**
 * The floor under the durable store's CPU per message (issue 20): what the storage engine alone
 * costs for the two records a message writes (the message and its idempotency record), committed
 * with an fsync per batch, at the batch sizes group commit sees. Nothing of the relay runs here, so
 * this is the least any store built on the engine can cost.
 *
 * LevelDB through classic-level (the engine the relay uses), and LMDB through the `lmdb` package
 * when it is installed (it is not a dependency: `npm install --no-save lmdb` to include it).
 *
 *   npm run bench:engine-floor
 *   npm run bench:engine-floor -- --messages 60000 --batches 16,64,256
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClassicLevel } from 'classic-level';

const { values: flags } = parseArgs({
  options: {
    messages: { type: 'string', default: '60000' },
    batches: { type: 'string', default: '16,64,256' },
  },
});
const N = Number(flags.messages);
const BATCHES = flags.batches.split(',').map(Number);

/** A message shaped like the relay's, and the keys it is stored under (server/stores/durable/keys.ts). */
function record(i: number) {
  const m = { username: 'bench', message: `hello world, message ${i}`, id: `01HZZZZZZZZZZZZZZZZZZZ${i}`, seq: 1e15 + i, ts: Date.now(), room: `r${i % 20}`, userId: `u${i % 20}`, clientId: `c-${i}-abcdefgh` };
  return { m, messageKey: `h!${m.room}!${String(m.seq).padStart(16, '0')}`, dedupeKey: `d!${m.userId}/${m.clientId}` };
}

interface Row {
  engine: string;
  batch: number;
  cpuUsPerMessage: number;
  userUs: number;
  systemUs: number;
}

async function measure(engine: string, batch: number, write: (start: number, count: number) => Promise<void>): Promise<Row> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i += batch) await write(i, Math.min(batch, N - i));
  const u = process.cpuUsage(c0);
  return { engine, batch, cpuUsPerMessage: +((u.user + u.system) / N).toFixed(1), userUs: +(u.user / N).toFixed(1), systemUs: +(u.system / N).toFixed(1) };
}

async function level(batch: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-floor-level-'));
  const db = new ClassicLevel<string, unknown>(dir, { valueEncoding: 'json' });
  await db.open();
  try {
    return await measure('LevelDB (classic-level)', batch, async (start, count) => {
      const b = db.batch();
      for (let i = start; i < start + count; i++) {
        const r = record(i);
        b.put(r.messageKey, r.m);
        b.put(r.dedupeKey, { message: r.m });
      }
      await b.write({ sync: true });
    });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type LmdbOpen = (options: { path: string; compression: boolean }) => { put(k: string, v: unknown): void; transaction(fn: () => void): Promise<unknown>; close(): Promise<void> };

async function lmdb(batch: number): Promise<Row | null> {
  let open: LmdbOpen;
  try {
    open = ((await import('lmdb' as string)) as { open: LmdbOpen }).open;
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-floor-lmdb-'));
  const db = open({ path: dir, compression: false });
  try {
    return await measure('LMDB (lmdb)', batch, async (start, count) => {
      await db.transaction(() => {
        for (let i = start; i < start + count; i++) {
          const r = record(i);
          db.put(r.messageKey, r.m);
          db.put(r.dedupeKey, { message: r.m });
        }
      });
    });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const batch of BATCHES) {
  rows.push(await level(batch));
  const l = await lmdb(batch);
  if (l) rows.push(l);
}
console.table(rows);
if (!rows.some((r) => r.engine.startsWith('LMDB'))) console.log('(LMDB not measured: `npm install --no-save lmdb` to include it)');
