/**
 * Images on a real relay (server/files/images.ts), with real sharp and real tus uploads: metadata
 * stripped and orientation applied before anyone can download them, thumbnails behind their own
 * signed URLs, decompression bombs refused, and bytes that only look like images kept as downloads.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ErrorCode, THUMB_MAX_PX, type Attachment, type FileUrlOk, type SendOk } from '../../../protocol/index';
import { webpLossless } from '../../../server/files/images';
import { resolveConfig } from '../../../server/config';
import type { Relay } from '../../../server/index';
import { loggedIn, next, request, type TestSocket } from '../../helpers/clients';
import { useDataDirs } from '../../helpers/data-dirs';
import { bytes, createUpload, download, fileUrl, raw, sha256, tusHeaders, uploaded, uploadToken } from '../../helpers/files';
import { animation, apngWithMetadata, gifScriptPolyglot, jpegWithIccPayload, photoWithExif, plain, pngBomb } from '../../helpers/images';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();
const data = useDataDirs();

const CSP = "default-src 'none'; sandbox";

/** Uploads `file` as `name`, sends it to the lobby and fetches what a member is served. */
async function share(relay: Relay, socket: TestSocket, file: Buffer, name: string) {
  const id = await uploaded(relay, socket, file, name);
  const sent = await request<SendOk>(socket, 'new message', { text: '', attachments: [id] });
  if (!sent.ok) throw new Error(`${sent.code}: ${sent.message}`);
  const link = await fileUrl(socket, 'lobby', id);
  return { id, url: link.url, link, attachment: sent.attachments![0]!, res: await download(relay, link) };
}

/** The chunk types of a PNG, in order. */
function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at + 8 <= png.length; at += 12 + png.readUInt32BE(at)) types.push(png.toString('latin1', at + 4, at + 8));
  return types;
}

/** Bytes of a PNG's text, XMP and private chunks (length, type, data and CRC). */
function metadataChunkBytes(png: Buffer): number {
  let total = 0;
  for (let at = 8; at + 8 <= png.length && png.toString('latin1', at + 4, at + 8) !== 'IEND'; at += 12 + png.readUInt32BE(at)) {
    if (['tEXt', 'iTXt', 'prVt'].includes(png.toString('latin1', at + 4, at + 8))) total += 12 + png.readUInt32BE(at);
  }
  return total;
}

async function thumbUrl(socket: TestSocket, id: string) {
  return request<FileUrlOk>(socket, 'file:url', { room: 'lobby', id, variant: 'thumb' });
}

