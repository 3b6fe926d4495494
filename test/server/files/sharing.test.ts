/**
 * Sharing a file end to end on a real relay: a tus upload, a message that attaches it, delivery of
 * the metadata to the other members (and a text line to classic clients), a signed URL, and the
 * download of exactly the bytes uploaded.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, FileUrlOk, HistoryPage, SendOk } from '../../../protocol/index';
import { ErrorCode } from '../../../protocol/index';
import { classicClient, connected, loggedIn, next, request } from '../../helpers/clients';
import { bytes, download, fileUrl, raw, sha256, tusUpload, uploaded, uploadToken } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

describe('file sharing', () => {
  it('uploads, sends, delivers the metadata and downloads identical bytes', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const data = bytes(300_000);
    const token = await uploadToken(ana.socket);
    expect(token).toMatchObject({ url: '/uploads', maxBytes: 100 * 1024 ** 2 });
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    const { id } = await tusUpload(relay, token.token, data, { filename: 'report.bin', chunkSize: 64 * 1024 });

    const arrived = next(bob.socket, 'new message');
    const sent = await request<SendOk>(ana.socket, 'new message', { text: 'the report', attachments: [id] });
    expect(sent.ok).toBe(true);
    const attachment = { id, name: 'report.bin', size: data.length, type: 'application/octet-stream' };
    expect(sent.ok && sent.attachments).toEqual([attachment]);
    const message = await arrived;
    expect(message).toMatchObject({ message: 'the report', username: 'ana', attachments: [attachment] });

    // Stored with the message: history and a later login see it too.
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room: 'lobby' });
    expect(page.ok && page.messages.at(-1)?.attachments).toEqual([attachment]);

    const link = await fileUrl(bob.socket, 'lobby', id);
    expect(link.url).toMatch(/^\/files\/[A-Za-z0-9_-]+\?c=lobby&e=\d+&m=1&s=[A-Za-z0-9_-]+$/);
    expect(link.expiresAt).toBeGreaterThanOrEqual(Date.now() + 30 * 60_000 - 1000);
    const got = await download(relay, link);
    expect(got.status).toBe(200);
    expect(sha256(got.body)).toBe(sha256(data));
    expect(got.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': String(data.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': `attachment; filename="report.bin"; filename*=UTF-8''report.bin`,
    });
    expect(got.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(Number(/max-age=(\d+)/.exec(got.headers['cache-control']!)![1])).toBeGreaterThan(29 * 60);

    // Asked again within the same few minutes: the same URL, so a browser's cache can serve it.
    expect((await fileUrl(ana.socket, 'lobby', id)).url).toBe(link.url);
  });

  it('serves a single byte range', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const data = bytes(10_000, 7);
    const id = await uploaded(relay, ana.socket, data);
    await request(ana.socket, 'new message', { text: '', attachments: [id] });
    const link = await fileUrl(ana.socket, 'lobby', id);
    const part = await download(relay, link, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/10000');
    expect(part.body.equals(data.subarray(100, 200))).toBe(true);
    const tail = await download(relay, link, { range: 'bytes=-10' });
    expect(tail.body.equals(data.subarray(-10))).toBe(true);
    expect((await download(relay, link, { range: 'bytes=10000-' })).status).toBe(416);
    const head = await download(relay, link, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('10000');
    expect(head.body.length).toBe(0);
  });

  it('a message may be files alone; classic clients in the lobby get a line per file, with a working link', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const classic = classicClient(relay.url);
    await connected(classic);
    const loggedInClassic = next(classic, 'login');
    classic.emit('add user', 'carl');
    await loggedInClassic;

    const a = await uploaded(relay, ana.socket, Buffer.from('hello, world\n'), 'notes.txt');
    const b = await uploaded(relay, ana.socket, bytes(2_500_000), 'big.bin');
    const toBob = next(bob.socket, 'new message');
    const toCarl = next(classic, 'new message');
    expect(await request(ana.socket, 'new message', { text: '', attachments: [a, b] })).toMatchObject({ ok: true });
    const parley = await toBob;
    expect(parley.message).toBe('');
    expect(parley.attachments?.map((f) => [f.name, f.type])).toEqual([['notes.txt', 'text/plain'], ['big.bin', 'application/octet-stream']]);
    const line = await toCarl;
    const link = (id: string) => `${relay.url}/files/${id}\\?c=lobby&e=\\d+&s=[\\w-]+`;
    expect(line.message).toMatch(new RegExp(`^📎 notes\\.txt \\(13 B\\) ${link(a)}\n📎 big\\.bin \\(2\\.5 MB\\) ${link(b)}$`));
    expect(line.attachments).toBeUndefined();
    // The link works as is: a classic user opens it in the browser.
    const fetched = await raw(relay, 'GET', line.message.split('\n')[0]!.split(' ').at(-1)!);
    expect(fetched.status).toBe(200);
    expect(fetched.body.toString()).toBe('hello, world\n');

    // With text, the lines follow it.
    const c = await uploaded(relay, ana.socket, Buffer.from('x'), 'x.txt');
    const next2 = next(classic, 'new message');
    await request(ana.socket, 'new message', { text: 'see this', attachments: [c] });
    expect((await next2).message).toMatch(new RegExp(`^see this\n📎 x\\.txt \\(1 B\\) ${link(c)}$`));

    // A sender who writes someone else's address in Host gets no link to it: only a path on the relay.
    const { socket: mallory } = await loggedIn(relay.url, 'mallory', { extraHeaders: { host: '203.0.113.9:8443' } });
    const d = await uploaded(relay, mallory, Buffer.from('invoice'), 'invoice.pdf');
    const spoofed = next(classic, 'new message');
    await request(mallory, 'new message', { text: '', attachments: [d] });
    expect((await spoofed).message).toMatch(new RegExp(`^📎 invoice\\.pdf \\(7 B\\) /files/${d}\\?c=lobby&`));

    // Without files, text alone stays refused when empty.
    expect(await request(ana.socket, 'new message', { text: ' ' })).toMatchObject({ ok: false, code: ErrorCode.EMPTY_MESSAGE });
    expect(await request(ana.socket, 'new message', { text: '', attachments: [] })).toMatchObject({ ok: false, code: ErrorCode.EMPTY_MESSAGE });
  });

  it('files travel in rooms and DMs; only members get URLs, and only files of that conversation', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana', { rooms: [] });
    const bob = await loggedIn(relay.url, 'bob');
    const eve = await loggedIn(relay.url, 'eve');
    expect(await request(ana.socket, 'room:join', { room: 'dev', create: true })).toMatchObject({ ok: true });
    expect(await request(bob.socket, 'room:join', { room: 'dev' })).toMatchObject({ ok: true });

    const inDev = await uploaded(relay, ana.socket, Buffer.from('dev notes'), 'dev.txt', 'dev');
    // Uploaded for #dev: cannot be sent to the lobby, and the lobby cannot hand out a URL for it.
    expect(await request(ana.socket, 'new message', { text: 'x', room: 'lobby', attachments: [inDev] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    const toBob = next(bob.socket, 'new message');
    expect(await request(ana.socket, 'new message', { text: 'x', room: 'dev', attachments: [inDev] })).toMatchObject({ ok: true });
    expect((await toBob).attachments?.[0]?.id).toBe(inDev);
    expect(await request(bob.socket, 'file:url', { room: 'lobby', id: inDev })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // Eve is not in #dev.
    expect(await request(eve.socket, 'file:url', { room: 'dev', id: inDev })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    expect(await request(eve.socket, 'upload:token', { room: 'dev' })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });

    // Someone else's upload cannot be sent, even to the conversation it was made for.
    expect(await request(bob.socket, 'new message', { text: 'mine now', room: 'dev', attachments: [inDev] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    expect(await request(bob.socket, 'new message', { text: 'x', attachments: ['AAAAAAAAAAAAAAAAAAAAAAAA'] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });

    // A DM: both parties may fetch, nobody else.
    const dm = [ana.login.userId, bob.login.userId].sort().join(':');
    const room = `dm:${dm}`;
    const secret = await uploaded(relay, ana.socket, Buffer.from('for bob only'), 'dm.txt', room);
    const dmToBob = next(bob.socket, 'new message');
    expect(await request(ana.socket, 'new message', { text: '', to: bob.login.userId, attachments: [secret] })).toMatchObject({ ok: true });
    expect((await dmToBob).attachments?.[0]?.name).toBe('dm.txt');
    const link = await request<FileUrlOk>(bob.socket, 'file:url', { room, id: secret });
    expect(link.ok).toBe(true);
    expect(await request(eve.socket, 'file:url', { room, id: secret })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    // Eve's own DM with bob is another conversation: no URL there for this file.
    const eveRoom = `dm:${[eve.login.userId, bob.login.userId].sort().join(':')}`;
    expect(await request(eve.socket, 'file:url', { room: eveRoom, id: secret })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
  });

  it('a retry with the same clientId is stored once; deleting the message drops its attachments', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const id = await uploaded(relay, ana.socket, Buffer.from('once'), 'once.txt');
    const got: ChatMessage[] = [];
    bob.socket.on('new message', (m) => got.push(m));
    const send = { text: 'once', attachments: [id], clientId: 'retry-0001' };
    const first = await request<SendOk>(ana.socket, 'new message', send);
    const again = await request<SendOk>(ana.socket, 'new message', send);
    expect(first.ok && again.ok && again.duplicate && again.id === first.id).toBe(true);
    expect(again.ok && again.attachments?.[0]?.id).toBe(id);

    const deleted = next(bob.socket, 'new message');
    expect(first.ok && (await request(ana.socket, 'message:delete', { room: 'lobby', id: first.id, seq: first.seq }))).toMatchObject({ ok: true });
    await deleted;
    const page = await request<HistoryPage>(bob.socket, 'history:fetch', { room: 'lobby' });
    const stored = page.ok ? page.messages.find((m) => first.ok && m.id === first.id) : undefined;
    expect(stored).toMatchObject({ deleted: true, message: '' });
    expect(stored?.attachments).toBeUndefined();
    expect(got.filter((m) => !m.change)).toHaveLength(1);
  });
});
