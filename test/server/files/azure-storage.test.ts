/**
 * Files in Azure Blob Storage, against a real Azurite: the storage seam behaves as the disk does
 * (one set of cases for both), two instances on one container see the same uploads and never
 * corrupt one, they agree on one signing secret, and a relay on Azure uploads, resumes, attaches and
 * serves files (with ranges) exactly as on its disk.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { pino } from 'pino';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from 'tus-js-client';
import type { FileUrlOk, SendOk } from '../../../protocol/index';
import { azureStorage } from '../../../server/files/azure-storage';
import { diskStorage } from '../../../server/files/disk-storage';
import { createFileService } from '../../../server/files/index';
import { useAzurite } from '../../helpers/azurite';
import { loggedIn, next, request } from '../../helpers/clients';
import { bytes, createUpload, download, fileUrl, raw, sha256, tusHeaders, tusUpload, uploadToken } from '../../helpers/files';
import { photoWithExif } from '../../helpers/images';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { brokenAfter, createdUpload, describeFileStorage, newFileId, readAll, written } from '../../helpers/storage-conformance';

const { azurite, container } = useAzurite();
useRelayCleanup();

describeFileStorage('disk', async () => diskStorage(await mkdtemp(join(tmpdir(), 'parley-conformance-')), true));
describeFileStorage('Azure Blob Storage (Azurite)', async () => {
  // Two blobs a page, so that listing the uploads has to follow continuation tokens.
  const storage = await azureStorage({ connectionString: azurite().connectionString, container: container(), pageSize: 2 });
  // The secret's blob sits among the uploads and must never be taken for one.
  await storage.sharedSecret();
  return storage;
});

/** Two storages on one container: two relay instances. */
async function twoInstances() {
  const name = container();
  const options = { connectionString: azurite().connectionString, container: name };
  const [a, b] = await Promise.all([azureStorage(options), azureStorage(options)]);
  return { a: a!, b: b!, blobs: BlobServiceClient.fromConnectionString(options.connectionString).getContainerClient(name) };
}

describe('Azure Blob Storage shared by instances', () => {
  it('each instance sees what another wrote at once, and an append at a stale offset is refused (409), the bytes intact', async () => {
    const { a, b } = await twoInstances();
    const id = await createdUpload(a, 10);
    expect(await written(a, id, Buffer.from('hello'), 0)).toBe(5);
    expect((await b.upload(id))!.offset).toBe(5);
    expect((await b.datastore.getUpload(id)).offset).toBe(5);
    expect(await written(b, id, Buffer.from('wor'), 5)).toBe(8);
    // A sees B's bytes even after it looked before; a writer still at offset 5 is turned away.
    expect((await a.datastore.getUpload(id)).offset).toBe(8);
    await expect(written(a, id, Buffer.from('XY'), 5)).rejects.toMatchObject({ status_code: 409 });
    expect(await written(a, id, Buffer.from('ld'), 8)).toBe(10);
    expect((await readAll(b.open(id))).toString()).toBe('helloworld');
  });

  it('instances starting together agree on one secret, and a later one reads it', async () => {
    const name = container();
    const options = { connectionString: azurite().connectionString, container: name };
    const starting = await Promise.all([1, 2, 3, 4].map(() => azureStorage(options)));
    const secrets = await Promise.all(starting.map((s) => s.sharedSecret()));
    expect(secrets[0]!.length).toBe(32);
    for (const s of secrets) expect(s.equals(secrets[0]!)).toBe(true);
    expect((await (await azureStorage(options)).sharedSecret()).equals(secrets[0]!)).toBe(true);
  });

  it('replaces an unreadable secret once, however many instances find it', async () => {
    const { a, b, blobs } = await twoInstances();
    await blobs.getBlockBlobClient('.parley-secret').upload('not hex', 7);
    const [x, y] = await Promise.all([a.sharedSecret(), b.sharedSecret()]);
    expect(x.length).toBe(32);
    expect(x.equals(y)).toBe(true);
  });

  it('keeps the bytes that arrived before a request broke', async () => {
    const { a } = await twoInstances();
    const id = await createdUpload(a, 3000);
    await expect(a.datastore.write(brokenAfter(bytes(1000, 2)), id, 0)).rejects.toBeDefined();
    expect((await a.upload(id))!.offset).toBe(1000);
  });

  it('lists an upload blob whose creation stopped before its upload info as abandoned, so the sweep deletes it', async () => {
    const { a, blobs } = await twoInstances();
    const id = newFileId();
    await blobs.getAppendBlobClient(id).create();
    expect(await a.upload(id)).toBeUndefined();
    const listed = (await a.uploads()).find((u) => u.id === id);
    expect(listed).toMatchObject({ size: undefined, offset: 0, owner: undefined });
    expect(listed!.createdAt).toBeGreaterThan(Date.now() - 60_000);
    const log = pino({ level: 'silent' });
    const connection = { connectionString: azurite().connectionString, container: blobs.containerName };
    const files = await createFileService({ dataDir: undefined, azure: connection, secret: undefined, maxBytes: 1000, quotaBytes: 1000, userQuotaBytes: 100, allowedOrigins: [], proxyHops: 0, log, abandonAfterMs: 0 });
    await files.close();
    expect(await blobs.getBlobClient(id).exists()).toBe(false);
  });
});

const CHUNK = 64 * 1024;

