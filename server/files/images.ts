/**
 * Images, when their upload finishes (docs/files.md, "Images"). A photo says more than its pixels:
 * EXIF carries where it was taken (GPS), when, and the camera's serial number; XMP and IPTC carry
 * names and captions. The relay therefore never serves the uploaded bytes of an image it can decode:
 * it decodes them with sharp (libvips, in libuv's thread pool, off the event loop) and keeps
 *
 *  - the **cleaned image** (variant `image`): the same format, EXIF orientation applied to the pixels,
 *    every piece of metadata dropped, the uploaded ICC profile too (below); an animated GIF or WebP keeps
 *    its frames, delays and loop count. An animated PNG, whose frames libvips does not read, is not
 *    re-encoded but has its metadata chunks cut out (png.ts). Downloads serve this; the record's size
 *    is its size.
 *  - a **thumbnail** (variant `thumb`): WebP, the first frame, within THUMB_MAX_PX on its longer side,
 *    never enlarged, converted to sRGB without a profile (what browsers assume for a small preview).
 *
 * An image with an ICC profile is converted through it into Display P3 and carries libvips' own P3
 * profile: a wide-gamut photo (P3 from a phone, Adobe RGB from a camera) keeps nearly all its colours,
 * which converting to sRGB would clip, while the uploaded profile, a container of arbitrary tags
 * (a test hid 200 KB of HTML in one), never leaves the relay. None is added to an image without one.
 *
 * Before any pixel is decoded, the header's size is checked against the relay's pixel limit
 * (IMAGE_MAX_PIXELS; for an animation, all frames together, as they are decoded together): a tiny
 * file can declare 30000×30000 pixels and inflate to gigabytes. Such an upload is refused
 * (IMAGE_TOO_LARGE). A file that only looks like an image (corrupt, truncated, a polyglot sharp will
 * not read strictly) is kept as a plain download of type application/octet-stream: never inline.
 */
import { buffer } from 'node:stream/consumers';
import type { Sharp, SharpOptions } from 'sharp';
import { ErrorCode, ParleyError, THUMB_MAX_PX } from '../../protocol/index';
import type { Logger } from '../logger';
import { stripPng } from './png';
import { BINARY_TYPE } from './sniff';
import type { FileRecord, FileStorage, VariantInfo } from './storage';

/**
 * 50 megapixels: every phone and nearly every camera (45–50 MP sensors) fits, and one decode stays
 * near 200 MB (8-bit RGBA). sharp's own default, 0x3FFF² ≈ 268 megapixels, lets one image take over a
 * gigabyte (twice that at 16 bits per channel): too much beside a chat relay, and on a desktop that
 * hosts a session.
 */
export const DEFAULT_IMAGE_MAX_PIXELS = 50_000_000;
/**
 * Images decoded at the same time. Each holds its file and its decoded pixels in memory, and sharp's
 * jobs run in libuv's thread pool (4 threads by default), which the relay's file reads and writes
 * share: two at a time bounds the memory and leaves the pool to the uploads still streaming in.
 */
const IMAGE_CONCURRENCY = 2;

/** What images.ts adds to a record: the cleaned image's size and dimensions and its variants. */
export type ImageFields = Partial<Pick<FileRecord, 'size' | 'type' | 'width' | 'height' | 'variants'>>;

type SharpFactory = (input: Buffer, options?: SharpOptions) => Sharp;

interface Format {
  /** sharp's name for the format it read (AVIF is read by libheif). */
  read: string;
  /** Whether sharp reads and writes the format's frames. */
  animated: boolean;
  /**
   * The encoder for the cleaned image, tuned to lose as little as re-encoding can; none for APNG,
   * whose chunks are filtered instead (png.ts): libvips reads only its first frame.
   */
  write?(image: Sharp, input: Buffer, palette: boolean): Sharp;
}

const FORMATS: Record<string, Format> = {
  // 90: a re-encode at sharp's default 80 visibly softens a phone photo (saved at about 90–95).
  'image/jpeg': { read: 'jpeg', animated: false, write: (s) => s.jpeg({ quality: 90 }) },
  // A palette PNG stays one: as RGBA it would grow several times. With at most 256 colours already,
  // quantising at full quality without dithering gives the same pixels back.
  'image/png': { read: 'png', animated: false, write: (s, _in, palette) => s.png(palette ? { palette: true, quality: 100, dither: 0 } : {}) },
  'image/apng': { read: 'png', animated: false },
  'image/webp': { read: 'webp', animated: true, write: (s, input) => s.webp(webpLossless(input) ? { lossless: true } : { quality: 90 }) },
  'image/gif': { read: 'gif', animated: true, write: (s) => s.gif() },
  // AV1 at sharp's default effort took 5 s for 3 megapixels here; effort 2 takes half a second for
  // the same size within a few per cent.
  'image/avif': { read: 'heif', animated: false, write: (s) => s.avif({ quality: 60, effort: 2 }) },
};

