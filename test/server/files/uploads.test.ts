/**
 * The /uploads endpoint refuses what it must, before storing or reading anything it need not: no or
 * a bad token, sizes over the limit or the quotas, lengths that do not add up. Whatever it refuses
 * never becomes a file that can be attached, and nobody else is affected.
 */
import { describe, expect, it } from 'vitest';
import type { DetailedError } from 'tus-js-client';
import { ErrorCode, type SendOk } from '../../../protocol/index';
import { FileSigner } from '../../../server/files/signing';
import { loggedIn, request } from '../../helpers/clients';
import { bytes, createUpload, raw, tusHeaders, tusUpload, uploaded, uploadToken } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const SECRET = 'a test secret of thirty-two bytes';

function statusOf(err: unknown): number | undefined {
  return (err as DetailedError).originalResponse?.getStatus();
}

describe('upload authorisation', () => {
  it('anonymous, forged and expired tokens get 401; the token of another user cannot touch an upload', async () => {
    const relay = await startRelay({ filesSecret: SECRET });
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const anonymous = await raw(relay, 'POST', '/uploads', { 'tus-resumable': '1.0.0', 'upload-length': 10 });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await raw(relay, 'POST', '/uploads', tusHeaders('v1.e30.AAAA', { 'upload-length': 10 }))).status).toBe(401);

    const signer = new FileSigner(Buffer.from(SECRET));
    const expired = signer.uploadToken({ userId: ana.login.userId, conversation: 'lobby', expiresAt: Date.now() - 1 });
    expect((await raw(relay, 'POST', '/uploads', tusHeaders(expired, { 'upload-length': 10 }))).status).toBe(401);
    // Signed with another secret: forged.
    const foreign = new FileSigner(Buffer.from('another secret, also long enough')).uploadToken({ userId: ana.login.userId, conversation: 'lobby', expiresAt: Date.now() + 60_000 });
    expect((await raw(relay, 'POST', '/uploads', tusHeaders(foreign, { 'upload-length': 10 }))).status).toBe(401);
    await expect(tusUpload(relay, expired, Buffer.from('x'))).rejects.toSatisfy((e) => statusOf(e) === 401);

    // Ana starts an upload; Bob's valid token does not reach it (as if it did not exist).
    const { token } = await uploadToken(ana.socket);
    const { path } = await createUpload(relay, token, 5);
    const bobs = (await uploadToken(bob.socket)).token;
    expect((await raw(relay, 'HEAD', path, tusHeaders(bobs))).status).toBe(404);
    const patch = { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' };
    expect((await raw(relay, 'PATCH', path, tusHeaders(bobs, patch), Buffer.from('hacks'))).status).toBe(404);
    expect((await raw(relay, 'PATCH', path, tusHeaders(token, patch), Buffer.from('hello'))).status).toBe(204);

    // tus would serve the bytes with the client's claimed type on GET: the relay does not.
    expect((await raw(relay, 'GET', path, tusHeaders(token))).status).toBe(405);
    // Finished, it may already be in a message: it cannot be cancelled.
    expect((await raw(relay, 'DELETE', path, tusHeaders(token))).status).toBe(400);
    expect(await request(ana.socket, 'new message', { text: 'hello', attachments: [path.slice(path.lastIndexOf('/') + 1)] })).toMatchObject({ ok: true });
  });

  it('applies the handshake origin rule and grants CORS to listed origins', async () => {
    const relay = await startRelay({ allowedOrigins: ['https://chat.example.com'] });
    const ana = await loggedIn(relay.url, 'ana');
    const preflight = await raw(relay, 'OPTIONS', '/uploads', {
      origin: 'https://chat.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, tus-resumable, upload-length, upload-metadata',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://chat.example.com');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/PATCH/);

    const { token } = await uploadToken(ana.socket);
    const created = await raw(relay, 'POST', '/uploads', tusHeaders(token, { origin: 'https://chat.example.com', 'upload-length': 3 }));
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe('https://chat.example.com');
    expect(created.headers['access-control-expose-headers']).toMatch(/Location/);
    expect(created.headers['access-control-expose-headers']).toMatch(/Upload-Offset/);
    // A refusal is readable by the page too (not a network error).
    const refused = await raw(relay, 'POST', '/uploads', { 'tus-resumable': '1.0.0', origin: 'https://chat.example.com', 'upload-length': 3 });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('https://chat.example.com');

    // A page of another site is refused outright, token or not.
    expect((await raw(relay, 'POST', '/uploads', tusHeaders(token, { origin: 'https://evil.example', 'upload-length': 3 }))).status).toBe(403);
    expect((await raw(relay, 'OPTIONS', '/uploads', { origin: 'https://evil.example', 'access-control-request-method': 'POST' })).status).toBe(403);
    // A page this relay served itself needs no listing.
    const own = await raw(relay, 'POST', '/uploads', tusHeaders(token, { origin: relay.url, 'upload-length': 3 }));
    expect(own.status).toBe(201);
  });
});

describe('upload limits', () => {
  it('a file over UPLOAD_MAX_BYTES gets 413 before its body is read', async () => {
    const relay = await startRelay({ uploadMaxBytes: 1000 });
    const ana = await loggedIn(relay.url, 'ana');
    const token = await uploadToken(ana.socket);
    expect(token.maxBytes).toBe(1000);
    // The body is never sent: the answer comes on the headers alone.
    const early = await raw(relay, 'POST', '/uploads', tusHeaders(token.token, { 'upload-length': 1001, 'content-type': 'application/offset+octet-stream', 'content-length': 1001 }), 'hold');
    expect(early.status).toBe(413);
    expect(early.body.toString()).toMatch(/^FILE_TOO_LARGE: /);
    await expect(tusUpload(relay, token.token, bytes(1001))).rejects.toSatisfy((e) => statusOf(e) === 413);
    // Exactly the limit is fine.
    expect((await tusUpload(relay, token.token, bytes(1000))).aborted).toBe(false);
  });

  it('quotas per user and per relay: 403 QUOTA_EXCEEDED, and upload:token says so early', async () => {
    const relay = await startRelay({ uploadQuotaBytes: 3000, uploadUserQuotaBytes: 2000 });
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const carl = await loggedIn(relay.url, 'carl');
    const ana1 = (await uploadToken(ana.socket)).token;
    await tusUpload(relay, ana1, bytes(1500));
    // An unfinished upload counts at its declared length too.
    const over = await createUpload(relay, ana1, 600);
    expect(over.res.status).toBe(403);
    expect(over.res.body.toString()).toMatch(/^QUOTA_EXCEEDED: Your uploads/);
    await tusUpload(relay, ana1, bytes(500));
    expect(await request(ana.socket, 'upload:token', { room: 'lobby' })).toMatchObject({ ok: false, code: ErrorCode.QUOTA_EXCEEDED });

    // Bob has his own share, but the relay has only 1000 bytes left.
    const bob1 = (await uploadToken(bob.socket)).token;
    const relayFull = await createUpload(relay, bob1, 1001);
    expect(relayFull.res.status).toBe(403);
    expect(relayFull.res.body.toString()).toMatch(/^QUOTA_EXCEEDED: This relay's uploads/);
    await expect(tusUpload(relay, bob1, bytes(1001))).rejects.toSatisfy((e) => statusOf(e) === 403);
    const partial = await createUpload(relay, bob1, 1000);
    expect(partial.res.status).toBe(201);
    expect(await request(carl.socket, 'upload:token', { room: 'lobby' })).toMatchObject({ ok: false, code: ErrorCode.QUOTA_EXCEEDED });
    // Cancelling an unfinished upload gives its share back.
    expect((await raw(relay, 'DELETE', partial.path, tusHeaders(bob1))).status).toBe(204);
    expect(await request(carl.socket, 'upload:token', { room: 'lobby' })).toMatchObject({ ok: true });
  });

  it('a wrong or missing Upload-Length is refused', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    for (const length of ['-5', 'abc', '1e3', '']) {
      expect((await raw(relay, 'POST', '/uploads', tusHeaders(token, { 'upload-length': length }))).status, length).toBe(400);
    }
    expect((await raw(relay, 'POST', '/uploads', tusHeaders(token))).status).toBe(400);
    // A deferred length would let the size escape the checks made at creation.
    expect((await raw(relay, 'POST', '/uploads', tusHeaders(token, { 'upload-defer-length': 1 }))).status).toBe(400);
  });

  it('a body longer than declared is refused (413) and the upload is discarded: it cannot be sent', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const patch = { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' };

    // Declared by Content-Length: refused on the headers.
    const declared = await createUpload(relay, token, 100);
    const early = await raw(relay, 'PATCH', declared.path, tusHeaders(token, { ...patch, 'content-length': 150 }), 'hold');
    expect(early.status).toBe(413);
    expect((await raw(relay, 'HEAD', declared.path, tusHeaders(token))).status).toBe(404);

    // Chunked, so only counting finds out: the first 100 bytes fit, then the rest runs over.
    const chunked = await createUpload(relay, token, 100);
    const over = await raw(relay, 'PATCH', chunked.path, tusHeaders(token, { ...patch, 'transfer-encoding': 'chunked' }), bytes(200_000));
    expect(over.status).toBe(413);
    expect((await raw(relay, 'HEAD', chunked.path, tusHeaders(token))).status).toBe(404);
    for (const id of [declared.id, chunked.id]) {
      expect(await request(ana.socket, 'new message', { text: 'x', attachments: [id] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    }
  });

  it('a truncated upload stays unfinished and cannot be sent until it is complete', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(ana.socket);
    const { path, id } = await createUpload(relay, token, 1000);
    const patch = { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' };
    expect((await raw(relay, 'PATCH', path, tusHeaders(token, patch), bytes(600))).status).toBe(204);
    const head = await raw(relay, 'HEAD', path, tusHeaders(token));
    expect(head.headers).toMatchObject({ 'upload-offset': '600', 'upload-length': '1000' });
    expect(await request(ana.socket, 'new message', { text: 'x', attachments: [id] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // Finished, it can.
    expect((await raw(relay, 'PATCH', path, tusHeaders(token, { ...patch, 'upload-offset': 600 }), bytes(400))).status).toBe(204);
    expect(await request<SendOk>(ana.socket, 'new message', { text: 'x', attachments: [id] })).toMatchObject({ ok: true });
  });

  it('others chat on while uploads are refused', async () => {
    const relay = await startRelay({ uploadMaxBytes: 10 });
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const { token } = await uploadToken(ana.socket);
    await expect(tusUpload(relay, token, bytes(11))).rejects.toBeTruthy();
    const id = await uploaded(relay, ana.socket, Buffer.from('small'), 's.txt');
    expect(await request(bob.socket, 'new message', { text: 'still here' })).toMatchObject({ ok: true });
    expect(await request(ana.socket, 'new message', { text: 'ok', attachments: [id] })).toMatchObject({ ok: true });
  });
});

describe('upload ids (review findings)', () => {
  it('a query in the URL cannot point the over-long-body discard at someone else’s finished file', async () => {
    const relay = await startRelay({ filesSecret: SECRET });
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const anaFile = await uploaded(relay, ana.socket, bytes(2000), 'ana.bin');
    const bobToken = (await uploadToken(bob.socket)).token;
    const bobs = await createUpload(relay, bobToken, 1);
    // tus's own rule took the last segment of the whole URL (Bob's id); the discard took the path's (Ana's).
    const attack = await raw(relay, 'PATCH', `/uploads/${anaFile}?/${bobs.id}`, tusHeaders(bobToken, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' }), Buffer.from('xx'));
    expect(attack.status).toBe(404);
    // Ana's file is still there and still hers to share.
    const sent = await request<SendOk>(ana.socket, 'new message', { text: '', attachments: [anaFile] });
    expect(sent).toMatchObject({ ok: true });
  });

  it('malformed ids reach nothing (not even the relay’s own records), and an empty upload is refused', async () => {
    const relay = await startRelay({ filesSecret: SECRET });
    const ana = await loggedIn(relay.url, 'ana');
    const anaFile = await uploaded(relay, ana.socket, bytes(100), 'ana.bin');
    const token = (await uploadToken(ana.socket)).token;
    for (const path of [`/uploads/${anaFile}.file`, `/uploads/${anaFile}/x`, '/uploads/..%2Fsecret', `/uploads/${anaFile}?x=1`]) {
      expect((await raw(relay, 'HEAD', path, tusHeaders(token))).status, path).toBe(404);
    }
    const empty = await raw(relay, 'POST', '/uploads', tusHeaders(token, { 'upload-length': 0 }));
    expect(empty.status).toBe(400);
    expect(empty.body.toString()).toMatch(/EMPTY_FILE/);
  });
});
