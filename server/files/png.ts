/**
 * Metadata out of an animated PNG (APNG) without re-encoding it. libvips reads only an APNG's first
 * frame, so sharp cannot write its animation back; but a PNG keeps each kind of information in a
 * chunk of its own, so the metadata can be dropped exactly: every chunk but those that make up the
 * picture (pixels, palette, transparency, colour space, animation) goes, and so does anything after
 * IEND (a polyglot's tail). Text (tEXt, zTXt, iTXt: XMP), EXIF (eXIf), timestamps (tIME) and
 * private chunks never leave the relay.
 */
import { crc32 } from 'node:zlib';

const SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

/**
 * What a PNG needs to look as made: small fixed-size colour chunks (gAMA, cHRM, sRGB, sBIT, cICP) are
 * kept; iCCP is not, since an embedded profile can carry anything (images.ts converts the frames of
 * other formats instead, which libvips cannot do for an APNG: it then shows as sRGB).
 */
const PICTURE_CHUNKS: ReadonlySet<string> = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND', 'acTL', 'fcTL', 'fdAT', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'cICP']);

export interface StrippedPng {
  data: Buffer;
  width: number;
  height: number;
  /** The animation's frame count (acTL), 1 for a still PNG. */
  frames: number;
}

/**
 * The PNG with only its picture chunks, or undefined when it is not a well-formed PNG: no signature,
 * a chunk running past the end or failing its CRC, no IHDR first, or no IEND.
 */
export function stripPng(png: Buffer): StrippedPng | undefined {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) return undefined;
  const kept: Buffer[] = [SIGNATURE];
  let width = 0;
  let height = 0;
  let frames = 1;
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > png.length) return undefined;
    const type = png.toString('latin1', at + 4, at + 8);
    if (png.readUInt32BE(end - 4) !== crc32(png.subarray(at + 4, end - 4))) return undefined;
    if ((type === 'IHDR') !== (at === 8)) return undefined;
    if (type === 'IHDR' && length >= 8) [width, height] = [png.readUInt32BE(at + 8), png.readUInt32BE(at + 12)];
    if (type === 'acTL' && length >= 4) frames = Math.max(1, png.readUInt32BE(at + 8));
    if (PICTURE_CHUNKS.has(type)) kept.push(png.subarray(at, end));
    if (type === 'IEND') return width > 0 && height > 0 ? { data: Buffer.concat(kept), width, height, frames } : undefined;
    at = end;
  }
  return undefined;
}