describe('a relay with files in Azure Blob Storage', () => {
  const onAzure = () => startRelay({ azureStorage: { connectionString: azurite().connectionString, container: container() } });

  it('uploads, attaches, delivers and serves identical bytes, whole and by range', async () => {
    const relay = await onAzure();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const data = bytes(300_000, 12);
    const { token } = await uploadToken(ana.socket);
    const { id } = await tusUpload(relay, token, data, { filename: 'report.bin', chunkSize: CHUNK });

    const arrived = next(bob.socket, 'new message');
    const sent = await request<SendOk>(ana.socket, 'new message', { text: 'the report', attachments: [id] });
    const attachment = { id, name: 'report.bin', size: data.length, type: 'application/octet-stream' };
    expect(sent.ok && sent.attachments).toEqual([attachment]);
    expect((await arrived).attachments).toEqual([attachment]);

    const link = await fileUrl(bob.socket, 'lobby', id);
    const whole = await download(relay, link);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(data.length));
    expect(sha256(whole.body)).toBe(sha256(data));
    const part = await download(relay, link, { range: 'bytes=70000-70099' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 70000-70099/${data.length}`);
    expect(part.body.equals(data.subarray(70_000, 70_100))).toBe(true);
    expect((await download(relay, link, { range: 'bytes=-10' })).body.equals(data.subarray(-10))).toBe(true);
    expect((await download(relay, link, { range: `bytes=${data.length}-` })).status).toBe(416);
  });

  it('sniffs and names what it stores as the disk relay does: HTML is text, named .txt, served as a download', async () => {
    const relay = await onAzure();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const text = await tusUpload(relay, token, Buffer.from('<script>alert(1)</script>\n'), { filename: 'page.html' });
    expect(await request<SendOk>(ana.socket, 'new message', { text: '', attachments: [text.id] })).toMatchObject({
      ok: true,
      attachments: [{ name: 'page.html.txt', type: 'text/plain' }],
    });
    const got = await download(relay, await fileUrl(ana.socket, 'lobby', text.id));
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it("keeps an image's cleaned copy and thumbnail beside it, and serves those", async () => {
    const relay = await onAzure();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const { id } = await tusUpload(relay, token, await photoWithExif(640, 400), { filename: 'holiday.jpg' });
    const sent = await request<SendOk>(ana.socket, 'new message', { text: '', attachments: [id] });
    expect(sent.ok && sent.attachments?.[0]).toMatchObject({ type: 'image/jpeg', width: 400, height: 640, thumb: true });
    const image = await download(relay, await fileUrl(ana.socket, 'lobby', id));
    expect(image.status).toBe(200);
    expect(image.body.includes('AcmeCam')).toBe(false);
    expect(await sharp(image.body).metadata()).toMatchObject({ format: 'jpeg', width: 400, height: 640 });
    const thumb = await request<FileUrlOk>(ana.socket, 'file:url', { room: 'lobby', id, variant: 'thumb' });
    if (!thumb.ok) throw new Error(thumb.message);
    const small = await download(relay, thumb);
    expect(small.headers['content-type']).toBe('image/webp');
    expect((await sharp(small.body).metadata()).format).toBe('webp');
  });

  it('resumes an upload after a dropped connection from the byte the container has', async () => {
    const relay = await onAzure();
    const ana = await loggedIn(relay.url, 'ana');
    const data = bytes(6 * CHUNK + 99, 13);
    const { token } = await uploadToken(ana.socket);
    const first = await tusUpload(relay, token, data, { chunkSize: CHUNK, abortAfter: 2 * CHUNK, filename: 'big.bin' });
    expect(first.aborted).toBe(true);
    const path = new URL(first.url).pathname;
    const head = await raw(relay, 'HEAD', path, tusHeaders(token));
    expect(head.status).toBe(200);
    const stoppedAt = Number(head.headers['upload-offset']);
    expect(stoppedAt).toBeGreaterThanOrEqual(2 * CHUNK);
    expect(stoppedAt).toBeLessThan(data.length);
    expect(await request(ana.socket, 'new message', { text: 'x', attachments: [first.id] })).toMatchObject({ ok: false, code: 'UNKNOWN_FILE' });

    const patches: number[] = [];
    const hook = (req: HttpRequest) => void (req.getMethod() === 'PATCH' && patches.push(Number(req.getHeader('Upload-Offset'))));
    await tusUpload(relay, token, data, { chunkSize: CHUNK, uploadUrl: first.url, onBeforeRequest: hook });
    expect(patches[0]).toBe(stoppedAt);
    expect(await request(ana.socket, 'new message', { text: 'done', attachments: [first.id] })).toMatchObject({ ok: true });
    expect(sha256((await download(relay, await fileUrl(ana.socket, 'lobby', first.id))).body)).toBe(sha256(data));
  });

  it('cancels an unfinished upload (DELETE removes its blob), and a request for an upload that is gone is 404', async () => {
    const relay = await onAzure();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const { path } = await createUpload(relay, token, 100);
    const patch = tusHeaders(token, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' });
    expect((await raw(relay, 'PATCH', path, patch, Buffer.from('half'))).status).toBe(204);
    expect((await raw(relay, 'DELETE', path, tusHeaders(token))).status).toBe(204);
    expect((await raw(relay, 'HEAD', path, tusHeaders(token))).status).toBe(404);
    expect((await raw(relay, 'PATCH', path, tusHeaders(token, { 'upload-offset': 4, 'content-type': 'application/offset+octet-stream' }), Buffer.from('more'))).status).toBe(404);
  });
});