export interface ImageOptions {
  /** Largest width × height (all frames of an animation together) decoded; larger is refused. */
  maxPixels: number;
  log: Logger;
}

export interface ImageCleaner {
  /**
   * Cleans a finished upload sniffed as `type`, saving its variants before answering, and says what
   * its record should hold: nothing for a type that is not an image it decodes, octet-stream for one
   * it cannot decode. Throws ParleyError IMAGE_TOO_LARGE for an image over the pixel limit.
   */
  clean(storage: FileStorage, id: string, type: string, owner: string): Promise<ImageFields>;
  /** Refuses the images still waiting (RATE_LIMITED): a relay that stops does not first clean its backlog. */
  close(): void;
}

/** Images one user may have waiting or being cleaned at once (an album); more are refused until one is done. */
export const IMAGES_PER_OWNER = 12;
/** Images waiting for a place, from everyone; past this the relay is busy and says so. */
export const IMAGES_WAITING_MAX = 64;

export function imageCleaner(opts: ImageOptions): ImageCleaner {
  const queue = new Queue(IMAGE_CONCURRENCY);
  // Loaded on the first image: libvips is a 19 MB library, and many sessions share no image.
  let loading: Promise<SharpFactory | undefined> | undefined;
  const load = () =>
    (loading ??= import('sharp').then(
      ({ default: sharp }) => {
        // libvips' operation cache keeps decoded images for reuse; every upload is decoded once.
        sharp.cache(false);
        return sharp as SharpFactory;
      },
      (err: unknown) => {
        opts.log.error({ err }, 'sharp could not be loaded (its @img package for this platform is missing?): images are kept as plain downloads');
        return undefined;
      },
    ));

  return {
    close: () => queue.close(),
    async clean(storage, id, type, owner) {
      const format = FORMATS[type];
      if (!format) return {};
      // The file is read inside the queue: waiting uploads hold no memory.
      return queue.run(owner, async () => {
        const sharp = await load();
        if (!sharp) return { type: BINARY_TYPE };
        const job: Job = { sharp, input: await buffer(storage.open(id)), type, format, opts, id };
        const made = await cleanImage(job);
        if (!made) return { type: BINARY_TYPE };
        // Saved before the record that names them is (the caller's order), so a record never points at nothing.
        await storage.saveVariant(id, 'image', made.image);
        await storage.saveVariant(id, 'thumb', made.thumb);
        const { image: _image, thumb: _thumb, ...fields } = made;
        return fields;
      });
    },
  };
}

interface Job {
  sharp: SharpFactory;
  input: Buffer;
  type: string;
  format: Format;
  opts: ImageOptions;
  id: string;
}

