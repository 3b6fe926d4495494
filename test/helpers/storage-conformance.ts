/**
 * What every FileStorage (server/files/storage.ts) must do, as one set of cases that each backend
 * runs: the disk and Azure Blob Storage keep upload state, records, variants and byte ranges alike,
 * so the relay above the seam cannot tell them apart. Uploads are driven through the storage's own
 * tus data store, as the relay's /uploads endpoint drives it.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_META, type FileRecord, type FileStorage } from '../../server/files/storage';
import { bytes } from './files';

export const newFileId = (): string => randomBytes(18).toString('base64url');

/** Creates an upload of `size` bytes as the relay does: its metadata set from the token. */
export async function createdUpload(storage: FileStorage, size: number, who: { owner?: string; conversation?: string; name?: string } = {}): Promise<string> {
  const id = newFileId();
  const metadata = { [UPLOAD_META.name]: who.name ?? 'file.bin', [UPLOAD_META.owner]: who.owner ?? 'user-a', [UPLOAD_META.conversation]: who.conversation ?? 'lobby' };
  await storage.datastore.create(new Upload({ id, size, offset: 0, metadata }));
  return id;
}

/** Writes `data` at `offset` through the tus data store; the new offset. */
export function written(storage: FileStorage, id: string, data: Buffer, offset: number): Promise<number> {
  return storage.datastore.write(Readable.from([data]), id, offset);
}

/** Creates, writes in full, and records an upload: a finished file, as after its last PATCH. */
export async function finishedFile(storage: FileStorage, data: Buffer, extra: Partial<FileRecord> = {}): Promise<FileRecord> {
  const id = await createdUpload(storage, data.length);
  await written(storage, id, data, 0);
  const record: FileRecord = { id, name: 'file.bin', size: data.length, type: 'application/octet-stream', owner: 'user-a', conversation: 'lobby', createdAt: Date.now(), ...extra };
  await storage.saveRecord(record);
  return record;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Whether reading the stream fails (a missing file), rather than ending. */
async function fails(stream: Readable): Promise<boolean> {
  try {
    await readAll(stream);
    return false;
  } catch {
    return true;
  }
}

/** A request body that breaks (a reset connection) after `data`. */
export function brokenAfter(data: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield data;
      throw new Error('connection reset');
    })(),
  );
}

/** Something that either throws at once or rejects, as a promise that rejects in both cases. */
const attempt = (fn: () => unknown): Promise<unknown> => (async () => fn())();

/**
 * Declares the conformance cases for one backend. `open` gives a fresh, empty storage for each test;
 * it is closed after the test.
 */