describe('images are cleaned before anyone downloads them', () => {
  it("a photo loses its EXIF (GPS, camera), XMP and orientation tag, and its pixels are turned as the tag said", async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const photo = await photoWithExif(640, 400);
    // The test image carries what it should: otherwise a pass would prove nothing.
    const before = await sharp(photo).metadata();
    expect(before).toMatchObject({ width: 640, height: 400, orientation: 6 });
    expect(before.exif?.toString('latin1')).toContain('AcmeCam');
    expect(before.xmp).toBeDefined();

    const arrived = next(bob.socket, 'new message');
    const got = await share(relay, ana.socket, photo, 'holiday.jpg');
    const expected: Attachment = { id: got.id, name: 'holiday.jpg', size: got.res.body.length, type: 'image/jpeg', width: 400, height: 640, thumb: true };
    expect(got.attachment).toEqual(expected);
    expect((await arrived).attachments).toEqual([expected]);

    expect(got.res.status).toBe(200);
    expect(got.res.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(got.res.body.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
      'content-disposition': `inline; filename="holiday.jpg"; filename*=UTF-8''holiday.jpg`,
    });
    const served = await sharp(got.res.body).metadata();
    expect(served).toMatchObject({ format: 'jpeg', width: 400, height: 640 });
    expect(served.orientation).toBeUndefined();
    expect([served.exif, served.xmp, served.iptc, served.comments]).toEqual([undefined, undefined, undefined, undefined]);
    for (const secret of ['AcmeCam', 'Secret Model', 'Ana Example', 'GPS']) expect(got.res.body.includes(secret), secret).toBe(false);
    expect(got.res.body.equals(photo)).toBe(false);

    // Turned, not just relabelled: the stored top (red) is now on the right, the bottom (blue) on the left.
    const { data: px, info } = await sharp(got.res.body).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...px.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const [right, left] = [at(info.width - 20, info.height / 2), at(20, info.height / 2)];
    expect(right[0]! > 150 && right[2]! < 80, `right ${right}`).toBe(true);
    expect(left[2]! > 150 && left[0]! < 80, `left ${left}`).toBe(true);
  });

  it('the thumbnail is a WebP within THUMB_MAX_PX with its own signed URL, which never opens the image, nor the other way round', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const got = await share(relay, ana.socket, await photoWithExif(640, 400), 'holiday.jpg');
    // Any member may ask, not only the uploader.
    const thumb = await thumbUrl(bob.socket, got.id);
    if (!thumb.ok) throw new Error(thumb.message);
    expect(thumb.url).toMatch(/^\/files\/[A-Za-z0-9_-]+\?c=lobby&e=\d+&v=thumb&m=1&s=[A-Za-z0-9_-]+$/);
    const res = await download(relay, thumb);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'image/webp',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
      'content-disposition': `inline; filename="holiday.thumb.webp"; filename*=UTF-8''holiday.thumb.webp`,
      etag: `"${got.id}.thumb"`,
    });
    const meta = await sharp(res.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: THUMB_MAX_PX });
    expect([meta.exif, meta.xmp, meta.icc]).toEqual([undefined, undefined, undefined]);
    expect(res.body.length).toBeLessThan(got.res.body.length);

    // The signature covers the variant: dropped, changed or added, the URL is refused.
    const as = (url: string) => download(relay, { ...thumb, url });
    expect((await as(thumb.url.replace('&v=thumb', ''))).status).toBe(403);
    expect((await as(thumb.url.replace('v=thumb', 'v=image'))).status).toBe(403);
    expect((await as(got.url.replace('&m=1', '&v=thumb&m=1'))).status).toBe(403);
    const range = await download(relay, thumb, { range: 'bytes=0-3' });
    expect([range.status, range.body.toString('latin1')]).toEqual([206, 'RIFF']);

    // A small image is never enlarged; its thumbnail keeps its size.
    const small = await share(relay, ana.socket, await plain('png', 100, 50), 'dot.png');
    expect(small.attachment).toMatchObject({ type: 'image/png', width: 100, height: 50, thumb: true });
    const smallThumb = await thumbUrl(ana.socket, small.id);
    if (!smallThumb.ok) throw new Error(smallThumb.message);
    const smallMeta = await sharp((await download(relay, smallThumb)).body).metadata();
    expect(smallMeta).toMatchObject({ format: 'webp', width: 100, height: 50 });
  });

  it('an animated GIF keeps its frames, delays and loop; its thumbnail is the first frame', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const gif = await animation('gif', 60, 40, 4);
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(4);
    const got = await share(relay, ana.socket, gif, 'dance.gif');
    expect(got.attachment).toMatchObject({ type: 'image/gif', width: 60, height: 40, thumb: true });
    expect(got.res.headers['content-type']).toBe('image/gif');
    const served = await sharp(got.res.body, { animated: true }).metadata();
    expect(served).toMatchObject({ format: 'gif', width: 60, pageHeight: 40, pages: 4, loop: 0, delay: [100, 100, 100, 100] });
    const thumb = await thumbUrl(ana.socket, got.id);
    if (!thumb.ok) throw new Error(thumb.message);
    const thumbMeta = await sharp((await download(relay, thumb)).body, { animated: true }).metadata();
    expect(thumbMeta).toMatchObject({ format: 'webp', width: 60, height: 40 });
    expect(thumbMeta.pages ?? 1).toBe(1);

    // An animated WebP too; lossless frames stay lossless.
    const webp = await animation('webp', 30, 20, 3);
    expect(webpLossless(webp)).toBe(true);
    const w = await share(relay, ana.socket, webp, 'loop.webp');
    expect(w.attachment).toMatchObject({ type: 'image/webp', width: 30, height: 20, thumb: true });
    expect(await sharp(w.res.body, { animated: true }).metadata()).toMatchObject({ pages: 3, pageHeight: 20 });
    expect(webpLossless(w.res.body)).toBe(true);
    expect(webpLossless(await plain('webp', 10, 10))).toBe(false);
  });

  it('an animated PNG keeps its frames, and loses its text, XMP, private chunks and whatever follows its end', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const apng = await apngWithMetadata(30, 20, 3);
    const got = await share(relay, ana.socket, apng, 'wave.png');
    expect(got.attachment).toMatchObject({ name: 'wave.png', type: 'image/apng', width: 30, height: 20, thumb: true });
    expect(got.res.headers).toMatchObject({ 'content-type': 'image/apng', 'content-disposition': expect.stringMatching(/^inline;/) });
    const chunks = pngChunkTypes(got.res.body);
    expect(chunks.filter((t) => t === 'fcTL')).toHaveLength(3);
    expect(chunks).toEqual(expect.arrayContaining(['IHDR', 'acTL', 'IDAT', 'fdAT']));
    expect(chunks.at(-1)).toBe('IEND');
    expect(chunks.filter((t) => ['tEXt', 'iTXt', 'prVt'].includes(t))).toEqual([]);
    for (const secret of ['Ana Example', 'GPS', '<script']) expect(got.res.body.includes(secret), secret).toBe(false);
    // Nothing but metadata was taken out: the picture's chunks are the uploaded ones, byte for byte.
    expect(got.res.body.length).toBe(apng.length - (apng.length - apng.indexOf('<html>')) - metadataChunkBytes(apng));
    // A frame libvips never reads (fdAT) fails its CRC: the file is a plain download, not an image.
    const broken = Buffer.from(apng);
    const at = apng.indexOf('fdAT') + 10;
    broken[at] = broken[at]! ^ 0xff;
    const bad = await share(relay, ana.socket, broken, 'broken.png');
    expect(bad.attachment).toMatchObject({ type: 'application/octet-stream' });
    expect(bad.attachment.thumb).toBeUndefined();
  });

  it('PNG, WebP and AVIF are measured and get thumbnails; AVIF stays a download (not an inline type)', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    for (const [format, type, disposition] of [['webp', 'image/webp', 'inline'], ['avif', 'image/avif', 'attachment']] as const) {
      const got = await share(relay, ana.socket, await plain(format, 48, 32), `pic.${format}`);
      expect(got.attachment, format).toMatchObject({ type, width: 48, height: 32, thumb: true });
      expect(got.res.headers['content-type']).toBe(type);
      expect(got.res.headers['content-disposition']).toMatch(new RegExp(`^${disposition};`));
      expect((await sharp(got.res.body).metadata()).width).toBe(48);
    }
  });
});

