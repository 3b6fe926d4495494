// Renders every platform icon from ONE source, build/icon.svg, with Debian's (or any) Chromium through
// Playwright, so no native image library is needed. `npm run icons`; the outputs are committed
// (electron-builder on a Windows or macOS CI machine uses them as they are, without Chromium):
//
//   build/icon.png            1024 px, Windows/Linux crop (also shipped as resources/icon.png on Linux)
//   build/icons/<N>x<N>.png   Linux hicolor sizes 16…1024 (electron-builder's linux.icon folder)
//   build/icon.ico            Windows: 16–48 px as 32-bit BMP entries (every Windows tool and NSIS read
//                             them), 64–256 px as PNG entries (Vista+ format, keeps the file small)
//   build/icon.icns           macOS: PNG entries ic11 ic12 ic07 ic13 ic08 ic14 ic09 ic10 (16@2x…512@2x)
//   build/icon-source.sha256  hash of icon.svg the files were made from (a test fails when it is stale)
//
// The drawing sits on Apple's 1024 grid (an 824 px body with a transparent margin), which macOS
// expects; Windows and Linux render the same drawing cropped to the body with a thin margin, because
// a 16 px taskbar icon cannot spare 3 px of margin on each side.
//
// CHROMIUM_PATH picks the browser (default /usr/bin/chromium, else Playwright's own download).
/* global Image, document -- used inside page.evaluate, which runs in the browser */
import { chromium } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUILD = process.env.ICONS_OUTDIR || 'build';
const SOURCE = 'build/icon.svg';
const APPLE_VIEWBOX = '0 0 1024 1024';
const CROPPED_VIEWBOX = '72 72 880 880';

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICO_BMP_MAX = 48;
// ICNS types holding PNG data, and the pixel size of each (Apple's "icon family" format).
const ICNS_TYPES = [
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic13', 256], // 128@2x
  ['ic08', 256],
  ['ic14', 512], // 256@2x
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
];

/** One rendered size: the PNG file and the raw RGBA pixels (for BMP entries). */
async function renderAll(svg, jobs) {
  const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>icons</title>');
    const out = new Map();
    for (const { key, size, viewBox } of jobs) {
      const result = await page.evaluate(
        async ({ svg, size, viewBox }) => {
          const text = svg.replace(/viewBox="[^"]*"/, `viewBox="${viewBox}"`).replace(/ width="\d+" height="\d+"/, ` width="${size}" height="${size}"`);
          const img = new Image(size, size);
          img.src = `data:image/svg+xml;base64,${btoa(text)}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = size;
          canvas.height = size;
          const ctx = canvas.getContext('2d');
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(img, 0, 0, size, size);
          const rgba = ctx.getImageData(0, 0, size, size).data;
          let bin = '';
          for (let i = 0; i < rgba.length; i += 0x8000) bin += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
          return { png: canvas.toDataURL('image/png').split(',')[1], rgba: btoa(bin) };
        },
        { svg, size, viewBox },
      );
      out.set(key, { size, png: Buffer.from(result.png, 'base64'), rgba: Buffer.from(result.rgba, 'base64') });
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** A 32-bit BMP icon entry: BITMAPINFOHEADER (height doubled for the AND mask), bottom-up BGRA rows, 1-bit AND mask. */
function bmpEntry(size, rgba) {
  const header = Buffer.alloc(40);
  const maskStride = Math.ceil(size / 32) * 4;
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // bottom-up
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = (row * size + x) * 4;
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
      if (rgba[s + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8);
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(0, 16); // BI_RGB
  header.writeUInt32LE(pixels.length + mask.length, 20);
  return Buffer.concat([header, pixels, mask]);
}

/** ICO container: ICONDIR, one ICONDIRENTRY per image, then the images (BMP or PNG data). */
function icoFile(images) {
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // 1 = icon
  dir.writeUInt16LE(images.length, 4);
  let offset = dir.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    dir.writeUInt8(size >= 256 ? 0 : size, e);
    dir.writeUInt8(size >= 256 ? 0 : size, e + 1);
    dir.writeUInt8(0, e + 2); // no palette
    dir.writeUInt8(0, e + 3);
    dir.writeUInt16LE(1, e + 4); // planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([dir, ...images.map((i) => i.data)]);
}

/** ICNS container: 'icns' + total length, then (type, length incl. 8-byte header, data) entries, big-endian. */
function icnsFile(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

async function main() {
  const svg = readFileSync(SOURCE, 'utf8');
  if (!/viewBox="0 0 1024 1024"/.test(svg) || !/ width="1024" height="1024"/.test(svg)) {
    throw new Error(`${SOURCE} must keep viewBox="0 0 1024 1024" width="1024" height="1024" (the script crops by rewriting them)`);
  }
  const appleSizes = [...new Set(ICNS_TYPES.map(([, s]) => s))];
  const croppedSizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES])];
  const jobs = [
    ...appleSizes.map((size) => ({ key: `mac-${size}`, size, viewBox: APPLE_VIEWBOX })),
    ...croppedSizes.map((size) => ({ key: `std-${size}`, size, viewBox: CROPPED_VIEWBOX })),
  ];
  const r = await renderAll(svg, jobs);
  const get = (key) => {
    const v = r.get(key);
    if (!v) throw new Error(`missing render ${key}`);
    return v;
  };

  rmSync(join(BUILD, 'icons'), { recursive: true, force: true });
  mkdirSync(join(BUILD, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(join(BUILD, 'icons', `${size}x${size}.png`), get(`std-${size}`).png);
  writeFileSync(join(BUILD, 'icon.png'), get('std-1024').png);
  writeFileSync(
    join(BUILD, 'icon.ico'),
    icoFile(
      ICO_SIZES.map((size) => {
        const img = get(`std-${size}`);
        return { size, data: size <= ICO_BMP_MAX ? bmpEntry(size, img.rgba) : img.png };
      }),
    ),
  );
  writeFileSync(join(BUILD, 'icon.icns'), icnsFile(ICNS_TYPES.map(([type, size]) => ({ type, data: get(`mac-${size}`).png }))));
  writeFileSync(join(BUILD, 'icon-source.sha256'), `${createHash('sha256').update(readFileSync(SOURCE)).digest('hex')}  icon.svg\n`);
  console.log(`icons written to ${BUILD}/: icon.png, icons/{${LINUX_SIZES.join(',')}}, icon.ico (${ICO_SIZES.join(',')}), icon.icns (${ICNS_TYPES.map(([t]) => t).join(',')})`);
}

await main();
