/**
 * Files in the model (issue 24), against real relays with real tus uploads: a file uploads while the
 * caption is written and goes with the message; pause, resume and cancel; a connection dropped
 * mid-upload resumes from the byte the relay holds; a message with files written offline waits in
 * the outbox and is sent once, without uploading again what was done; what the relay would refuse
 * is refused before any byte goes, and the relay's own refusals come back as reasons.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index';
import type { Relay } from '../../../server/index';
import type { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { UPLOAD_LOST } from '../../../renderer/model/outbox';
import { MemoryStore } from '../../../renderer/model/storage';
import type { FileUpload } from '../../../renderer/model/uploads';
import { bytes, PNG_1x1, raw, sha256, tusHeaders } from '../../helpers/files';
import { TcpCut } from '../../helpers/tcp-cut';
import { held, rawRequest, until, useRelaysAndClients } from './support';

const fx = useRelaysAndClients();
const proxies: TcpCut[] = [];
fx.afterClients(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const CHUNK = 64 * 1024;
/** Small chunks so that an upload is caught in the middle, and quick retries so that a cut is noticed at once. */
const uploads = { chunkBytes: CHUNK, retryDelays: [0, 50] };

const file = (data: Uint8Array, name: string, type = 'application/octet-stream') => new File([new Uint8Array(data)], name, { type });

interface Seen {
  method: string;
  path: string;
  offset: number | undefined;
  /** The answer's status, once sent. */
  status?: number;
}

/** Every request to /uploads the relay receives, in order. */
function uploadRequests(relay: Relay): Seen[] {
  const seen: Seen[] = [];
  relay.httpServer.on('request', (req, res) => {
    if (!req.url?.startsWith('/uploads')) return;
    const offset = req.headers['upload-offset'];
    const entry: Seen = { method: req.method ?? '', path: req.url, offset: typeof offset === 'string' ? Number(offset) : undefined };
    seen.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  });
  return seen;
}

/** Runs `act` on the first change of an upload that has `atLeast` bytes confirmed while still uploading. */
function whenConfirmed<T>(client: ChatClient, atLeast: number, act: (up: FileUpload) => T): Promise<T> {
  return new Promise((resolve) => {
    const off = client.files.uploads.changes.subscribe((up) => {
      if (up.state !== 'uploading' || up.confirmed < atLeast) return;
      off();
      resolve(act(up));
    });
  });
}

/** Pauses the client's upload once the relay has confirmed `atLeast` bytes; resolves with the confirmed offset. */
function pauseAt(client: ChatClient, atLeast: number): Promise<number> {
  return whenConfirmed(client, atLeast, (up) => {
    client.files.uploads.pause(up.key);
    return up.confirmed;
  });
}

async function bytesOf(client: ChatClient, id: string): Promise<string> {
  return sha256(Buffer.from(await (await client.files.fetch('lobby', id)).arrayBuffer()));
}

/** The stored message with this text in a client's lobby, if it is there yet. */
function message(client: ChatClient, text: string): ChatMessage | undefined {
  const found = client.conversation('lobby')!.timeline.entries().find((e) => e.kind === 'message' && e.msg.message === text);
  return found?.kind === 'message' ? found.msg : undefined;
}

/** The lobby's stored messages on the relay with this text. */
async function stored(client: ChatClient, text: string): Promise<ChatMessage[]> {
  const page = (await rawRequest(client)('history:fetch', { room: 'lobby' })) as unknown as { messages: ChatMessage[] };
  return page.messages.filter((m) => m.message === text);
}

