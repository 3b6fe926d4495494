/**
 * Uploads survive a dropped connection and a relay restart: tus-js-client, given the upload's URL,
 * asks where it stopped (HEAD) and sends only the rest. A durable relay keeps its files, their
 * records and its signing secret, so a download URL handed out before a restart still works.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from 'tus-js-client';
import { pino } from 'pino';
import { ErrorCode } from '../../../protocol/index';
import { createFileService } from '../../../server/files/index';
import type { Relay } from '../../../server/index';
import { loggedIn, newKey, request } from '../../helpers/clients';
import { bytes, createUpload, download, fileUrl, raw, sha256, tusHeaders, tusUpload, uploadToken } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const CHUNK = 64 * 1024;

/** The offsets of the PATCH requests an upload sends. */
function patchOffsets(): { offsets: number[]; hook: (req: HttpRequest) => void } {
  const offsets: number[] = [];
  return { offsets, hook: (req) => void (req.getMethod() === 'PATCH' && offsets.push(Number(req.getHeader('Upload-Offset')))) };
}

/** Where the relay says an upload stands. */
async function offsetOf(relay: Relay, path: string, token: string): Promise<number> {
  const head = await raw(relay, 'HEAD', path, tusHeaders(token));
  expect(head.status).toBe(200);
  return Number(head.headers['upload-offset']);
}

describe('resumable uploads', () => {
  it('an aborted upload resumes from the byte the relay has', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const data = bytes(5 * CHUNK + 123, 3);
    const { token } = await uploadToken(ana.socket);
    const first = await tusUpload(relay, token, data, { chunkSize: CHUNK, abortAfter: 2 * CHUNK, filename: 'big.bin' });
    expect(first.aborted).toBe(true);
    const path = new URL(first.url).pathname;
    const stoppedAt = await offsetOf(relay, path, token);
    expect(stoppedAt).toBeGreaterThanOrEqual(2 * CHUNK);
    expect(stoppedAt).toBeLessThan(data.length);
    // Not finished: not sendable yet.
    expect(await request(ana.socket, 'new message', { text: 'x', attachments: [first.id] })).toMatchObject({ ok: false, code: 'UNKNOWN_FILE' });

    const { offsets, hook } = patchOffsets();
    const second = await tusUpload(relay, token, data, { chunkSize: CHUNK, uploadUrl: first.url, onBeforeRequest: hook });
    expect(second.id).toBe(first.id);
    expect(offsets[0]).toBe(stoppedAt);

    expect(await request(ana.socket, 'new message', { text: 'done', attachments: [first.id] })).toMatchObject({ ok: true });
    const got = await download(relay, await fileUrl(bob.socket, 'lobby', first.id));
    expect(sha256(got.body)).toBe(sha256(data));
  });

  it('an upload resumes after the relay restarts on the same data folder, and old download URLs still work', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-files-test-'));
    dirs.push(dataDir);
    const key = newKey();
    const data = bytes(4 * CHUNK + 7, 9);

    const before = await startRelay({ dataDir });
    const ana = await loggedIn(before.url, 'ana', { key });
    // A finished file, sent, with a URL handed out before the restart.
    const { token: early } = await uploadToken(ana.socket);
    const kept = await tusUpload(before, early, Buffer.from('kept across restarts\n'), { filename: 'kept.txt' });
    expect(await request(ana.socket, 'new message', { text: 'kept', attachments: [kept.id] })).toMatchObject({ ok: true });
    const oldLink = await fileUrl(ana.socket, 'lobby', kept.id);
    // And one stopped half-way.
    const { token } = await uploadToken(ana.socket);
    const first = await tusUpload(before, token, data, { chunkSize: CHUNK, abortAfter: CHUNK, filename: 'half.bin' });
    const path = new URL(first.url).pathname;
    const stoppedAt = await offsetOf(before, path, token);
    await before.close();

    const after = await startRelay({ dataDir });
    const again = await loggedIn(after.url, 'ana', { key });
    expect(again.login.userId).toBe(ana.login.userId);
    expect((await download(after, oldLink)).body.toString()).toBe('kept across restarts\n');
    // The old token would do until it expires; a client that restarted asks for a new one.
    const { token: fresh } = await uploadToken(again.socket);
    expect(await offsetOf(after, path, fresh)).toBe(stoppedAt);
    const { offsets, hook } = patchOffsets();
    await tusUpload(after, fresh, data, { chunkSize: CHUNK, uploadUrl: new URL(path, after.url).href, onBeforeRequest: hook });
    expect(offsets[0]).toBe(stoppedAt);
    expect(await request(again.socket, 'new message', { text: 'done', attachments: [first.id] })).toMatchObject({ ok: true });
    const got = await download(after, await fileUrl(again.socket, 'lobby', first.id));
    expect(sha256(got.body)).toBe(sha256(data));
  });

  it('at start: abandoned uploads go, finished ones count against the quota, a missing record is remade', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-files-test-'));
    dirs.push(dataDir);
    const key = newKey();
    const before = await startRelay({ dataDir });
    const ana = await loggedIn(before.url, 'ana', { key });
    const { token } = await uploadToken(ana.socket);
    const done = await tusUpload(before, token, Buffer.from('finished\n'), { filename: 'done.txt' });
    const half = await createUpload(before, token, 100);
    await before.close();
    // As if the relay had stopped between the last byte and the record.
    await rm(join(dataDir, 'files', `${done.id}.file.json`));

    const log = pino({ level: 'silent' });
    const files = await createFileService({ dataDir, secret: undefined, maxBytes: 1000, quotaBytes: 1000, userQuotaBytes: 9, allowedOrigins: [], proxyHops: 0, log, abandonAfterMs: 0 });
    try {
      expect(existsSync(join(dataDir, 'files', half.id))).toBe(false);
      expect(existsSync(join(dataDir, 'files', done.id))).toBe(true);
      // 'finished\n' is 9 bytes: Ana's whole share.
      await expect(files.uploadToken(ana.login.userId, 'lobby')).rejects.toThrow(expect.objectContaining({ code: ErrorCode.QUOTA_EXCEEDED }));
      expect(await files.attachments([done.id], ana.login.userId, 'lobby')).toEqual([{ id: done.id, name: 'done.txt', size: 9, type: 'text/plain' }]);
      expect(existsSync(join(dataDir, 'files', `${done.id}.file.json`))).toBe(true);
    } finally {
      await files.close();
    }
  });

  it('a relay without a data folder removes its temporary files when it stops', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const { id } = await tusUpload(relay, token, Buffer.from('temporary'));
    const folders = (await readdir(tmpdir())).filter((n) => n.startsWith('parley-files-')).map((n) => join(tmpdir(), n));
    const mine = folders.find((dir) => existsSync(join(dir, id)));
    expect(mine).toBeDefined();
    await relay.close();
    expect(existsSync(mine!)).toBe(false);
  });
});
