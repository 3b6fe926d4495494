/**
 * Test images, made with sharp itself or assembled chunk by chunk: a photo with EXIF (GPS, camera,
 * orientation) and XMP, an animation with distinct frames, a PNG decompression bomb, polyglots.
 * No binary fixtures: each test says what its image holds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, createDeflate } from 'node:zlib';
import sharp from 'sharp';

/**
 * A JPEG stored landscape (`width` × `height`, top half red, bottom half blue) with EXIF orientation
 * 6 (shown turned 90° clockwise: red on the right), a camera, a GPS position and XMP naming a person.
 */
export function photoWithExif(width = 640, height = 400): Promise<Buffer> {
  const half = Buffer.alloc(width * (height / 2) * 3);
  const pixels = Buffer.concat([half.map((_, i) => (i % 3 === 0 ? 220 : 20)), half.map((_, i) => (i % 3 === 2 ? 220 : 20))]);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'AcmeCam', Model: 'Secret Model 9', Artist: 'Ana Example' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2981/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4026/100' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ana Example</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** `frames` frames of `width` × `height`, each a different colour, as an animated GIF or WebP. */
export function animation(format: 'gif' | 'webp', width: number, height: number, frames: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * frames * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    const frame = Math.floor(i / 3 / (width * height));
    pixels.set([(frame * 70) % 256, 255 - frame * 50, (i / 3) % width], i);
  }
  const image = sharp(pixels, { raw: { width, height: height * frames, channels: 3, pageHeight: height } });
  const delay = Array.from({ length: frames }, () => 100);
  return (format === 'gif' ? image.gif({ delay, loop: 0 }) : image.webp({ delay, loop: 0, lossless: true })).toBuffer();
}

/** A plain image of one colour, in any format sharp writes. */
export function plain(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'avif', width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7' } }).toFormat(format).toBuffer();
}

/**
 * A real decompression bomb: a PNG of `width` × `height` black pixels at one bit each, which deflate
 * squeezes to about a thousandth (30000 × 30000: ~110 KB on the wire, 900 megapixels decoded).
 */
export async function pngBomb(width = 30_000, height = 30_000): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => deflate.once('end', resolve));
  // Each row: a filter byte and width / 8 bytes of zeros.
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  for (let y = 0; y < height; y++) deflate.write(row);
  deflate.end();
  await ended;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', Buffer.concat(parts)), pngChunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

/**
 * An animated PNG of `frames` frames (each a different colour), carrying what a PNG can say about
 * its author: a tEXt and an XMP iTXt chunk, a private chunk, and an HTML page after its end.
 */
export async function apngWithMetadata(width: number, height: number, frames: number): Promise<Buffer> {
  const pngs = await Promise.all(
    Array.from({ length: frames }, (_, i) => sharp({ create: { width, height, channels: 3, background: { r: i * 60, g: 200 - i * 40, b: 90 } } }).png().toBuffer()),
  );
  const chunks = (png: Buffer) => {
    const out: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
      at += 12 + length;
    }
    return out;
  };
  const u32 = (...values: number[]) => Buffer.concat(values.map((v) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])));
  let sequence = 0;
  // fcTL: sequence, size, offset 0,0, a delay of 1/10 s, no disposal, no blending.
  const control = () => pngChunk('fcTL', Buffer.concat([u32(sequence++, width, height, 0, 0), Buffer.from([0, 1, 0, 10, 0, 0])]));
  const out = [PNG_SIGNATURE, pngChunk('IHDR', chunks(pngs[0]!)[0]!.data), pngChunk('acTL', u32(frames, 0))];
  out.push(pngChunk('tEXt', Buffer.from('Author\0Ana Example', 'latin1')));
  out.push(pngChunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta><dc:creator>Ana Example</dc:creator></x:xmpmeta>', 'latin1')));
  out.push(pngChunk('prVt', Buffer.from('GPS 48.8582 2.2945', 'latin1')));
  pngs.forEach((png, i) => {
    out.push(control());
    for (const { type, data } of chunks(png).filter((c) => c.type === 'IDAT')) out.push(i === 0 ? pngChunk(type, data) : pngChunk('fdAT', Buffer.concat([u32(sequence++), data])));
  });
  out.push(pngChunk('IEND', Buffer.alloc(0)), Buffer.from('<html><script>alert(1)</script></html>'));
  return Buffer.concat(out);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A GIF that is also a script: 10799 px wide, so its width bytes spell `/*` and open a comment right
 * after `GIF89a`; the comment closes after the image data and `=alert(1)` follows. Loaded as a script
 * it runs `GIF89a = alert(1)`.
 */
export async function gifScriptPolyglot(): Promise<Buffer> {
  const gif = await sharp({ create: { width: 0x2a2f, height: 1, channels: 3, background: '#000' } }).gif().toBuffer();
  if (gif.toString('latin1', 6, 8) !== '/*' || gif.includes('*/', 8)) throw new Error('the GIF does not make a script comment');
  return Buffer.concat([gif, Buffer.from('*/=alert(1);//')]);
}

/**
 * A JPEG whose embedded ICC profile is a real Display P3 profile plus one private tag holding
 * `payload` (a profile is a table of tags, and readers skip the ones they do not know).
 */
export async function jpegWithIccPayload(payload: string): Promise<Buffer> {
  const canvas = () => sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 20, g: 180, b: 60 } } });
  const icc = (await sharp(await canvas().withIccProfile('p3').jpeg().toBuffer()).metadata()).icc!;
  const tags = icc.readUInt32BE(128);
  const tableEnd = 132 + 12 * tags;
  const data = Buffer.concat([Buffer.from('zzzz\0\0\0\0', 'latin1'), Buffer.from(payload)]);
  const head = Buffer.from(icc.subarray(0, tableEnd));
  head.writeUInt32BE(tags + 1, 128);
  // Every tag's data moves 12 bytes down, past the new table entry.
  for (let i = 0; i < tags; i++) head.writeUInt32BE(head.readUInt32BE(132 + 12 * i + 4) + 12, 132 + 12 * i + 4);
  const pad = (4 - (icc.length % 4)) % 4;
  const entry = Buffer.alloc(12);
  entry.write('zzzz', 0, 'latin1');
  entry.writeUInt32BE(icc.length + 12 + pad, 4);
  entry.writeUInt32BE(data.length, 8);
  const profile = Buffer.concat([head, entry, icc.subarray(tableEnd), Buffer.alloc(pad), data]);
  profile.writeUInt32BE(profile.length, 0);
  const dir = await mkdtemp(join(tmpdir(), 'parley-icc-'));
  try {
    await writeFile(join(dir, 'payload.icc'), profile);
    return await canvas().withIccProfile(join(dir, 'payload.icc')).jpeg().toBuffer();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
