/**
 * The line of images waiting to be cleaned (server/files/images.ts) is fair and bounded: someone
 * posting many images delays another person's one by at most one image per busy owner, an owner past
 * IMAGES_PER_OWNER is told to retry (RATE_LIMITED), and a stopping relay refuses what still waits.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/index';
import { diskStorage } from '../../../server/files/disk-storage';
import { IMAGES_PER_OWNER, imageCleaner } from '../../../server/files/images';
import { plain } from '../../helpers/images';

async function storageWith(files: Record<string, Buffer>) {
  const dir = await mkdtemp(join(tmpdir(), 'parley-queue-'));
  for (const [id, data] of Object.entries(files)) await writeFile(join(dir, id), data);
  return diskStorage(dir, true);
}

const id = (n: string) => `image${n}`.padEnd(20, 'x');

describe('the image cleaning line', () => {
  it('takes owners in turn, caps each owner, and refuses the waiting ones on close', async () => {
    const png = await plain('png', 1200, 900);
    const names = [...Array.from({ length: IMAGES_PER_OWNER }, (_, i) => `m${i}`), 'ana'];
    const storage = await storageWith(Object.fromEntries(names.map((n) => [id(n), png])));
    const cleaner = imageCleaner({ maxPixels: 50e6, log: pino({ level: 'silent' }) });
    const finished: string[] = [];
    const clean = (name: string, owner: string) => cleaner.clean(storage, id(name), 'image/png', owner).then(() => void finished.push(name));

    const mallory = names.slice(0, -1).map((n) => clean(n, 'mallory'));
    // One more from Mallory is refused at once; Ana's one image joins the line behind all of hers.
    await expect(cleaner.clean(storage, id('m0'), 'image/png', 'mallory')).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    const ana = clean('ana', 'ana');
    await Promise.all([...mallory, ana]);
    // Two run at once: Ana's starts as soon as the second place frees, not after Mallory's dozen.
    expect(finished.indexOf('ana')).toBeLessThanOrEqual(3);

    const waiting = names.slice(0, 6).map((n) => cleaner.clean(storage, id(n), 'image/png', 'mallory'));
    cleaner.close();
    const outcomes = await Promise.allSettled(waiting);
    // The two already running finish; the four waiting are refused.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(4).fill(ErrorCode.RATE_LIMITED));
    await storage.close();
  });
});
