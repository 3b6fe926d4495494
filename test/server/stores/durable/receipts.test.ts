/**
 * The durable receipt store beyond the contract every store keeps (conformance/receipts.test.ts):
 * a cursor move whose batch fails is refused with UNAVAILABLE and leaves the cursor where it was, in
 * memory and on disk, also for an advance that was waiting on it. The write fails for real: the
 * database is closed under the group commit, as a failed batch leaves it (group-commit.ts), which
 * then reopens it for the next batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../protocol/index';
import { openDatabase, type Database } from '../../../../server/stores/durable/database';
import { GroupCommit } from '../../../../server/stores/durable/group-commit';
import { DurableReceiptStore } from '../../../../server/stores/durable/receipts';

const ANA = 'ana-0123456789abcdef';
const BASE = 1_780_000_000_000_000;
const folders: string[] = [];
const dbs: Database[] = [];

async function open(dir: string): Promise<{ db: Database; commit: GroupCommit; receipts: DurableReceiptStore }> {
  const db = await openDatabase(dir);
  dbs.push(db);
  const commit = new GroupCommit(db);
  return { db, commit, receipts: await DurableReceiptStore.load(db, commit) };
}

afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => (db.status === 'open' ? db.close() : undefined)));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('durable receipt cursors when a write fails', () => {
  it('refuse with UNAVAILABLE and stay where they were; a waiting advance is decided again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-receipts-'));
    folders.push(dir);
    const { db, commit, receipts } = await open(dir);
    await receipts.advance('dev', ANA, 'read', BASE + 5);
    await db.close();

    // `failing` moves the cursor; `waiting` asks for less than `failing` does, so it waits for that
    // write, and, once it failed, moves the cursor itself.
    const failing = receipts.advance('dev', ANA, 'read', BASE + 9);
    const waiting = receipts.advance('dev', ANA, 'delivered', BASE + 7);
    await expect(failing).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(await receipts.cursors('dev')).toEqual([{ userId: ANA, read: BASE + 5, delivered: BASE + 5 }]);
    expect(await waiting).toEqual({ cursor: { read: BASE + 5, delivered: BASE + 7 }, moved: true });
    expect(commit.stats.reopens).toBe(1);

    // The refused move is not half there: a retry moves the cursor, from where it was.
    expect(await receipts.advance('dev', ANA, 'read', BASE + 9)).toEqual({ cursor: { read: BASE + 9, delivered: BASE + 9 }, moved: true });
    await commit.drain();
    await db.close();
    const again = await open(dir);
    expect(await again.receipts.mine(ANA, ['dev'])).toEqual(new Map([['dev', { read: BASE + 9, delivered: BASE + 9 }]]));
  });

  it("a first cursor whose write failed is no cursor, in memory or after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-receipts-'));
    folders.push(dir);
    const { db, commit, receipts } = await open(dir);
    await db.close();
    await expect(receipts.advance('ops', ANA, 'delivered', BASE + 3)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(await receipts.cursors('ops')).toEqual([]);
    expect(await receipts.mine(ANA, ['ops'])).toEqual(new Map());
    await commit.readable(); // reopened
    await db.close();
    const again = await open(dir);
    expect(await again.receipts.cursors('ops')).toEqual([]);
  });
});