describe('what is not a decodable image', () => {
  it('a decompression bomb is refused on its last PATCH (422 IMAGE_TOO_LARGE); nothing is kept, its quota is free, others chat on', async () => {
    const dir = data.dir();
    const bomb = await pngBomb(30_000, 30_000);
    // One user's share fits one bomb-sized file at a time: a kept reservation would show.
    const relay = await data.relayOn(dir, { uploadUserQuotaBytes: Math.floor(bomb.length * 1.5) });
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const { token } = await uploadToken(ana.socket);
    const { path, id } = await createUpload(relay, token, bomb.length, 'tiny.png');

    const patch = raw(relay, 'PATCH', path, tusHeaders(token, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' }), bomb);
    // While the relay looks at it, the others chat as ever.
    const heard = next(ana.socket, 'new message');
    expect(await request(bob.socket, 'new message', { text: 'still here' })).toMatchObject({ ok: true });
    expect(await heard).toMatchObject({ message: 'still here' });
    const refused = await patch;
    expect(refused.status).toBe(422);
    expect(refused.body.toString()).toMatch(/^IMAGE_TOO_LARGE: This image is 30000 × 30000 pixels \(900 megapixels\); this relay takes images up to 50 megapixels\./);

    expect((await raw(relay, 'HEAD', path, tusHeaders(token))).status).toBe(404);
    expect(readdirSync(join(dir, 'files')).filter((f) => f.startsWith(id))).toEqual([]);
    expect(await request(ana.socket, 'new message', { text: '', attachments: [id] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    expect(await request(ana.socket, 'file:url', { room: 'lobby', id })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // The share is whole again: a file of the bomb's size fits.
    await uploaded(relay, ana.socket, bytes(bomb.length, 3), 'next.bin');
  });

  it('IMAGE_MAX_PIXELS sets the limit; an animation counts all its frames', async () => {
    expect(resolveConfig({}, { IMAGE_MAX_PIXELS: '20M' }).imageMaxPixels).toBe(20_000_000);
    expect(resolveConfig({}, { IMAGE_MAX_PIXELS: '12345' }).imageMaxPixels).toBe(12_345);
    expect(resolveConfig({}, {}).imageMaxPixels).toBeUndefined();
    expect(() => resolveConfig({}, { IMAGE_MAX_PIXELS: 'lots' })).toThrow(/IMAGE_MAX_PIXELS: a number of pixels/);

    const relay = await startRelay({ imageMaxPixels: 10_000 });
    const ana = await loggedIn(relay.url, 'ana');
    expect((await share(relay, ana.socket, await plain('png', 100, 100), 'fits.png')).attachment).toMatchObject({ width: 100, height: 100 });
    const { token } = await uploadToken(ana.socket);
    const tooWide = await plain('png', 101, 100);
    const { path } = await createUpload(relay, token, tooWide.length, 'wide.png');
    const res = await raw(relay, 'PATCH', path, tusHeaders(token, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' }), tooWide);
    expect([res.status, res.body.toString()]).toEqual([422, expect.stringMatching(/^IMAGE_TOO_LARGE: This image is 101 × 100 pixels/)]);
    // 4 frames of 60 × 40 are 9,600 pixels; 5 are 12,000.
    expect((await share(relay, ana.socket, await animation('gif', 60, 40, 4), 'four.gif')).attachment).toMatchObject({ width: 60, height: 40 });
    const five = await animation('gif', 60, 40, 5);
    const upload = await createUpload(relay, token, five.length, 'five.gif');
    const refused = await raw(relay, 'PATCH', upload.path, tusHeaders(token, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream' }), five);
    expect([refused.status, refused.body.toString()]).toEqual([422, expect.stringMatching(/^IMAGE_TOO_LARGE: This animation has 5 frames of 60 × 40 pixels/)]);
  });

  it('a PNG with an HTML page appended is served as the PNG alone: no script-capable type, nosniff, and the page is gone', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const polyglot = Buffer.concat([await plain('png', 8, 8), Buffer.from('<html><script>alert(document.domain)</script></html>')]);
    const got = await share(relay, ana.socket, polyglot, 'innocent.html');
    expect(got.attachment).toMatchObject({ name: 'innocent.html.png', type: 'image/png', width: 8, height: 8 });
    expect(got.res.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff', 'content-security-policy': CSP });
    expect(got.res.body.includes('<script')).toBe(false);
    expect((await sharp(got.res.body).metadata()).format).toBe('png');
  });

  it('a GIF that is also a script is served as an image/gif without its script', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const polyglot = await gifScriptPolyglot();
    const got = await share(relay, ana.socket, polyglot, 'lib.js');
    expect(got.attachment).toMatchObject({ name: 'lib.js.gif', type: 'image/gif', width: 0x2a2f, height: 1 });
    expect(got.res.headers).toMatchObject({ 'content-type': 'image/gif', 'x-content-type-options': 'nosniff', 'content-security-policy': CSP });
    expect(got.res.body.includes('alert')).toBe(false);
  });

  it('a corrupt image is kept as a plain download: octet-stream, attachment, its bytes as sent, no size, no thumbnail', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const whole = await photoWithExif(64, 64);
    const truncated = whole.subarray(0, whole.length - 200);
    const got = await share(relay, ana.socket, truncated, 'broken.jpg');
    expect(got.attachment).toEqual({ id: got.id, name: 'broken.jpg', size: truncated.length, type: 'application/octet-stream' });
    expect(got.res.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="broken.jpg"; filename*=UTF-8''broken.jpg`,
      'x-content-type-options': 'nosniff',
    });
    expect(sha256(got.res.body)).toBe(sha256(truncated));
    expect(await thumbUrl(ana.socket, got.id)).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // A file that is no image has no thumbnail either.
    const text = await share(relay, ana.socket, Buffer.from('just text'), 'notes.txt');
    expect(text.attachment).toEqual({ id: text.id, name: 'notes.txt', size: 9, type: 'text/plain' });
    expect(await thumbUrl(ana.socket, text.id)).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
  });

  it('many images finishing at once all come through, while chat goes on', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const bob = await loggedIn(relay.url, 'bob');
    const photos = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => photoWithExif(800 + i * 16, 600)));
    const uploads = Promise.all(photos.map((p, i) => uploaded(relay, ana.socket, p, `p${i}.jpg`)));
    const heard = next(ana.socket, 'new message');
    expect(await request(bob.socket, 'new message', { text: 'meanwhile' })).toMatchObject({ ok: true });
    expect(await heard).toMatchObject({ message: 'meanwhile' });
    const ids = await uploads;
    const sent = await request<SendOk>(ana.socket, 'new message', { text: 'album', attachments: ids });
    expect(sent.ok && sent.attachments!.map((a) => [a.width, a.height, a.thumb])).toEqual(photos.map(() => [600, expect.any(Number), true]));
  });

  it('an uploaded ICC profile never leaves the relay: the image is converted into libvips’ own P3', async () => {
    const relay = await startRelay();
    const ana = await loggedIn(relay.url, 'ana');
    const marker = 'PARLEY-ICC-PAYLOAD';
    const photo = await jpegWithIccPayload(`<html><script>alert(1)</script>${marker}${'A'.repeat(20_000)}`);
    expect(photo.includes(marker)).toBe(true);
    const got = await share(relay, ana.socket, photo, 'tagged.jpg');
    expect(got.res.status).toBe(200);
    expect(got.res.body.includes(marker)).toBe(false);
    const meta = await sharp(got.res.body).metadata();
    expect(meta.format).toBe('jpeg');
    // A profile is still there (the colours stay right), and it is a small standard one.
    expect(meta.icc?.length).toBeGreaterThan(0);
    expect(meta.icc!.length).toBeLessThan(4096);
  });
});
