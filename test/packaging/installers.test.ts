/**
 * Installers (electron-builder.yml, docs/packaging.md).
 *
 * 1. The packaging config, the icons and the npm scripts, checked as files (every platform).
 * 2. A real electron-builder run for Linux x64, offline: the unpacked `dir` layout, the `tar.gz`
 *    (7-Zip from Debian, ELECTRON_BUILDER_7ZIP_PATH) and the `deb` (electron-builder's own deb target,
 *    with fpm, which it would download from GitHub, replaced by test/packaging/fpm-shim.mjs, which
 *    hands electron-builder's arguments to `fakeroot dpkg-deb --build`).
 *
 * THESE ARE LAYOUT CHECKS, NOT RUNNABLE APPS: unless ELECTRON_DIST names a real Electron folder (or
 * node_modules/electron/dist/electron exists), the Electron "binary" is a shell script made here that
 * carries only Electron's fuse wire, so the fuse flipping is checked but nothing starts. NSIS, dmg and
 * AppImage are not built on this machine (their tools download from GitHub; dmg needs macOS).
 *
 * The build happens in a staging folder (copies of package.json, package-lock.json,
 * electron-builder.yml, build/, and node_modules hard-linked), so the repository's dist/ and release/ are
 * left alone for anyone else using them. electron-builder runs in a network namespace with no network
 * when `unshare -n` is allowed (it says so), and with signing, publishing and downloads off anyway.
 */
import * as asar from '@electron/asar';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import fuses from '../../main/packaging/fuses.json' with { type: 'json' };

const ROOT = resolve(import.meta.dirname, '..', '..');
const at = (...p: string[]) => join(ROOT, ...p);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

type Dict = Record<string, unknown>;
const config = parse(readFileSync(at('electron-builder.yml'), 'utf8')) as Dict;
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as {
  version: string;
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  desktopName?: string;
};
const section = (key: string) => (config[key] ?? {}) as Dict;
const targetsOf = (platform: string) =>
  ((section(platform).target ?? []) as ({ target: string; arch?: string[] } | string)[]).map((t) => (typeof t === 'string' ? { target: t, arch: [] } : t));

function has(cmd: string, args: string[] = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  return res;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): { w: number; h: number } {
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

/** Plain keys of a plist whose values are <true/>. */
function plistTrueKeys(file: string): string[] {
  const xml = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  return [...xml.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1] as string);
}

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

/** The fuse wire of an Electron binary as { fuseName: boolean } (FuseV1 layout). */
function readFuses(binary: string): Record<string, boolean> {
  const b = readFileSync(binary);
  const i = b.indexOf(SENTINEL);
  expect(i, 'fuse sentinel in the packed executable').toBeGreaterThan(-1);
  const pos = i + SENTINEL.length;
  expect(b[pos], 'fuse wire version').toBe(1);
  const len = b[pos + 1] as number;
  const out: Record<string, boolean> = {};
  FUSE_ORDER.forEach((name, k) => {
    if (k < len) out[name] = b[pos + 2 + k] === 0x31;
  });
  return out;
}

// Never inside the app: these dev tools by name, and any devDependency that no production dependency
// needs (engine.io depends on @types/node, for example, so that one is packed, as an empty shell:
// declaration files are excluded).
const DEV_TOOLS = ['electron', 'vite', 'vitest', 'typescript', 'electron-builder', 'app-builder-lib', '@playwright/test', 'playwright', 'playwright-core', 'eslint', 'esbuild', 'tsx', '@electron/asar', '@electron/fuses', 'yaml'];
const SECRET_CONTENT = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bghp_[A-Za-z0-9]{36}\b/, /\bgithub_pat_[A-Za-z0-9_]{50,}/, /\bAKIA[0-9A-Z]{16}\b/, /AccountKey=[A-Za-z0-9+/]{20,}/, /\bxox[abprs]-[A-Za-z0-9-]{10,}/];
const SECRET_NAMES = /(^|\/)(\.env(\..*)?|.*\.(pem|key|p12|pfx|keystore|jks)|id_rsa.*|id_ed25519.*|\.npmrc|credentials(\.json)?)$/i;