/** The cleaned image and thumbnail with the record's fields; undefined when the bytes do not decode. */
async function cleanImage({ sharp, input, type, format, opts, id }: Job): Promise<(Required<ImageFields> & { image: Buffer; thumb: Buffer }) | undefined> {
  const undecodable = (err: unknown) => {
    opts.log.info({ err, id, type }, 'an upload sniffed as an image does not decode; it is kept as a plain download');
    return undefined;
  };
  let header;
  try {
    // The header only (no pixels), without a limit, so that a refusal can say how large the image is.
    header = await sharp(input, { animated: format.animated, limitInputPixels: false }).metadata();
  } catch (err) {
    return undecodable(err);
  }
  // file-type and libvips must agree on what the bytes are, or the "same format" written is a guess.
  if (header.format !== format.read) return undecodable(new Error(`sniffed ${type}, decoded as ${header.format}`));
  const apng = format.write ? undefined : stripPng(input);
  if (!format.write && !apng) return undecodable(new Error('malformed PNG chunks'));
  const frames = apng?.frames ?? (format.animated ? (header.pages ?? 1) : 1);
  // sharp reads an animation as one tall image of all frames; an APNG as its first frame.
  const frameHeight = apng ? header.height : frames > 1 ? (header.pageHeight ?? header.height / frames) : header.height;
  if (header.width * frameHeight * frames > opts.maxPixels) throw tooLarge(header.width, frameHeight, frames, opts.maxPixels);

  // failOn 'warning' (sharp's default, stated): untrusted bytes that decode only with complaints are
  // not rewritten as if they were an image; they stay a download.
  const strict: SharpOptions = { failOn: 'warning', limitInputPixels: opts.maxPixels };
  // libvips cannot rotate a multi-frame image, and an APNG is copied, not rotated: an animation's
  // orientation tag (rare: GIF has none) goes with the rest of its metadata, frames kept as stored,
  // and its thumbnail is not turned either.
  const orient = frames === 1 && !apng;
  let image;
  let thumb;
  try {
    if (format.write) {
      const pipeline = sharp(input, { ...strict, animated: frames > 1 });
      if (orient) pipeline.autoOrient();
      if (header.icc) pipeline.withIccProfile('p3');
      const made = await format.write(pipeline, input, header.isPalette === true).toBuffer({ resolveWithObject: true });
      image = { data: made.data, size: made.info.size, width: made.info.width, height: made.info.pageHeight ?? made.info.height };
    } else {
      image = { data: apng!.data, size: apng!.data.length, width: apng!.width, height: apng!.height };
    }
    // From the upload rather than the cleaned image: JPEG shrink-on-load makes the thumbnail cheap.
    const preview = sharp(input, strict);
    if (orient) preview.autoOrient();
    const made = await preview.resize(THUMB_MAX_PX, THUMB_MAX_PX, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
    thumb = { data: made.data, size: made.info.size, width: made.info.width, height: made.info.height };
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooLarge(header.width, frameHeight, frames, opts.maxPixels);
    return undecodable(err);
  }
  const cleaned: VariantInfo = { size: image.size, type, width: image.width, height: image.height };
  const preview: VariantInfo = { size: thumb.size, type: 'image/webp', width: thumb.width, height: thumb.height };
  return { size: image.size, type, width: image.width, height: image.height, variants: { image: cleaned, thumb: preview }, image: image.data, thumb: thumb.data };
}

function tooLarge(width: number, height: number, frames: number, maxPixels: number): ParleyError {
  const mp = (pixels: number) => `${(pixels / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} megapixels`;
  const what = frames > 1 ? `This animation has ${frames} frames of ${width} × ${height} pixels (${mp(width * height * frames)} in all)` : `This image is ${width} × ${height} pixels (${mp(width * height)})`;
  return new ParleyError(ErrorCode.IMAGE_TOO_LARGE, `${what}; this relay takes images up to ${mp(maxPixels)}. Scale it down, or zip it to send it as a plain file.`);
}

/**
 * Whether a WebP holds lossless pixels (a screenshot, typically), which a lossy re-encode would blur:
 * the first image bitstream among its RIFF chunks is VP8L (lossless) or `VP8 ` (lossy); an animation's
 * first frame (ANMF) holds its bitstream after a 16-byte frame header.
 */
export function webpLossless(data: Buffer): boolean {
  let at = 12;
  while (at + 8 <= data.length) {
    const tag = data.toString('latin1', at, at + 4);
    if (tag === 'VP8L') return true;
    if (tag === 'VP8 ') return false;
    const size = data.readUInt32LE(at + 4);
    at = tag === 'ANMF' ? at + 8 + 16 : at + 8 + size + (size & 1);
  }
  return false;
}

/**
 * Runs at most `size` jobs at once. A small image can cost seconds of CPU (a 1.5 KB AVIF of
 * 7000 × 7000 took 5 s to clean), so the line is fair and bounded rather than first come, first
 * served: waiting jobs are taken from their owners in turn, so someone posting many images delays
 * another person's one by at most one image per busy owner; an owner may have IMAGES_PER_OWNER in
 * the line or running and the line holds IMAGES_WAITING_MAX. Past either, RATE_LIMITED, which a
 * client retries.
 */
class Queue {
  private running = 0;
  private waitingCount = 0;
  /** Owners with waiting jobs, in turn order; each owner's jobs in arrival order. */
  private readonly lines = new Map<string, { start: () => void; refuse: (err: Error) => void }[]>();
  private readonly perKey = new Map<string, number>();

  constructor(private readonly size: number) {}

  async run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const mine = this.perKey.get(key) ?? 0;
    if (mine >= IMAGES_PER_OWNER) throw busy('You have many images being processed');
    if (this.running >= this.size && this.waitingCount >= IMAGES_WAITING_MAX) throw busy('The relay is processing many images');
    this.perKey.set(key, mine + 1);
    try {
      if (this.running < this.size) this.running++;
      else await this.wait(key);
      try {
        return await job();
      } finally {
        // A finished job hands its place straight to the next owner's, so a newcomer cannot overtake.
        if (!this.startNext()) this.running--;
      }
    } finally {
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left > 0) this.perKey.set(key, left);
      else this.perKey.delete(key);
    }
  }

  close(): void {
    for (const line of this.lines.values()) for (const job of line) job.refuse(busy('The relay is stopping'));
    this.lines.clear();
    this.waitingCount = 0;
  }

  private wait(key: string): Promise<void> {
    return new Promise<void>((start, refuse) => {
      const line = this.lines.get(key);
      if (line) line.push({ start, refuse });
      else this.lines.set(key, [{ start, refuse }]);
      this.waitingCount++;
    });
  }

  /** Starts the first waiting job of the owner whose turn it is; false when nothing waits. */
  private startNext(): boolean {
    const first = this.lines.entries().next();
    if (first.done) return false;
    const [key, line] = first.value;
    const job = line.shift()!;
    this.lines.delete(key);
    // To the back of the turn order, with what it still has waiting.
    if (line.length > 0) this.lines.set(key, line);
    this.waitingCount--;
    job.start();
    return true;
  }
}

function busy(why: string): ParleyError {
  return new ParleyError(ErrorCode.RATE_LIMITED, `${why}; try again in a few seconds.`, 5000);
}
