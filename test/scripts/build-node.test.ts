/**
 * The desktop main bundle inlines most npm packages (scripts/build-node.mjs). Its `relay` target is
 * the same code with the same settings: built here, started by plain node in a child process, it must
 * still validate (zod), log (pino), serve the classic client's script (socket.io's code inlined,
 * its client files read from the installed package) and clean images (sharp, loaded from node_modules).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ErrorCode, type SendOk } from '../../protocol/index';
import { closeAllClients, loggedIn, next, request } from '../helpers/clients';
import { download, fileUrl, uploaded } from '../helpers/files';
import { photoWithExif } from '../helpers/images';

const ROOT = join(import.meta.dirname, '..', '..');
// Inside node_modules, so the bundle's external imports resolve from the project's node_modules.
const OUT = join(ROOT, 'node_modules', '.cache', `parley-test-build-${process.pid}`);
const BUNDLE = join(OUT, 'relay', 'index.js');

let child: ChildProcess;
let url = '';
let logs = '';

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const built = spawnSync(process.execPath, ['scripts/build-node.mjs', 'relay'], { cwd: ROOT, env: { ...process.env, BUILD_OUTDIR: OUT }, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  const script = `
    const { createRelay, createLogger } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
    const relay = await createRelay({ port: 0, host: '127.0.0.1', logger: createLogger('info', 'bundle-test'), dataDir: ${JSON.stringify(join(OUT, 'data'))} });
    console.log('URL ' + relay.url);
    process.on('SIGTERM', () => relay.close().then(() => process.exit(0)));`;
  child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: OUT, stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      logs += chunk.toString('utf8');
      const m = /^URL (\S+)$/m.exec(logs);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bundled relay exited (${code}): ${logs}`)));
  });
}, 60_000);

afterAll(async () => {
  closeAllClients();
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(OUT, { recursive: true, force: true });
});

describe('the desktop bundle of the relay', () => {
  it('inlines every npm package but the native ones (history database, images): nothing else is loaded from node_modules', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    const imports = [...code.matchAll(/^import[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]!).filter((s) => !isBuiltin(s));
    // classic-level loads its N-API binary from its package's prebuilds/ (electron-builder.yml unpacks it).
    expect([...new Set(imports)]).toEqual(['classic-level']);
    // sharp is imported on the first image; its add-on and libvips come from the @img packages.
    const loaded = [...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!).filter((s) => !isBuiltin(s));
    expect(loaded).toContain('sharp');
    // The only run-time resolution left is socket.io's folder, for its client files.
    const resolved = [...code.matchAll(/require\.resolve\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect([...new Set(resolved)]).toEqual(['socket.io']);
  });

  it("carries zod's validators but not its 40 locale bundles", () => {
    // `import { z } from 'zod'` is a namespace object that esbuild cannot tree-shake: it pulled in
    // every locale (358 KiB of a 994 KiB bundle, about 35 ms of start-up). `import * as z` lets the
    // bundler keep only what the schemas use; the English messages are zod's default.
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).toContain('Invalid input');
    expect(code).not.toContain('Neplatný vstup'); // Czech, one of the locales
    // 1.25 MiB with socket.io, notepack and the relay inlined (2026-12-05); the locales would add 358 KiB.
    // File sharing (issue 24) added about 240 KiB: file-type's signatures and its tokenizer, @tus/server.
    // LAN TLS (issue 26) about 80 KiB: @noble/curves' ristretto255 for the join-code pairing (the
    // certificate maker, @peculiar/x509, stays external and loads only when a certificate is made).
    expect(code.length).toBeLessThan(1.8 * 1024 * 1024);
  });

  it('relays, acknowledges and rejects bad input as the source does', async () => {
    const { socket: ana } = await loggedIn(url, 'ana');
    const { socket: bob } = await loggedIn(url, 'bob');
    const got = next(bob, 'new message');
    const ack = await request<SendOk>(ana, 'new message', { text: 'from the bundle' });
    expect(ack.ok).toBe(true);
    expect(await got).toMatchObject({ username: 'ana', message: 'from the bundle' });
    expect(await request(ana, 'new message', { text: 42 })).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
  });

  it('cleans an image with sharp, loaded from node_modules beside the bundle', async () => {
    const { socket: cleo } = await loggedIn(url, 'cleo');
    const id = await uploaded({ url }, cleo, await photoWithExif(64, 32), 'photo.jpg');
    const sent = await request<SendOk>(cleo, 'new message', { text: '', attachments: [id] });
    expect(sent.ok && sent.attachments).toEqual([expect.objectContaining({ type: 'image/jpeg', width: 32, height: 64, thumb: true })]);
    const served = await download({ url }, await fileUrl(cleo, 'lobby', id));
    const meta = await sharp(served.body).metadata();
    expect([meta.width, meta.height, meta.exif, meta.xmp]).toEqual([32, 64, undefined, undefined]);
  });

  it('logs JSON lines through the inlined logger', () => {
    const line = logs.split('\n').find((l) => l.includes('"bundle-test"'));
    expect(line && JSON.parse(line)).toMatchObject({ name: 'bundle-test', level: 'info' });
  });

  it("serves the classic client script from the installed socket.io package's files", async () => {
    const res = await fetch(`${url}/socket.io/socket.io.js`);
    expect(res.status).toBe(200);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'socket.io', 'package.json'), 'utf8')) as { version: string };
    expect(res.headers.get('etag')).toBe(`"${version}"`);
    expect(await res.text()).toBe(readFileSync(join(ROOT, 'node_modules', 'socket.io', 'client-dist', 'socket.io.js'), 'utf8'));
    const min = await fetch(`${url}/socket.io/socket.io.min.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(min.status).toBe(200);
    expect(await min.text()).toContain('Socket.IO');
  });
});
