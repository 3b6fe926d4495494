/**
 * Installers, part 1 (electron-builder.yml, docs/packaging.md): the packaging config, the icons and
 * the npm scripts, checked as files (every platform). The real electron-builder runs are in
 * installers.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import fuses from '../../main/packaging/fuses.json' with { type: 'json' };
import { SECRET_CONTENT } from './forbidden';
import { pngSize, plistTrueKeys } from './formats';
import { at, config, has, pkg, ROOT, run, section, sha256, targetsOf, type Dict } from './project';

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

  it('the native production dependencies are classic-level and sharp, N-API with prebuilt binaries, so npmRebuild: false is right', () => {
    const ls = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { env: { ...process.env, npm_config_update_notifier: 'false' } });
    const dirs = [...new Set(ls.stdout.split('\n').filter((d) => d && d !== ROOT))];
    expect(dirs.length).toBeGreaterThan(20);
    const native = new Set<string>();
    const walk = (pkgDir: string, dir: string, depth: number) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue; // nested packages are listed by npm ls themselves
        const p = join(dir, e.name);
        if (e.isDirectory() && depth < 6) walk(pkgDir, p, depth + 1);
        else if (e.isFile() && (e.name.endsWith('.node') || e.name === 'binding.gyp')) native.add(relative(ROOT, pkgDir));
      }
    };
    for (const d of dirs) {
      walk(d, d, 0);
      const meta = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string> };
      if (meta.gypfile || /node-gyp|prebuild/.test(meta.scripts?.install ?? '')) native.add(relative(ROOT, d));
    }
    // sharp's add-on is in the package of this host's platform, @img/sharp-<os>-<cpu> (npm installs only that one).
    const sharpAddon = /^node_modules\/@img\/sharp-(?!libvips-)[a-z0-9]+-[a-z0-9]+$/;
    expect([...native].filter((d) => !sharpAddon.test(d)).sort()).toEqual(['node_modules/classic-level', 'node_modules/sharp']);
    const addons = [...native].filter((d) => sharpAddon.test(d));
    expect(addons).toHaveLength(1);
    expect(readdirSync(join(ROOT, addons[0]!, 'lib')).some((f) => f.endsWith('.node'))).toBe(true);
    // sharp's own binding.gyp only builds from source, with node-addon-api (N-API); nothing runs at install.
    const sharpDir = join(ROOT, 'node_modules', 'sharp');
    expect(readFileSync(join(sharpDir, 'src', 'binding.gyp'), 'utf8')).toContain('node-addon-api');
    expect((JSON.parse(readFileSync(join(sharpDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.install).toBeUndefined();
    // N-API (a stable ABI across Node and Electron), with a binary for each platform the installers target.
    const level = join(ROOT, 'node_modules', 'classic-level');
    expect(readFileSync(join(level, 'binding.gyp'), 'utf8')).toMatch(/napi/i);
    expect(JSON.parse(readFileSync(join(level, 'package.json'), 'utf8')).dependencies).toHaveProperty('napi-macros');
    const prebuilds = readdirSync(join(level, 'prebuilds'));
    for (const platform of ['linux-x64', 'win32-x64', 'darwin-x64+arm64']) {
      expect(prebuilds, platform).toContain(platform);
      expect(readdirSync(join(level, 'prebuilds', platform)).some((f) => f.endsWith('.node')), platform).toBe(true);
    }
    expect(config.npmRebuild).toBe(false);
    // A .node file, and the libvips library sharp's add-on links to, load only from real files.
    expect(config.asarUnpack).toEqual(['**/node_modules/classic-level/prebuilds/**', '**/node_modules/sharp/**/*', '**/node_modules/@img/**/*']);
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