describe('packaging config (electron-builder.yml, icons, npm scripts)', () => {
  it('names the app, packs with asar, rebuilds nothing and flips the fuses from main/packaging/fuses.json', () => {
    expect(config.appId).toBe('app.parley.desktop');
    expect(config.productName).toBe('Parley');
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' });
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.electronFuses).toEqual(fuses);
    expect(pkg.main).toBe('dist/main/index.js');
    expect(pkg.desktopName, 'Electron derives the Linux app id (WM_CLASS) from it; linux.syncDesktopName uses it').toBe('parley.desktop');
  });

  it('packs only the built app: dist/main, dist/preload, dist/renderer and package.json; no maps, sources or keys', () => {
    const files = config.files as string[];
    const positive = files.filter((f) => !f.startsWith('!'));
    expect(positive.sort()).toEqual(['dist/main/**/*', 'dist/preload/**/*', 'dist/renderer/**/*', 'package.json']);
    const negative = files.filter((f) => f.startsWith('!')).join(' ');
    for (const ext of ['map', 'ts', 'env', 'pem', 'key', 'p12', 'pfx']) expect(negative).toContain(ext);
  });

  it('registers parley:// on every platform and associates no files', () => {
    const protocols = config.protocols as { name: string; schemes: string[] }[];
    expect(protocols.flatMap((p) => p.schemes)).toEqual(['parley']);
    expect(config.fileAssociations ?? []).toEqual([]);
    // Windows: NSIS does not register protocols from the config; build/installer.nsh does (and the app at start).
    const nsh = readFileSync(at('build/installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customInstall[\s\S]*Software\\Classes\\parley[\s\S]*URL Protocol[\s\S]*!macroend/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*DeleteRegKey HKCU "Software\\Classes\\parley"[\s\S]*!macroend/);
  });

  it('Windows: per-user NSIS with desktop and Start-menu shortcuts, plus a zip', () => {
    expect(targetsOf('win').map((t) => t.target)).toEqual(['nsis', 'zip']);
    const nsis = section('nsis');
    expect(nsis.perMachine).toBe(false);
    expect(typeof nsis.oneClick).toBe('boolean');
    expect(nsis.createDesktopShortcut).toBe(true);
    expect(nsis.createStartMenuShortcut).toBe(true);
    expect(nsis.include).toBe('build/installer.nsh');
    expect(section('win').icon).toBe('build/icon.ico');
  });

  it.skipIf(!has('makensis', ['-VERSION']))('build/installer.nsh compiles with makensis (Debian nsis; electron-builder uses its own NSIS build)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-nsh-'));
    try {
      // Stand-ins for what electron-builder's templates define around the include.
      writeFileSync(
        join(dir, 'check.nsi'),
        [
          'Unicode true',
          '!include LogicLib.nsh',
          '!define APP_EXECUTABLE_FILENAME "Parley.exe"',
          '!define isUpdated `"" Silent ""`',
          `!include "${at('build/installer.nsh')}"`,
          'Name "installer.nsh check"',
          'OutFile "check.exe"',
          'RequestExecutionLevel user',
          'InstallDir "$LOCALAPPDATA\\Programs\\Parley"',
          'Section "Install"',
          '  !insertmacro customInstall',
          '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
          'SectionEnd',
          'Section "Uninstall"',
          '  !insertmacro customUnInstall',
          'SectionEnd',
          '',
        ].join('\n'),
      );
      run('makensis', ['-V2', '-WX', 'check.nsi'], { cwd: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('macOS: dmg + zip (zip for updates), hardened runtime, minimal entitlements, notarization off', () => {
    expect(targetsOf('mac').map((t) => t.target)).toEqual(['dmg', 'zip']);
    const mac = section('mac');
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.notarize).toBe(false);
    expect(mac.category).toBe('public.app-category.social-networking');
    expect(mac.icon).toBe('build/icon.icns');
    for (const key of ['entitlements', 'entitlementsInherit'] as const) {
      const file = at(mac[key] as string);
      expect(existsSync(file), file).toBe(true);
      expect(plistTrueKeys(file).sort()).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.network.client', 'com.apple.security.network.server']);
    }
    const info = mac.extendInfo as Dict;
    expect(info.NSBonjourServices).toEqual(['_parley._tcp']);
    expect(info.NSLocalNetworkUsageDescription).toEqual(expect.any(String));
  });

  it('Linux: AppImage, deb and tar.gz in Network;Chat with maintainer, synopsis and a desktop entry', () => {
    expect(targetsOf('linux').map((t) => t.target)).toEqual(['AppImage', 'deb', 'tar.gz']);
    const linux = section('linux');
    expect(linux.category).toBe('Network;Chat');
    expect(linux.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(linux.synopsis).toEqual(expect.any(String));
    expect(linux.executableName).toBe('parley');
    expect(((linux.desktop as Dict).entry as Dict).Name).toBe('Parley');
    expect(linux.icon).toBe('build/icons');
  });

  it('publish config is a placeholder feed without credentials; nothing secret in the file', () => {
    const publish = config.publish as Dict;
    expect(['generic', 'github']).toContain(publish.provider);
    if (publish.provider === 'generic') expect(new URL(publish.url as string).hostname).toMatch(/\.invalid$/);
    expect(Object.keys(publish).filter((k) => /token|password|secret|key/i.test(k))).toEqual([]);
    const text = readFileSync(at('electron-builder.yml'), 'utf8');
    for (const re of SECRET_CONTENT) expect(text).not.toMatch(re);
    expect(text).not.toMatch(/^\s*(token|password|cscLink|cscKeyPassword|certificatePassword)\s*:/im);
  });

  it('npm scripts: dist (current platform), dist:win/mac/linux/dir, icons; build (the web relay) unchanged', () => {
    const s = pkg.scripts;
    expect(s.build).toBe('npm run build:renderer && npm run build:server');
    expect(s.icons).toBe('node scripts/make-icons.mjs');
    expect(s['build:desktop']).toBe('npm run build:renderer && node scripts/build-node.mjs main preload');
    for (const [name, flag] of [['dist', ''], ['dist:win', ' --win'], ['dist:mac', ' --mac'], ['dist:linux', ' --linux'], ['dist:dir', ' --dir']] as const) {
      expect(s[name], name).toBe(`npm run build:desktop && electron-builder${flag} --publish never`);
    }
  });

  it('no production dependency is native, so npmRebuild: false is right', () => {
    const ls = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { env: { ...process.env, npm_config_update_notifier: 'false' } });
    const dirs = [...new Set(ls.stdout.split('\n').filter((d) => d && d !== ROOT))];
    expect(dirs.length).toBeGreaterThan(20);
    const native: string[] = [];
    const walk = (dir: string, depth: number) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue; // nested packages are listed by npm ls themselves
        const p = join(dir, e.name);
        if (e.isDirectory() && depth < 6) walk(p, depth + 1);
        else if (e.isFile() && (e.name.endsWith('.node') || e.name === 'binding.gyp')) native.push(relative(ROOT, p));
      }
    };
    for (const d of dirs) {
      walk(d, 0);
      const meta = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string> };
      if (meta.gypfile || /node-gyp|prebuild/.test(meta.scripts?.install ?? '')) native.push(relative(ROOT, d));
    }
    expect(native).toEqual([]);
  });

  it('icons: one source (build/icon.svg), and the generated PNG, ICO and ICNS files are present and current', () => {
    const stamp = readFileSync(at('build/icon-source.sha256'), 'utf8').split(/\s+/)[0];
    expect(stamp, 'build/icon.svg changed: run `npm run icons`').toBe(sha256(readFileSync(at('build/icon.svg'))));
    expect(pngSize(readFileSync(at('build/icon.png')))).toEqual({ w: 1024, h: 1024 });
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) expect(pngSize(readFileSync(at(`build/icons/${n}x${n}.png`)))).toEqual({ w: n, h: n });

    const ico = readFileSync(at('build/icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const e = 6 + 16 * i;
      const size = ico[e] || 256;
      const data = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      return { size, bpp: ico.readUInt16LE(e + 6), data };
    });
    expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) {
      expect(e.bpp).toBe(32);
      if (e.data.subarray(0, 4).toString('hex') === '89504e47') expect(pngSize(e.data)).toEqual({ w: e.size, h: e.size });
      else expect([e.data.readUInt32LE(0), e.data.readInt32LE(4), e.data.readInt32LE(8), e.data.readUInt16LE(14)]).toEqual([40, e.size, 2 * e.size, 32]);
    }

    const icns = readFileSync(at('build/icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: Record<string, number> = {};
    for (let off = 8; off < icns.length; ) {
      const type = icns.subarray(off, off + 4).toString('ascii');
      const len = icns.readUInt32BE(off + 4);
      types[type] = pngSize(icns.subarray(off + 8, off + len)).w;
      off += len;
    }
    expect(types).toEqual({ ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 });
  });
});

