/**
 * GET /files: only genuine, unexpired URLs for the file's own conversation; hostile content is served
 * so that it cannot run (sniffed type, nosniff, a sandboxing CSP, downloads for anything but safe
 * images), under a sanitised name.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/index';
import { FileSigner } from '../../../server/files/signing';
import { signedPath } from '../../../server/files/downloads';
import type { Relay } from '../../../server/index';
import { loggedIn, next, request, type TestSocket } from '../../helpers/clients';
import { download, fileUrl, PNG_1x1, raw, uploaded } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const SECRET = 'a test secret of thirty-two bytes';
const CSP = "default-src 'none'; sandbox";

/** Uploads `data` as `name`, sends it, and fetches it back through a fresh URL. */
async function roundTrip(relay: Relay, socket: TestSocket, data: Buffer, name: string) {
  const id = await uploaded(relay, socket, data, name);
  const sent = await request<{ attachments?: { name: string; type: string }[] }>(socket, 'new message', { text: '', attachments: [id] });
  if (!sent.ok) throw new Error(sent.message);
  const link = await fileUrl(socket, 'lobby', id);
  return { id, url: link.url, attachment: sent.attachments![0]!, res: await download(relay, link) };
}

describe('signed download URLs', () => {
  it('refuse forged, expired and other-conversation URLs (403), and say 404 only to a genuine URL', async () => {
    const relay = await startRelay({ filesSecret: SECRET });
    const ana = await loggedIn(relay.url, 'ana');
    await request(ana.socket, 'room:join', { room: 'dev', create: true });
    const signer = new FileSigner(Buffer.from(SECRET));
    const a = await uploaded(relay, ana.socket, Buffer.from('in the lobby'), 'a.txt');
    const b = await uploaded(relay, ana.socket, Buffer.from('in dev'), 'b.txt', 'dev');
    await request(ana.socket, 'new message', { text: '', attachments: [a] });
    await request(ana.socket, 'new message', { text: '', room: 'dev', attachments: [b] });
    const link = await fileUrl(ana.socket, 'lobby', a);
    const { url } = link;
    // Each URL below goes with the genuine token: the signature alone must refuse it.
    const get = (path: string) => download(relay, { ...link, url: path });
    expect((await get(url)).status).toBe(200);

    const forged = url.replace(/s=[^&]+/, (s) => `s=${s.at(-1) === 'A' ? s.slice(2, -1) + 'B' : s.slice(2, -1) + 'A'}`);
    expect((await get(forged)).status).toBe(403);
    expect((await get(url.replace(/&s=[^&]+/, ''))).status).toBe(403);
    expect((await get(`/files/${a}`)).status).toBe(403);
    // A later expiry with the old signature.
    expect((await get(url.replace(/e=\d+/, (e) => `e=${Number(e.slice(2)) + 1}`))).status).toBe(403);
    // Genuinely signed, but expired.
    expect((await get(signedPath(signer, a, 'lobby', Date.now() - 1, undefined, true))).status).toBe(403);
    // The lobby's URL for `a`, pointed at `b` (a file of #dev): the signature does not cover it.
    expect((await get(url.replace(a, b))).status).toBe(403);
    // Even a genuine signature naming the wrong conversation does not open a file of another.
    expect((await get(signedPath(signer, b, 'lobby', Date.now() + 60_000, undefined, true))).status).toBe(403);
    // Unknown id behind a genuine signature: 404; behind a guessed one: 403, so guessing learns nothing.
    expect((await get(signedPath(signer, 'AAAAAAAAAAAAAAAAAAAAAAAA', 'lobby', Date.now() + 60_000, undefined, true))).status).toBe(404);
    expect((await get(url.replace(a, 'AAAAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(403);
    expect((await raw(relay, 'POST', url)).status).toBe(405);
  });

  it('serves HTML and SVG as downloads, never as documents', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const html = await roundTrip(relay, ana.socket, Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'), 'page.html');
    expect(html.attachment).toMatchObject({ name: 'page.html.txt', type: 'text/plain' });
    expect(html.res.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
      'content-disposition': `attachment; filename="page.html.txt"; filename*=UTF-8''page.html.txt`,
    });

    for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>']) {
      const got = await roundTrip(relay, ana.socket, Buffer.from(svg), 'logo.svg');
      expect(got.res.headers['content-type']).not.toMatch(/svg|html/);
      expect(got.res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(got.attachment.name).not.toMatch(/\.svg$/);
      expect(got.res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': CSP });
    }
  });

  it('a PNG that is also an HTML page is served as the image it starts as: image/png, inline, nosniff, sandboxed', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const polyglot = Buffer.concat([PNG_1x1, Buffer.from('<html><script>alert(document.domain)</script></html>')]);
    const got = await roundTrip(relay, ana.socket, polyglot, 'innocent.html');
    expect(got.attachment).toMatchObject({ name: 'innocent.html.png', type: 'image/png' });
    expect(got.res.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
      'content-disposition': `inline; filename="innocent.html.png"; filename*=UTF-8''innocent.html.png`,
    });
    // What is served is the relay's re-encoding of the image (images.ts): the page did not survive it.
    expect(got.res.body.subarray(0, 8).equals(PNG_1x1.subarray(0, 8))).toBe(true);
    expect(got.res.body.includes('<script')).toBe(false);
    // A real image under a lying name keeps its content's extension.
    const photo = await roundTrip(relay, ana.socket, PNG_1x1, 'photo.jpeg');
    expect(photo.attachment.name).toBe('photo.jpeg.png');
    expect((await roundTrip(relay, ana.socket, PNG_1x1, 'PHOTO.PNG')).attachment.name).toBe('PHOTO.PNG');
  });

  it('sanitises names: no path, no control or bidi characters, UTF-8 in the header', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const text = Buffer.from('root:x:0:0\n');
    const cases: Array<[string, string]> = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\ana\\secret.txt', 'secret.txt'],
      ['invoice\u202Egnp.exe', 'invoicegnp.exe.txt'],
      ['a\u0000b\u0007c\u200B\u2066d.txt', 'abcd.txt'],
      ['CON.txt', '_CON.txt'],
      ['...', 'file'],
      ['Grüße.txt', 'Grüße.txt'],
    ];
    for (const [given, want] of cases) {
      const arrived = next(bob.socket, 'new message');
      const got = await roundTrip(relay, ana.socket, text, given);
      expect(got.attachment.name, JSON.stringify(given)).toBe(want);
      expect((await arrived).attachments?.[0]?.name).toBe(want);
    }
    const utf8 = await roundTrip(relay, ana.socket, text, 'Grüße.txt');
    expect(utf8.res.headers['content-disposition']).toBe(`attachment; filename="Gr__e.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt`);
  });

  it('member-only URLs: refused without their token, with another conversation’s, or copied to a non-member', async () => {
    const relay = await startRelay({ allowedOrigins: ['https://chat.example.com'] });
    const ana = await loggedIn(relay.url, 'ana');
    const eve = await loggedIn(relay.url, 'eve');
    await request(ana.socket, 'room:join', { room: 'dev', create: true });
    const id = await uploaded(relay, ana.socket, Buffer.from('dev only\n'), 'plan.txt', 'dev');
    await request(ana.socket, 'new message', { text: '', room: 'dev', attachments: [id] });
    const link = await fileUrl(ana.socket, 'dev', id);
    expect(link.url).toContain('&m=1&');
    expect((await download(relay, link)).body.toString()).toBe('dev only\n');

    // The link copied out of the app and opened elsewhere: no token.
    const copied = await raw(relay, 'GET', link.url);
    expect(copied.status).toBe(403);
    expect(copied.body.toString()).toMatch(/only in the Parley app of a member/);
    // Eve is not in #dev: file:url refuses her, and her lobby token does not open dev's link.
    expect(await request(eve.socket, 'file:url', { room: 'dev', id })).toMatchObject({ ok: false, code: ErrorCode.NOT_IN_ROOM });
    const evesToken = (await fileUrl(eve.socket, 'lobby', await uploaded(relay, eve.socket, Buffer.from('x'), 'x.txt'))).token;
    expect((await download(relay, { ...link, token: evesToken })).status).toBe(403);
    expect((await download(relay, { ...link, token: 'v1.forged.token' })).status).toBe(403);
    // Dropping m=1 to make a plain link breaks the signature.
    expect((await download(relay, { ...link, url: link.url.replace('&m=1', '') })).status).toBe(403);

    // A listed origin may send the token (preflight), and reads refusals; others get no grant.
    const ok = await raw(relay, 'OPTIONS', link.url, { origin: 'https://chat.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' });
    expect(ok.status).toBe(204);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': 'https://chat.example.com', 'access-control-allow-headers': 'Authorization, Range' });
    expect((await raw(relay, 'OPTIONS', link.url, { origin: 'https://evil.example', 'access-control-request-method': 'GET' })).status).toBe(403);
    expect((await raw(relay, 'GET', link.url, { origin: 'https://chat.example.com' })).headers['access-control-allow-origin']).toBe('https://chat.example.com');
  });
});