export function describeFileStorage(backend: string, open: () => Promise<FileStorage>): void {
  describe(`FileStorage conformance: ${backend}`, () => {
    const opened: FileStorage[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    const fresh = async () => {
      const storage = await open();
      opened.push(storage);
      return storage;
    };

    it('keeps upload state: declared size, offset, the owner, conversation and name from the tus metadata, creation time', async () => {
      const storage = await fresh();
      const before = Date.now();
      const id = await createdUpload(storage, 10, { owner: 'u-1', conversation: 'dm:a:b', name: 'résumé ✓ ../x.pdf' });
      const state = await storage.upload(id);
      expect(state).toMatchObject({ id, size: 10, offset: 0, owner: 'u-1', conversation: 'dm:a:b', suggestedName: 'résumé ✓ ../x.pdf' });
      expect(state!.createdAt).toBeGreaterThanOrEqual(before - 1000);
      expect(state!.createdAt).toBeLessThanOrEqual(Date.now() + 1000);

      expect(await written(storage, id, Buffer.from('hello'), 0)).toBe(5);
      expect((await storage.upload(id))!.offset).toBe(5);
      expect((await storage.datastore.getUpload(id)).offset).toBe(5);
      expect(await written(storage, id, Buffer.from('world'), 5)).toBe(10);
      expect(await storage.upload(id)).toMatchObject({ size: 10, offset: 10 });
      expect((await readAll(storage.open(id))).toString()).toBe('helloworld');
    });

    it('knows no upload it was not given: upload() is undefined, tus gets 404', async () => {
      const storage = await fresh();
      expect(await storage.upload(newFileId())).toBeUndefined();
      await expect(storage.datastore.getUpload(newFileId())).rejects.toMatchObject({ status_code: 404 });
      expect(await storage.record(newFileId())).toBeUndefined();
    });

    it('stays consistent when a request breaks: the offset it reports is what it kept, and resuming there completes the file', async () => {
      const storage = await fresh();
      const data = bytes(3000, 2);
      const id = await createdUpload(storage, data.length);
      await expect(storage.datastore.write(brokenAfter(data.subarray(0, 1000)), id, 0)).rejects.toBeDefined();
      // The disk may not have flushed the bytes before the error; Azure keeps them (tested there).
      const at = (await storage.upload(id))!.offset;
      expect(at).toBeLessThanOrEqual(1000);
      expect(await written(storage, id, data.subarray(at), at)).toBe(data.length);
      expect((await readAll(storage.open(id))).equals(data)).toBe(true);
    });

    it('keeps records, replaced whole when saved again', async () => {
      const storage = await fresh();
      const record = await finishedFile(storage, Buffer.from('x'), { name: 'naïve.txt', type: 'text/plain' });
      expect(await storage.record(record.id)).toEqual(record);
      const sent = { ...record, attachedAt: Date.now(), width: 3, height: 2, variants: { thumb: { size: 9, type: 'image/webp', width: 3, height: 2 } } };
      await storage.saveRecord(sent);
      expect(await storage.record(record.id)).toEqual(sent);
    });

    it('keeps variants beside the upload; each is read whole or by range', async () => {
      const storage = await fresh();
      const record = await finishedFile(storage, bytes(500, 4));
      const image = bytes(3000, 5);
      await storage.saveVariant(record.id, 'image', image);
      await storage.saveVariant(record.id, 'thumb', Buffer.from('thumb'));
      expect((await readAll(storage.open(record.id, undefined, 'image'))).equals(image)).toBe(true);
      expect((await readAll(storage.open(record.id, { start: 1000, end: 1999 }, 'image'))).equals(image.subarray(1000, 2000))).toBe(true);
      expect((await readAll(storage.open(record.id, undefined, 'thumb'))).toString()).toBe('thumb');
      // The upload's own bytes are untouched by its variants.
      expect((await readAll(storage.open(record.id))).equals(bytes(500, 4))).toBe(true);
      // A variant never saved is not there.
      const plain = await finishedFile(storage, Buffer.from('plain'));
      expect(await fails(storage.open(plain.id, undefined, 'thumb'))).toBe(true);
    });

    it('reads exactly the bytes of a range, end inclusive, also across the blocks of a large upload', async () => {
      const storage = await fresh();
      // Over 4 MiB in one write: more than one block where the backend appends in blocks.
      const data = bytes(5 * 1024 * 1024 + 17, 6);
      const { id } = await finishedFile(storage, data);
      expect((await readAll(storage.open(id))).equals(data)).toBe(true);
      for (const [start, end] of [[0, 0], [100, 199], [4 * 1024 * 1024 - 10, 4 * 1024 * 1024 + 9], [data.length - 1, data.length - 1], [0, data.length - 1]] as const) {
        const got = await readAll(storage.open(id, { start, end }));
        expect(got.length, `${start}-${end}`).toBe(end - start + 1);
        expect(got.equals(data.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
    });

    it('lets a reader stop early (a sniff reads the first bytes only) and fails the stream of a missing file', async () => {
      const storage = await fresh();
      const { id } = await finishedFile(storage, bytes(300_000, 7));
      const stream = storage.open(id);
      const first: Buffer = await new Promise((resolve, reject) => stream.once('data', resolve).once('error', reject));
      expect(first.length).toBeGreaterThan(0);
      stream.destroy();
      await new Promise((resolve) => stream.once('close', resolve));
      expect(await fails(storage.open(newFileId()))).toBe(true);
    });

    it('lists every upload, finished or not, and nothing else (records, variants, the secret)', async () => {
      const storage = await fresh();
      const unfinished = await createdUpload(storage, 100, { owner: 'u-2' });
      await written(storage, unfinished, bytes(40, 8), 0);
      const empty = await createdUpload(storage, 5);
      const done = await finishedFile(storage, bytes(64, 9));
      await storage.saveVariant(done.id, 'thumb', Buffer.from('t'));
      const more = await Promise.all([1, 2, 3].map(() => createdUpload(storage, 7)));
      const listed = await storage.uploads();
      expect(listed.map((u) => u.id).sort()).toEqual([unfinished, empty, done.id, ...more].sort());
      expect(listed.find((u) => u.id === unfinished)).toMatchObject({ size: 100, offset: 40, owner: 'u-2', conversation: 'lobby', suggestedName: 'file.bin' });
      expect(listed.find((u) => u.id === done.id)).toMatchObject({ size: 64, offset: 64 });
      expect(listed.find((u) => u.id === empty)).toMatchObject({ size: 5, offset: 0 });
    });

    it('removes everything of an id, and removing again or removing nothing is no error', async () => {
      const storage = await fresh();
      const gone = await finishedFile(storage, bytes(10, 10));
      await storage.saveVariant(gone.id, 'image', Buffer.from('i'));
      await storage.saveVariant(gone.id, 'thumb', Buffer.from('t'));
      const kept = await finishedFile(storage, bytes(10, 11));
      await storage.remove(gone.id);
      expect(await storage.upload(gone.id)).toBeUndefined();
      expect(await storage.record(gone.id)).toBeUndefined();
      expect(await fails(storage.open(gone.id))).toBe(true);
      expect(await fails(storage.open(gone.id, undefined, 'image'))).toBe(true);
      expect(await fails(storage.open(gone.id, undefined, 'thumb'))).toBe(true);
      expect((await storage.uploads()).map((u) => u.id)).toEqual([kept.id]);
      await storage.remove(gone.id);
      await storage.remove(newFileId());
      expect(await storage.record(kept.id)).toEqual(kept);
    });

    it("terminates an unfinished upload through tus's own remove", async () => {
      const storage = await fresh();
      const id = await createdUpload(storage, 10);
      await written(storage, id, Buffer.from('half'), 0);
      await storage.datastore.remove(id);
      expect(await storage.upload(id)).toBeUndefined();
      await expect(storage.datastore.getUpload(id)).rejects.toMatchObject({ status_code: 404 });
    });

    it('never looks up a name that is not a file id', async () => {
      const storage = await fresh();
      for (const bad of ['../../etc/passwd', 'short', 'a/b/cdefghijklmnopqrstuvwx', '.parley-secret', `${newFileId()}.file.json`, 'x'.repeat(65), '']) {
        expect(await storage.upload(bad), bad).toBeUndefined();
        expect(await storage.record(bad), bad).toBeUndefined();
        expect(() => storage.open(bad), bad).toThrow();
        await expect(attempt(() => storage.remove(bad)), bad).rejects.toThrow();
        await expect(attempt(() => storage.saveVariant(bad, 'thumb', Buffer.from('x'))), bad).rejects.toThrow();
        await expect(attempt(() => storage.saveRecord({ id: bad, name: 'x', size: 1, type: 'text/plain', owner: 'u', conversation: 'lobby', createdAt: 0 })), bad).rejects.toThrow();
      }
    });
  });
}
