/**
 * Installers (electron-builder.yml, docs/packaging.md).
 *
 * 1. The packaging config, the icons and the npm scripts, checked as files (every platform): config.test.ts.
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
 *
 * Helpers: project.ts (paths, config, spawn), stage.ts (the staging project, electron-builder),
 * fuses.ts (the fuse wire), formats.ts (PNG, plist), forbidden.ts (what must not be packed).
 */
import * as asar from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import fuses from '../../main/packaging/fuses.json' with { type: 'json' };
import { DEV_TOOLS, SECRET_CONTENT, SECRET_NAMES } from './forbidden';

/** Production dependencies for cloud relays only, with the packages only they use: not in the app. */
const CLOUD_ONLY = ['@azure/storage-blob', '@tus/azure-store'];
import { plistXml } from './formats';
import { FUSE_ORDER, readFuses, writeFakeBinary } from './fuses';
import { at, has, pkg, ROOT, run, sha256, type Dict } from './project';
import { builderEnv, electronBuilder, electronVersion, lap, prepareStage, realElectronDist, stage, timings, tools } from './stage';

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
    // The production tree, less what only the cloud's file storage uses (electron-builder.yml leaves
    // it out: the desktop bundle has a stand-in that refuses Azure). A package reached both ways stays.
    const ls = run('npm', ['ls', '--omit=dev', '--all', '--json'], { env: { ...process.env, npm_config_update_notifier: 'false' } });
    const prodNames = new Set<string>();
    type Node = { version?: string; dependencies?: Record<string, Node> };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { devOptional?: boolean }> };
    const walk = (node: Node) => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        // No version: an optional dependency npm did not install (another platform's sharp binaries).
        // devOptional in the lock: an optional peer installed only because a dev tool needs it.
        if (CLOUD_ONLY.includes(name) || child.version === undefined || lock.packages[`node_modules/${name}`]?.devOptional) continue;
        prodNames.add(name);
        walk(child);
      }
    };
    walk(JSON.parse(ls.stdout) as Node);
    expect([...packedNames].sort()).toEqual([...prodNames].sort());
    for (const dep of Object.keys(pkg.dependencies)) if (!CLOUD_ONLY.includes(dep)) expect(packedNames, dep).toContain(dep);
    for (const cloud of CLOUD_ONLY) expect(packedNames.has(cloud), `${cloud} packed`).toBe(false);
    for (const dev of DEV_TOOLS) expect(packedNames.has(dev), `dev tool ${dev} packed`).toBe(false);
    for (const dev of Object.keys(pkg.devDependencies)) if (!prodNames.has(dev)) expect(packedNames.has(dev), `devDependency ${dev} packed`).toBe(false);

    // Import every package the main bundle imports, from the extracted app, outside the repository,
    // with no NODE_PATH: only the packed node_modules can satisfy them (electron is the runtime's own).
    const main = readFileSync(join(extracted, 'dist/main/index.js'), 'utf8');
    const specs = [...new Set([...main.matchAll(/(?:^import[^;]*?from\s*|\bimport\()\s*"([^"]+)"/gm)].map((m) => m[1] as string))].filter((s) => !isBuiltin(s) && !s.startsWith('.') && s !== 'electron');
    // scripts/build-node.mjs inlines every other package (start-up: bench/scenarios/startup.ts);
    // classic-level (the hosted session's history) and sharp (images) are native add-ons and load
    // from their packages; @peculiar/x509 (with reflect-metadata) makes the hosting certificate, loaded
    // only when one is made, so the app's start does not read its ASN.1 schemas.
    // A copy is sorted: the probe below imports them in the bundle's own order (reflect-metadata first).
    expect([...specs].sort()).toEqual(['@peculiar/x509', 'classic-level', 'electron-updater', 'reflect-metadata', 'sharp']);
    for (const inlined of ['bonjour-service', 'pino', 'zod', 'socket.io']) expect(main, inlined).not.toMatch(new RegExp(`from\\s*"${inlined}"`));
    // socket.io's code is inlined too, but the classic client's script is read from its package
    // folder, resolved from the main bundle at run time.
    expect(main).toContain('require.resolve("socket.io")');
    expect(asarEntries).toEqual(expect.arrayContaining(['/node_modules/socket.io/client-dist/socket.io.js', '/node_modules/socket.io/client-dist/socket.io.min.js']));
    writeFileSync(
      join(extracted, 'dist/main/probe.mjs'),
      `import { createRequire } from 'node:module';\nimport { existsSync } from 'node:fs';\nimport { dirname, join } from 'node:path';\n` +
        `for (const s of ${JSON.stringify(specs)}) await import(s);\nconsole.log('imported ' + ${specs.length});\n` +
        // sharp loads its add-on on import; an image made proves libvips loaded beside it too.
        `const { default: sharp } = await import('sharp');\nconsole.log('png ' + (await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer()).subarray(1, 4));\n` +
        `console.log('client ' + existsSync(join(dirname(createRequire(import.meta.url).resolve('socket.io')), '../client-dist/socket.io.js')));\n`,
    );
    const probe = run(process.execPath, [join(extracted, 'dist/main/probe.mjs')], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } });
    expect(probe.stdout).toContain(`imported ${specs.length}`);
    // The history database's binary lies beside app.asar (a .node file cannot be loaded from inside
    // it), for this platform at least; Electron's asar support redirects the require there.
    const binary = join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'classic-level', 'prebuilds', 'linux-x64');
    expect(readdirSync(binary).some((f) => f.endsWith('.node'))).toBe(true);
    expect(asarEntries.some((e) => e.startsWith('/node_modules/classic-level/deps/'))).toBe(false);
    expect(probe.stdout).toContain('client true');
    // sharp's add-on and the libvips it links to lie beside app.asar too (the host's platform only:
    // npm installed no other), and its C++ sources are not shipped.
    const img = join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', '@img');
    expect(readdirSync(join(img, 'sharp-linux-x64', 'lib')).some((f) => f.endsWith('.node'))).toBe(true);
    expect(readdirSync(join(img, 'sharp-libvips-linux-x64', 'lib')).some((f) => f.startsWith('libvips-cpp.so'))).toBe(true);
    expect(asarEntries.some((e) => e.startsWith('/node_modules/sharp/src/'))).toBe(false);
    expect(probe.stdout).toContain('png PNG');
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
    const entries = run('tar', ['-tzf', join(release, tarName)]).stdout.split('\n');
    // Folders, which 7-Zip does not always list with a trailing slash (sharp's libvips has a
    // glib-2.0/include), are left out: the files below them are compared.
    const list = entries.filter((l) => l && !l.endsWith('/') && !entries.some((other) => other.startsWith(`${l}/`)));
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
