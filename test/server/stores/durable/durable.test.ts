/**
 * The durable store (server/stores/durable) beyond the contract every store keeps (conformance/):
 * what survives a restart, group commit, retention by age, and a database that cannot be opened.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDurableStores, DatabaseOpenError } from '../../../../server/stores/durable/index';
import type { ChatStores, MessageDraft } from '../../../../server/stores/types';

const UNLIMITED = { capacity: 1_000_000, perSecond: 1_000_000 };
const folders: string[] = [];
const open: ChatStores[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
  folders.push(dir);
  return dir;
}

async function stores(dataDir: string, extra: { historyLimit?: number; historyMaxAgeMs?: number } = {}): Promise<ChatStores> {
  const s = await createDurableStores({ dataDir, historyLimit: extra.historyLimit ?? 200, lobby: 'lobby', userMessages: UNLIMITED, ...extra });
  open.push(s);
  return s;
}

async function closed(s: ChatStores): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

const draft = (message: string, extra: Partial<MessageDraft> = {}): MessageDraft => ({ room: 'lobby', userId: 'user-ana', username: 'ana', message, ...extra });

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('durable store across a restart', () => {
  it('keeps messages with their ids and seqs, continues seqs above them, and keeps rooms and DM logs', async () => {
    const dir = folder();
    const first = await stores(dir);
    await first.rooms.create('design');
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push((await first.history.append(draft(`m${i}`, { clientId: `client-000${i}` }))).message);
    const dm = (await first.history.append(draft('psst', { room: 'dm:aaaaaaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbbbbbb' }))).message;
    await closed(first);

    const again = await stores(dir);
    expect((await again.history.page('lobby', { limit: 10 })).messages).toEqual(sent);
    expect(await again.rooms.list()).toEqual(expect.arrayContaining(['lobby', 'design']));
    expect(await again.dmConversations()).toEqual([dm.room]);
    const next = await again.history.append(draft('after the restart'));
    expect(next.message.seq).toBe(sent[4]!.seq + 1);
    // An outbox retrying after the restart gets the stored copy, not a second message: while the
    // fingerprints of the records on disk are still being read, and after.
    expect(await again.history.append(draft('m2', { clientId: 'client-0002' }))).toEqual({ message: sent[2], duplicate: true });
    await (again.history as unknown as { fingerprintsRead(): Promise<void> }).fingerprintsRead();
    expect(await again.history.append(draft('m3', { clientId: 'client-0003' }))).toEqual({ message: sent[3], duplicate: true });
  });

  it('keeps only the newest historyLimit messages, and pages them correctly after a restart', async () => {
    const dir = folder();
    const first = await stores(dir, { historyLimit: 3 });
    const sent = [];
    for (let i = 0; i < 7; i++) sent.push((await first.history.append(draft(`m${i}`))).message);
    await closed(first);
    const again = await stores(dir, { historyLimit: 3 });
    const page = await again.history.page('lobby', { limit: 10 });
    expect(page.messages.map((m) => m.message)).toEqual(['m4', 'm5', 'm6']);
    expect(page.lastSeq).toBe(sent[6]!.seq);
    // A client whose cursor is older than what is kept is told it missed some.
    expect((await again.history.page('lobby', { afterSeq: sent[1]!.seq, limit: 10 })).gap).toBe(true);
  });
});

describe('group commit', () => {
  it('writes many concurrent messages in fewer batches than messages, in call order, each acknowledged once on disk', async () => {
    const s = await stores(folder(), { historyLimit: 1000 });
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => s.history.append(draft(`burst ${i}`, { clientId: `burst-${String(i).padStart(4, '0')}` }))));
    const seqs = results.map((r) => r.message.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const { commits } = s.describe() as { commits: { batches: number; ops: number } };
    expect(commits.batches).toBeGreaterThan(0);
    expect(commits.batches).toBeLessThan(300);
    expect((await s.history.page('lobby', { limit: 300 })).messages).toHaveLength(300);
  });

  it('a retry racing its original is stored once', async () => {
    const s = await stores(folder());
    const [a, b] = await Promise.all([s.history.append(draft('once', { clientId: 'race-0001' })), s.history.append(draft('once', { clientId: 'race-0001' }))]);
    expect(b).toEqual({ message: a.message, duplicate: true });
    expect((await s.history.page('lobby', { limit: 10 })).messages).toHaveLength(1);
  });
});

describe('retention by age (HISTORY_MAX_AGE)', () => {
  it('deletes messages older than the cutoff from the oldest end, and says so to a client behind it', async () => {
    const s = await stores(folder(), { historyMaxAgeMs: 60_000 });
    const old = (await s.history.append(draft('old'))).message;
    const kept = (await s.history.append(draft('new'))).message;
    const history = s.history as unknown as { sweep(cutoffTs: number): Promise<number> };
    // A cutoff between the two messages' timestamps (they may share a millisecond: then both are old).
    const removed = await history.sweep(kept.ts > old.ts ? kept.ts : kept.ts + 1);
    const page = await s.history.page('lobby', { limit: 10 });
    if (kept.ts > old.ts) {
      expect(removed).toBe(1);
      expect(page.messages).toEqual([kept]);
    } else {
      expect(removed).toBe(2);
      expect(page.messages).toEqual([]);
    }
    expect((await s.history.page('lobby', { afterSeq: old.seq - 1, limit: 10 })).gap).toBe(true);
  });
});

describe('a database that cannot be opened', () => {
  it('refuses a second relay on the same folder, naming the folder and what to do', async () => {
    const dir = folder();
    await stores(dir);
    const err = await createDurableStores({ dataDir: dir, historyLimit: 200, lobby: 'lobby', userMessages: UNLIMITED }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect((err as DatabaseOpenError).reason).toBe('locked');
    expect((err as Error).message).toContain(join(dir, 'history'));
    expect((err as Error).message).toMatch(/another Parley relay/);
  });

  it('stops at a damaged database and changes nothing in it', async () => {
    const dir = folder();
    const first = await stores(dir);
    await first.history.append(draft('precious'));
    await closed(first);
    const db = join(dir, 'history');
    const manifest = readFileSync(join(db, 'CURRENT'), 'utf8').trim();
    writeFileSync(join(db, manifest), 'not a LevelDB manifest');
    const before = snapshot(db);
    const err = await createDurableStores({ dataDir: dir, historyLimit: 200, lobby: 'lobby', userMessages: UNLIMITED }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect((err as DatabaseOpenError).reason).toBe('corrupt');
    expect((err as Error).message).toMatch(/damaged.*Nothing was changed.*move the folder aside/s);
    expect(snapshot(db)).toEqual(before);
  });
});

/** Every file of a folder with its contents (LevelDB's own LOG aside, which records the failed open). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (!name.startsWith('LOG')) out[name] = readFileSync(join(dir, name)).toString('base64');
  return out;
}