describe('uploading and sending files', () => {
  it('a file uploads as a draft, goes with the caption, and the others fetch the same bytes', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ana.start();
    await ben.start();
    const notes = bytes(3 * CHUNK + 17, 5);
    const photo = ana.files.uploads.add('lobby', file(PNG_1x1, 'photo.png', 'image/png'));
    const doc = ana.files.uploads.add('lobby', file(notes, 'notes.bin'));
    expect(ana.files.uploads.drafts('lobby')).toEqual([photo, doc]);
    await until(() => photo.state === 'done' && doc.state === 'done', 5000, 'uploaded');
    expect(doc.sent).toBe(notes.length);

    expect(ana.send('the plan, and a photo')).toBeNull();
    expect(ana.files.uploads.drafts('lobby')).toEqual([]);
    await until(() => message(ben, 'the plan, and a photo')?.attachments?.length === 2, 5000, 'delivered');
    const got = held(ben, 'the plan, and a photo').attachments!;
    expect(got.map((a) => [a.id, a.name, a.type])).toEqual([
      [photo.id, 'photo.png', 'image/png'],
      [doc.id, 'notes.bin', 'application/octet-stream'],
    ]);
    expect(got[1]!.size).toBe(notes.length);
    // The author's own copy carries them too (from the ack).
    await until(() => message(ana, 'the plan, and a photo')?.attachments?.length === 2, 5000, 'acknowledged');
    expect(await bytesOf(ben, doc.id!)).toBe(sha256(notes));
    // The relay re-encodes images without their metadata: the photo is a PNG still, not the same bytes.
    const image = await ben.files.fetch('lobby', photo.id!);
    expect([image.type, image.size]).toEqual(['image/png', got[0]!.size]);
    // Its thumbnail, when the relay made one (a WebP).
    if (got[0]!.thumb) expect((await ben.files.fetch('lobby', photo.id!, 'thumb')).type).toBe('image/webp');
  });

  it('pause keeps what the relay has; resume sends only the rest', async () => {
    const relay = await fx.relay();
    const seen = uploadRequests(relay);
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    await ana.start();
    const data = bytes(12 * CHUNK + 5, 7);
    const paused = pauseAt(ana, 3 * CHUNK);
    const up = ana.files.uploads.add('lobby', file(data, 'big.bin'));
    const pausedAt = await paused;
    expect(up.state).toBe('paused');
    expect(up.confirmed).toBeLessThan(data.length);

    const before = seen.length;
    ana.files.uploads.resume(up.key);
    await until(() => up.state === 'done', 5000, 'resumed to the end');
    const after = seen.slice(before);
    expect(after[0]?.method).toBe('HEAD');
    expect(after.find((r) => r.method === 'PATCH')?.offset).toBeGreaterThanOrEqual(pausedAt);
    expect(after.filter((r) => r.method === 'POST')).toEqual([]);
    expect(await bytesOf(ana, up.id!)).toBe(sha256(data));
  });

  it('cancel deletes an unfinished upload on the relay and forgets it', async () => {
    const relay = await fx.relay();
    const seen = uploadRequests(relay);
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    await ana.start();
    const cancelled = whenConfirmed(ana, CHUNK, (up) => ({ up, done: ana.files.uploads.cancel(up.key) }));
    ana.files.uploads.add('lobby', file(bytes(20 * CHUNK), 'oops.bin'));
    const { up, done } = await cancelled;
    await done;
    const path = new URL(up.url!).pathname;
    expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([path]);
    expect(ana.files.uploads.get(up.key)).toBeUndefined();
    expect(ana.files.uploads.drafts('lobby')).toEqual([]);
    const { token } = (await rawRequest(ana)('upload:token', { room: 'lobby' })) as unknown as { token: string };
    expect((await raw(relay, 'HEAD', path, tusHeaders(token))).status).toBe(404);
  });

  it('a connection dropped mid-upload resumes from where the relay stopped, after the reconnect', { timeout: 20_000 }, async () => {
    const relay = await fx.relay();
    const seen = uploadRequests(relay);
    const network = await TcpCut.start(relay.port!);
    proxies.push(network);
    const ana = fx.client({ url: `http://127.0.0.1:${network.port}`, nickname: 'Ana', uploads });
    await ana.start();
    const data = bytes(16 * CHUNK + 9, 11);
    const cut = whenConfirmed(ana, 4 * CHUNK, (up) => {
      network.cut();
      return { up, url: up.url, confirmed: up.confirmed };
    });
    ana.files.uploads.add('lobby', file(data, 'trip.bin'));
    const { up, url, confirmed } = await cut;
    // tus-js-client's retries fail too; with the socket also down, the file waits for the connection.
    await until(() => up.state !== 'uploading' && ana.status.value !== 'online', 5000, 'waiting for the connection');
    const before = seen.length;
    network.restore();
    await until(() => up.state === 'done', 15_000, 'finished after the reconnect');
    expect(up.url).toBe(url);
    const after = seen.slice(before);
    expect(after.filter((r) => r.method === 'POST')).toEqual([]);
    expect(after.find((r) => r.method === 'PATCH')?.offset).toBeGreaterThanOrEqual(confirmed);
    expect(await bytesOf(ana, up.id!)).toBe(sha256(data));
  });

  it('a token the relay no longer accepts (401) is renewed, and the upload resumes where it was', { timeout: 20_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-uploads-'));
    dirs.push(dataDir);
    const first = await fx.relay({ dataDir, filesSecret: 'the first signing secret, 32 chars or more' });
    const ana = fx.client({ url: first.url, nickname: 'Ana', uploads });
    await ana.start();
    const data = bytes(10 * CHUNK + 3, 13);
    const paused = pauseAt(ana, 2 * CHUNK);
    const up = ana.files.uploads.add('lobby', file(data, 'long.bin'));
    const pausedAt = await paused;
    const url = up.url;

    // The relay restarts with another secret: it keeps the upload, but not Ana's token.
    await first.close();
    const second = await fx.relay({ port: first.port!, dataDir, filesSecret: 'a second signing secret, as long as that' });
    const seen = uploadRequests(second);
    await until(() => ana.status.value === 'online', 10_000, 'back online');
    ana.files.uploads.resume(up.key);
    await until(() => up.state === 'done', 5000, 'finished');
    expect(seen.slice(0, 3).map((r) => `${r.method} ${r.status}`)).toEqual(['HEAD 401', 'HEAD 200', 'PATCH 204']);
    expect(seen[2]!.offset).toBeGreaterThanOrEqual(pausedAt);
    expect(up.url).toBe(url);
    expect(await bytesOf(ana, up.id!)).toBe(sha256(data));
  });

  it('a message with files written offline waits in the outbox and is sent once; finished files are not uploaded again', { timeout: 20_000 }, async () => {
    const relay = await fx.relay();
    const seen = uploadRequests(relay);
    const network = await TcpCut.start(relay.port!);
    proxies.push(network);
    const ana = fx.client({ url: `http://127.0.0.1:${network.port}`, nickname: 'Ana', uploads });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    await ana.start();
    await ben.start();
    const early = ana.files.uploads.add('lobby', file(bytes(2 * CHUNK, 2), 'early.bin'));
    await until(() => early.state === 'done', 5000, 'early file uploaded');

    network.cut();
    await until(() => ana.status.value !== 'online', 5000, 'offline');
    const late = ana.files.uploads.add('lobby', file(bytes(3 * CHUNK, 3), 'late.bin'));
    // Blank text: files alone make a message.
    expect(ana.send('   ')).toBeNull();
    expect(late.state).toBe('queued');
    const pending = ana.conversation('lobby')!.timeline.entries().filter((e) => e.kind === 'pending');
    expect(pending.map((p) => p.kind === 'pending' && p.files?.map((f) => f.name))).toEqual([['early.bin', 'late.bin']]);
    expect(ana.outbox.queuedCount).toBe(1);

    const before = seen.length;
    network.restore();
    await until(() => ana.outbox.queuedCount === 0, 15_000, 'sent after the reconnect');
    await until(() => message(ben, '')?.attachments?.length === 2, 5000, 'delivered');
    expect(held(ben, '').attachments!.map((a) => a.id)).toEqual([early.id, late.id]);
    // Only the file that was not done went up after the reconnect.
    expect(seen.slice(before).filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await stored(ben, '')).toHaveLength(1);
    expect(ana.conversation('lobby')!.timeline.entries().filter((e) => e.kind === 'pending')).toEqual([]);
  });

  it('cancelling a file of a waiting message takes it out; cancelling the last file of a message without text discards it', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    // Not connected yet: the uploads wait for a token, and the messages for their uploads.
    const a = ana.files.uploads.add('lobby', file(bytes(100, 1), 'a.bin'));
    ana.files.uploads.add('lobby', file(bytes(100, 2), 'b.bin'));
    expect(ana.send('two files, then one')).toBeNull();
    const c = ana.files.uploads.add('lobby', file(bytes(100, 3), 'c.bin'));
    expect(ana.send('')).toBeNull();
    const waiting = () => ana.conversation('lobby')!.timeline.entries().flatMap((e) => (e.kind === 'pending' ? [[e.text, e.files?.map((f) => f.name)]] : []));
    expect(waiting()).toEqual([['two files, then one', ['a.bin', 'b.bin']], ['', ['c.bin']]]);

    await ana.files.uploads.cancel(a.key);
    await ana.files.uploads.cancel(c.key);
    expect(waiting()).toEqual([['two files, then one', ['b.bin']]]);
    expect(ana.outbox.list()).toHaveLength(1);

    await ana.start();
    await ben.start();
    await until(() => ana.outbox.queuedCount === 0, 5000, 'sent');
    await until(() => message(ben, 'two files, then one') !== undefined, 5000, 'delivered');
    expect(message(ben, 'two files, then one')!.attachments!.map((f) => f.name)).toEqual(['b.bin']);
    expect(message(ben, '')).toBeUndefined();
  });

  it('a file still uploading when the app closed is lost with the page: the message fails without it', async () => {
    const relay = await fx.relay();
    const key = newUserKey();
    const storage = new MemoryStore();
    const first = fx.client({ url: relay.url, nickname: 'Ana', key, storage, uploads });
    // Never connected: the file cannot start, the message waits for it.
    first.files.uploads.add('lobby', file(bytes(CHUNK), 'draft.bin'));
    expect(first.send('see attached')).toBeNull();
    first.close();

    const ana = fx.client({ url: relay.url, nickname: 'Ana', key, storage, uploads });
    const ben = fx.client({ url: relay.url, nickname: 'Ben' });
    const [item] = ana.outbox.list();
    expect(item).toMatchObject({ state: 'failed', error: UPLOAD_LOST, files: [] });
    await ana.start();
    await ben.start();
    ana.retry(item!.clientId);
    await until(() => ana.outbox.queuedCount === 0 && message(ben, 'see attached') !== undefined, 5000, 'sent without the file');
    expect(held(ben, 'see attached').attachments).toBeUndefined();
  });
});