// ---------------------------------------------------------------------------------------------

const tools = { sevenZip: existsSync('/usr/bin/7za'), deb: has('fakeroot', ['-v']) && has('dpkg-deb'), noNet: spawnSync('unshare', ['-n', 'true']).status === 0 };
const electronVersion = (JSON.parse(readFileSync(at('node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const realElectronDist = process.env.ELECTRON_DIST || (existsSync(at('node_modules/electron/dist/electron')) ? at('node_modules/electron/dist') : '');

// One staging project for both platform runs: config and metadata copied, node_modules hard-linked,
// dist/ built into it (the repository's dist/ and release/ stay untouched).
const stage = mkdtempSync(join(tmpdir(), 'parley-installers-'));
const timings: string[] = [];
const lap = (what: string, since: number) => timings.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);
let staged = false;

function prepareStage(): void {
  if (staged) return;
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml']) copyFileSync(at(f), join(stage, f));
  cpSync(at('build'), join(stage, 'build'), { recursive: true });
  // A real node_modules folder, not a symlink: `npm list` (electron-builder's dependency collector)
  // resolves a linked node_modules to paths outside the project and then drops nested production
  // dependencies. Hard links make the copy instant; a plain copy is the fallback across filesystems.
  if (spawnSync('cp', ['-al', at('node_modules'), join(stage, 'node_modules')]).status !== 0) {
    rmSync(join(stage, 'node_modules'), { recursive: true, force: true });
    cpSync(at('node_modules'), join(stage, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  const t = Date.now();
  run(process.execPath, ['scripts/build-node.mjs', 'main', 'preload'], { env: { ...process.env, BUILD_OUTDIR: join(stage, 'dist') } });
  run(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--outDir', join(stage, 'dist', 'renderer'), '--emptyOutDir', '--logLevel', 'warn']);
  lap('build:desktop', t);
  staged = true;
}

/** A "binary" that refuses to run and carries Electron's fuse wire with Electron's default states
 *  (runAsNode 1, cookie encryption 0, NODE_OPTIONS 1, --inspect 1, asar integrity 0, only asar 0,
 *  V8 snapshot 0, file:// privileges 1), so electron-builder's fuse step has something to flip. */
function writeFakeBinary(file: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const script = '#!/bin/sh\necho "fake Electron binary (packaging layout check): not runnable" >&2\nexit 1\n# fuses: ';
  writeFileSync(file, Buffer.concat([Buffer.from(script), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
  chmodSync(file, 0o755);
}

function plistXml(entries: Record<string, string>): string {
  const body = Object.entries(entries)
    .map(([k, v]) => `<key>${k}</key><string>${v}</string>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict>${body}</dict></plist>\n`;
}

function builderEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    ELECTRON_BUILDER_OFFLINE: 'true',
    ELECTRON_BUILDER_CACHE: join(stage, 'cache'),
    ELECTRON_BUILDER_7ZIP_PATH: '/usr/bin/7za',
    npm_config_update_notifier: 'false',
  };
  for (const k of ['GH_TOKEN', 'GITHUB_TOKEN', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'APPLE_ID', 'APPLE_API_KEY', 'APPLE_APP_SPECIFIC_PASSWORD']) delete env[k];
  return env;
}

/** electron-builder's CLI on the staging project, without network when the kernel lets us. */
function electronBuilder(args: string[], env: NodeJS.ProcessEnv): void {
  const cli = [at('node_modules/electron-builder/cli.js'), '--projectDir', stage, ...args, '--publish', 'never', `-c.electronVersion=${electronVersion}`];
  const res = tools.noNet ? run('unshare', ['-n', process.execPath, ...cli], { cwd: stage, env, timeout: 180_000 }) : run(process.execPath, cli, { cwd: stage, env, timeout: 180_000 });
  expect(res.stdout + res.stderr).not.toMatch(/downloading/i);
}

afterAll(() => {
  if (process.env.PARLEY_KEEP_PACKAGING) console.info(`[packaging] kept ${stage}`);
  else rmSync(stage, { recursive: true, force: true });
  if (timings.length) console.info(`[packaging] timings: ${timings.join(', ')}`);
});

describe('Linux x64 packages built here (layout checks, see the header)', () => {
  const release = join(stage, 'release');
  const unpacked = join(release, 'linux-unpacked');
  const extracted = join(stage, 'extracted');
  const tarName = `parley-${pkg.version}.tar.gz`;
  const debName = `parley_${pkg.version}_amd64.deb`;
  let asarEntries: string[] = [];

  beforeAll(() => {
    prepareStage();
    let electronDist = realElectronDist;
    if (!electronDist) {
      electronDist = join(stage, 'fake-electron-linux');
      writeFakeBinary(join(electronDist, 'electron'));
    }
    const fpm = join(stage, 'fpm');
    copyFileSync(at('test/packaging/fpm-shim.mjs'), fpm);
    chmodSync(fpm, 0o755);

    const targets = ['dir', ...(tools.sevenZip ? ['tar.gz'] : []), ...(tools.deb ? ['deb'] : [])];
    const t = Date.now();
    electronBuilder(['--linux', ...targets, '--x64', `-c.electronDist=${electronDist}`], { ...builderEnv(), CUSTOM_FPM_PATH: fpm });
    lap(`electron-builder --linux ${targets.join(' ')}`, t);

    asarEntries = asar.listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((e) => e.replace(/\\/g, '/'));
    asar.extractAll(join(unpacked, 'resources', 'app.asar'), extracted);
    console.info(
      [
        '[packaging] Linux x64 built offline in a staging folder:',
        `  Electron: ${realElectronDist ? `the distribution in ${realElectronDist} (ELECTRON_DIST or node_modules/electron/dist), not a fake` : 'FAKE binary (a script carrying the fuse wire): layout checks only, the packages do not run'}`,
        `  targets: ${targets.join(', ')}${tools.sevenZip ? '' : ' (tar.gz skipped: no /usr/bin/7za)'}${tools.deb ? ' (deb: electron-builder deb target, fpm replaced by test/packaging/fpm-shim.mjs -> fakeroot dpkg-deb)' : ' (deb skipped: no fakeroot/dpkg-deb)'}`,
        `  network: ${tools.noNet ? 'none (electron-builder ran under unshare -n)' : 'not isolated (unshare -n not permitted); a download attempt fails the run'}`,
        '  NOT built here: AppImage (appimagetool comes from GitHub), NSIS (Windows), dmg (needs macOS)',
      ].join('\n'),
    );
  }, 240_000);

  it('the executable is named after the app and the fuses are flipped as main/packaging/fuses.json says', () => {
    const exe = join(unpacked, 'parley');
    expect(statSync(exe).mode & 0o111).not.toBe(0);
    expect(existsSync(join(unpacked, 'electron'))).toBe(false);
    expect(readFuses(exe)).toEqual(Object.fromEntries(FUSE_ORDER.map((k) => [k, fuses[k]])));
  });

  it('app.asar holds the built app: main (with the embedded relay), preload, renderer, package.json', () => {
    const top = new Set(asarEntries.map((e) => e.split('/')[1]));
    expect(top).toEqual(new Set(['dist', 'node_modules', 'package.json']));
    const dist = new Set(asarEntries.filter((e) => e.startsWith('/dist/')).map((e) => e.split('/')[2]));
    expect(dist).toEqual(new Set(['main', 'preload', 'renderer']));
    expect(asarEntries).toEqual(expect.arrayContaining(['/dist/main/index.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/package.json']));
    expect(asarEntries.some((e) => /^\/dist\/renderer\/assets\/.+\.js$/.test(e))).toBe(true);
    expect(asarEntries.some((e) => /^\/dist\/renderer\/assets\/.+\.css$/.test(e))).toBe(true);
    // The relay (server/) is bundled into the main process bundle; dist/server (the CLI) is not needed.
    const main = readFileSync(join(extracted, 'dist/main/index.js'), 'utf8');
    expect(main).toContain('/healthz');
    expect(main).toContain('server:shutdown');
    const packed = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8')) as Dict;
    expect(packed.main).toBe('dist/main/index.js');
    expect(packed.type).toBe('module');
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.scripts).toBeUndefined();
  });

  it('node_modules in app.asar are exactly the production dependencies, and the main bundle loads its imports from them', () => {
    const packedNames = new Set(asarEntries.map((e) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(e)?.[1]).filter((n): n is string => !!n));
    const ls = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { env: { ...process.env, npm_config_update_notifier: 'false' } });
    const prodNames = new Set(ls.stdout.split('\n').filter((d) => d && d !== ROOT).map((d) => d.slice(d.lastIndexOf('node_modules/') + 'node_modules/'.length)));
    expect([...packedNames].sort()).toEqual([...prodNames].sort());
    for (const dep of Object.keys(pkg.dependencies)) expect(packedNames, dep).toContain(dep);
    for (const dev of DEV_TOOLS) expect(packedNames.has(dev), `dev tool ${dev} packed`).toBe(false);
    for (const dev of Object.keys(pkg.devDependencies)) if (!prodNames.has(dev)) expect(packedNames.has(dev), `devDependency ${dev} packed`).toBe(false);

    // Import every package the main bundle imports, from the extracted app, outside the repository,
    // with no NODE_PATH: only the packed node_modules can satisfy them (electron is the runtime's own).
    const main = readFileSync(join(extracted, 'dist/main/index.js'), 'utf8');
    const specs = [...new Set([...main.matchAll(/(?:^import[^;]*?from\s*|\bimport\()\s*"([^"]+)"/gm)].map((m) => m[1] as string))].filter((s) => !isBuiltin(s) && !s.startsWith('.') && s !== 'electron');
    // scripts/build-node.mjs inlines every other package (start-up: bench/scenarios/startup.ts).
    expect(specs.sort()).toEqual(['electron-updater']);
    for (const inlined of ['bonjour-service', 'pino', 'zod', 'socket.io']) expect(main, inlined).not.toMatch(new RegExp(`from\\s*"${inlined}"`));
    // socket.io's code is inlined too, but the classic client's script is read from its package
    // folder, resolved from the main bundle at run time.
    expect(main).toContain('require.resolve("socket.io")');
    expect(asarEntries).toEqual(expect.arrayContaining(['/node_modules/socket.io/client-dist/socket.io.js', '/node_modules/socket.io/client-dist/socket.io.min.js']));
    writeFileSync(
      join(extracted, 'dist/main/probe.mjs'),
      `import { createRequire } from 'node:module';\nimport { existsSync } from 'node:fs';\nimport { dirname, join } from 'node:path';\n` +
        `for (const s of ${JSON.stringify(specs)}) await import(s);\nconsole.log('imported ' + ${specs.length});\n` +
        `console.log('client ' + existsSync(join(dirname(createRequire(import.meta.url).resolve('socket.io')), '../client-dist/socket.io.js')));\n`,
    );
    const probe = run(process.execPath, [join(extracted, 'dist/main/probe.mjs')], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } });
    expect(probe.stdout).toContain(`imported ${specs.length}`);
    expect(probe.stdout).toContain('client true');
  });

  it('app.asar holds no tests, TypeScript sources, source maps, env or key files, or secrets', () => {
    expect(asarEntries.filter((e) => /\.(ts|tsx|mts|cts)$/.test(e))).toEqual([]);
    expect(asarEntries.filter((e) => /\.map$/.test(e))).toEqual([]);
    expect(asarEntries.filter((e) => SECRET_NAMES.test(e))).toEqual([]);
    expect(asarEntries.filter((e) => /^\/(test|server|main|renderer|protocol|scripts|bench|deploy|docs|build|release)(\/|$)/.test(e))).toEqual([]);
    expect(asarEntries.filter((e) => /^\/node_modules\/[^/]+\/(test|tests|__tests__)\//.test(e))).toEqual([]);
    expect(asarEntries.filter((e) => /\.(test|spec)\.[cm]?js$/.test(e))).toEqual([]);
    const hits: string[] = [];
    const scan = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) scan(p);
        else if (statSync(p).size < 8 * 1024 * 1024) {
          const text = readFileSync(p, 'latin1');
          for (const re of SECRET_CONTENT) if (re.test(text)) hits.push(`${relative(extracted, p)} ~ ${re}`);
        }
      }
    };
    scan(extracted);
    expect(hits).toEqual([]);
    // Our bundles do not carry paths of the build machine.
    for (const f of ['dist/main/index.js', 'dist/preload/index.cjs']) expect(readFileSync(join(extracted, f), 'utf8')).not.toContain(ROOT);
  });

  it('resources: the app icon (for the Linux window) and the update feed placeholder', () => {
    expect(readFileSync(join(unpacked, 'resources', 'icon.png')).equals(readFileSync(at('build/icon.png')))).toBe(true);
    const update = parse(readFileSync(join(unpacked, 'resources', 'app-update.yml'), 'utf8')) as Dict;
    expect(update.provider).toBe('generic');
    expect(new URL(update.url as string).hostname).toMatch(/\.invalid$/);
  });

  it.skipIf(!tools.sevenZip)('tar.gz holds the same layout as the unpacked folder', () => {
    const list = run('tar', ['-tzf', join(release, tarName)])
      .stdout.split('\n')
      .filter((l) => l && !l.endsWith('/'));
    const prefix = `parley-${pkg.version}/`;
    expect(list.every((l) => l.startsWith(prefix))).toBe(true);
    const files = (dir: string, base = dir): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))]));
    // The deb target adds its own marker files to the shared folder (before or after the tar.gz was made).
    const debOnly = (f: string) => ['resources/package-type', 'resources/apparmor-profile'].includes(f);
    expect(
      list
        .map((l) => l.slice(prefix.length))
        .filter((f) => !debOnly(f))
        .sort(),
    ).toEqual(
      files(unpacked)
        .filter((f) => !debOnly(f))
        .sort(),
    );
    const dump = spawnSync('tar', ['-xzOf', join(release, tarName), `${prefix}resources/app.asar`], { maxBuffer: 256 * 1024 * 1024 });
    expect(sha256(dump.stdout)).toBe(sha256(readFileSync(join(unpacked, 'resources', 'app.asar'))));
  });

  it.skipIf(!tools.deb)('deb: control fields, /opt/Parley, desktop entry with x-scheme-handler/parley, hicolor icons', () => {
    const deb = join(release, debName);
    const info = run('dpkg-deb', ['--info', deb]).stdout;
    for (const field of ['Package: parley', `Version: ${pkg.version}`, 'Architecture: amd64', 'Maintainer: Parley team <team@parley.invalid>', 'Description: Offline-first LAN and cloud chat', 'Section: net']) {
      expect(info).toContain(field);
    }
    expect(info).toMatch(/Depends: .*libgtk-3-0.*libnss3/);
    expect(info).toMatch(/postinst/);
    const contents = run('dpkg-deb', ['--contents', deb]).stdout;
    const paths = contents.split('\n').map((l) => l.split(/\s+/).pop() ?? '');
    expect(paths).toEqual(expect.arrayContaining(['./opt/Parley/parley', './opt/Parley/resources/app.asar', './opt/Parley/resources/icon.png', './usr/share/applications/parley.desktop']));
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) expect(paths).toContain(`./usr/share/icons/hicolor/${n}x${n}/apps/parley.png`);
    expect(contents).toMatch(/^-rwxr-xr-x root\/root .* \.\/opt\/Parley\/parley$/m);

    const x = join(stage, 'deb-x');
    run('dpkg-deb', ['-x', deb, x]);
    const desktop = readFileSync(join(x, 'usr/share/applications/parley.desktop'), 'utf8');
    expect(desktop).toMatch(/^\[Desktop Entry\]$/m);
    expect(desktop).toMatch(/^Name=Parley$/m);
    expect(desktop).toMatch(/^Exec=\/opt\/Parley\/parley %U$/m);
    expect(desktop).toMatch(/^Icon=parley$/m);
    expect(desktop).toMatch(/^MimeType=x-scheme-handler\/parley;$/m);
    expect(desktop).toMatch(/^Categories=Network;Chat;$/m);
    expect(desktop).toMatch(/^StartupWMClass=parley$/m);
    if (has('desktop-file-validate', ['--help'])) run('desktop-file-validate', [join(x, 'usr/share/applications/parley.desktop')]);
    expect(readFileSync(join(x, 'opt/Parley/resources/app.asar')).equals(readFileSync(join(unpacked, 'resources', 'app.asar')))).toBe(true);
    // Update metadata for electron-updater's deb support.
    const latest = parse(readFileSync(join(release, 'latest-linux.yml'), 'utf8')) as { version: string; files: { url: string; sha512: string }[] };
    expect(latest.version).toBe(pkg.version);
    expect(latest.files[0]?.url).toBe(debName);
  });
});

describe('macOS app bundle built here (x64 `dir`, fake Electron.app, unsigned: layout checks only)', () => {
  const app = join(stage, 'release', 'mac', 'Parley.app', 'Contents');
  let plist = '';

  beforeAll(() => {
    prepareStage();
    // The parts of Electron.app electron-builder edits: Info.plists, the executables it renames, and
    // the framework binary that carries the fuses.
    const dist = join(stage, 'fake-electron-mac');
    const contents = join(dist, 'Electron.app', 'Contents');
    mkdirSync(join(contents, 'Resources'), { recursive: true });
    writeFileSync(join(contents, 'Info.plist'), plistXml({ CFBundleExecutable: 'Electron', CFBundleIdentifier: 'com.github.Electron', CFBundleName: 'Electron', CFBundleIconFile: 'electron.icns', CFBundlePackageType: 'APPL', CFBundleVersion: electronVersion }));
    writeFakeBinary(join(contents, 'MacOS', 'Electron'));
    writeFakeBinary(join(contents, 'Frameworks', 'Electron Framework.framework', 'Electron Framework'));
    for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) {
      const helper = join(contents, 'Frameworks', `Electron Helper${suffix}.app`, 'Contents');
      writeFakeBinary(join(helper, 'MacOS', `Electron Helper${suffix}`));
      writeFileSync(join(helper, 'Info.plist'), plistXml({ CFBundleExecutable: `Electron Helper${suffix}`, CFBundleIdentifier: 'com.github.Electron.helper' }));
    }
    const t = Date.now();
    electronBuilder(['--mac', 'dir', '--x64', `-c.electronDist=${dist}`], builderEnv());
    lap('electron-builder --mac dir', t);
    plist = readFileSync(join(app, 'Info.plist'), 'utf8');
    console.info('[packaging] macOS x64 .app built with a FAKE Electron.app: Info.plist, fuses and resources checked; unsigned (CSC_IDENTITY_AUTO_DISCOVERY=false, and electron-builder signs only on macOS), no dmg/zip, not runnable');
  }, 240_000);

  it('Info.plist: bundle id, parley:// URL scheme, category, local-network keys, asar integrity of the packed app.asar', () => {
    expect(plist).toMatch(/<key>CFBundleIdentifier<\/key>\s*<string>app\.parley\.desktop<\/string>/);
    expect(plist).toMatch(/<key>CFBundleExecutable<\/key>\s*<string>Parley<\/string>/);
    expect(plist).toMatch(/<key>CFBundleURLSchemes<\/key>\s*<array>\s*<string>parley<\/string>\s*<\/array>/);
    expect(plist).toMatch(/<key>LSApplicationCategoryType<\/key>\s*<string>public\.app-category\.social-networking<\/string>/);
    expect(plist).toMatch(/<key>NSBonjourServices<\/key>\s*<array>\s*<string>_parley\._tcp<\/string>/);
    expect(plist).toContain('<key>NSLocalNetworkUsageDescription</key>');
    expect(plist).toMatch(/<key>CFBundleIconFile<\/key>\s*<string>icon\.icns<\/string>/);
    const header = asar.getRawHeader(join(app, 'Resources', 'app.asar')).headerString;
    expect(plist).toMatch(new RegExp(`<key>Resources/app\\.asar</key>\\s*<dict>\\s*<key>algorithm</key>\\s*<string>SHA256</string>\\s*<key>hash</key>\\s*<string>${sha256(header)}</string>`));
  });

  it('the executable, helpers and icon are renamed and placed; the framework binary has the fuses flipped', () => {
    expect(existsSync(join(app, 'MacOS', 'Parley'))).toBe(true);
    for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) expect(existsSync(join(app, 'Frameworks', `Parley Helper${suffix}.app`, 'Contents', 'MacOS', `Parley Helper${suffix}`))).toBe(true);
    expect(readFileSync(join(app, 'Resources', 'icon.icns')).equals(readFileSync(at('build/icon.icns')))).toBe(true);
    expect(readFuses(join(app, 'Frameworks', 'Electron Framework.framework', 'Electron Framework'))).toEqual(Object.fromEntries(FUSE_ORDER.map((k) => [k, fuses[k]])));
    const entries = asar.listPackage(join(app, 'Resources', 'app.asar'), { isPack: false });
    expect(entries).toEqual(expect.arrayContaining(['/dist/main/index.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/package.json', '/node_modules/socket.io/package.json']));
  });
});