describe('refusals', () => {
  it('a file over the limit is refused before any byte goes (FILE_TOO_LARGE); failed files stay behind when sending', async () => {
    const relay = await fx.relay({ uploadMaxBytes: 1000 });
    const seen = uploadRequests(relay);
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    await ana.start();
    const big = ana.files.uploads.add('lobby', file(bytes(1001), 'big.bin'));
    await until(() => big.state === 'failed', 5000, 'refused');
    expect(big).toMatchObject({ reason: 'FILE_TOO_LARGE', maxBytes: 1000, sent: 0 });
    expect(seen).toEqual([]);
    // The limit is known now: the next one is refused on the spot, and so is an empty file.
    expect(ana.files.uploads.add('lobby', file(bytes(5000), 'bigger.bin'))).toMatchObject({ state: 'failed', reason: 'FILE_TOO_LARGE' });
    expect(ana.files.uploads.add('lobby', file(new Uint8Array(0), 'empty.txt'))).toMatchObject({ state: 'failed', reason: 'EMPTY_FILE' });
    expect(seen).toEqual([]);

    const fits = ana.files.uploads.add('lobby', file(bytes(1000), 'fits.bin'));
    await until(() => fits.state === 'done', 5000, 'uploaded');
    expect(ana.send('one of four')).toBeNull();
    await until(() => message(ana, 'one of four')?.attachments?.length === 1, 5000, 'sent');
    expect(ana.files.uploads.drafts('lobby').map((u) => u.name)).toEqual(['big.bin', 'bigger.bin', 'empty.txt']);
    await ana.files.uploads.cancel(big.key);
    expect(ana.files.uploads.drafts('lobby')).toHaveLength(2);
  });

  it("the relay's refusal comes back as the reason: QUOTA_EXCEEDED, and a resume tries again", async () => {
    const relay = await fx.relay({ uploadQuotaBytes: 10_000, uploadUserQuotaBytes: 2000 });
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    await ana.start();
    const first = ana.files.uploads.add('lobby', file(bytes(1500), 'a.bin'));
    await until(() => first.state === 'done', 5000, 'first uploaded');
    const second = ana.files.uploads.add('lobby', file(bytes(1000), 'b.bin'));
    await until(() => second.state === 'failed', 5000, 'refused');
    expect(second.reason).toBe('QUOTA_EXCEEDED');
    ana.files.uploads.resume(second.key);
    expect(second.reason).toBeUndefined();
    await until(() => second.state === 'failed', 5000, 'refused again');
    expect(second.reason).toBe('QUOTA_EXCEEDED');
  });

  it('at most ATTACHMENTS_MAX files wait in one composer', async () => {
    const relay = await fx.relay();
    const ana = fx.client({ url: relay.url, nickname: 'Ana', uploads });
    await ana.start();
    const ups = Array.from({ length: 11 }, (_, i) => ana.files.uploads.add('lobby', file(bytes(10, i + 1), `f${i}.bin`)));
    expect(ups[10]).toMatchObject({ state: 'failed', reason: 'TOO_MANY_FILES' });
    await until(() => ups.slice(0, 10).every((u) => u.state === 'done'), 5000, 'ten uploaded');
  });
});
