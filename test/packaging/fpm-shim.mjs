#!/usr/bin/env node
// Stand-in for fpm in test/packaging/installers.test.ts (electron-builder's CUSTOM_FPM_PATH). The real
// fpm is downloaded from GitHub, which this machine cannot reach. electron-builder's deb target
// computes everything itself (control fields, depends, maintainer scripts, .desktop entry, icon
// paths, install prefix) and passes it to fpm as arguments; this shim turns exactly those arguments
// into a .deb with `fakeroot dpkg-deb --build`, so the package checked is electron-builder's own
// deb layout for our configuration. It implements only what `fpm -s dir -t deb` gets from
// electron-builder 26 and refuses anything else.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const opts = { depends: [], recommends: [] };
const mappings = [];
const valued = new Set(['-s', '-t', '--deb-compression', '--architecture', '--after-install', '--after-remove', '--description', '--version', '--package', '--name', '--maintainer', '--vendor', '--url', '--category', '--deb-priority', '--license', '--iteration', '--log']);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--force' || a === '--debug') continue;
  if (a === '-d') opts.depends.push(args[++i]);
  else if (a === '--deb-recommends') opts.recommends.push(args[++i]);
  else if (valued.has(a)) opts[a.replace(/^-+/, '')] = args[++i];
  else if (!a.startsWith('-') && a.includes('=')) mappings.push(a);
  else {
    console.error(`fpm-shim: unsupported argument ${a}`);
    process.exit(2);
  }
}
if (opts.s !== 'dir' || opts.t !== 'deb') {
  console.error(`fpm-shim: only -s dir -t deb (got -s ${opts.s} -t ${opts.t})`);
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), 'fpm-shim-'));
chmodSync(root, 0o755); // becomes the package's "./"
try {
  for (const m of mappings) {
    const eq = m.indexOf('=');
    const src = m.slice(0, eq);
    const dst = join(root, m.slice(eq + 1));
    mkdirSync(dirname(dst), { recursive: true });
    // fpm semantics: "dir/=/opt/App" copies the folder's contents to /opt/App.
    cpSync(src.endsWith('/') ? src.slice(0, -1) : src, dst, { recursive: true, verbatimSymlinks: true });
  }
  const du = spawnSync('du', ['-sk', '--exclude=DEBIAN', root], { encoding: 'utf8' });
  const installedKb = Number.parseInt(du.stdout, 10) || 0;
  const [synopsis, ...rest] = (opts.description ?? '').split('\n');
  const control = [
    `Package: ${opts.name}`,
    `Version: ${opts.version}${opts.iteration ? `-${opts.iteration}` : ''}`,
    `Architecture: ${opts.architecture}`,
    `Maintainer: ${opts.maintainer}`,
    `Installed-Size: ${installedKb}`,
    opts.depends.length ? `Depends: ${opts.depends.join(', ')}` : null,
    opts.recommends.length ? `Recommends: ${opts.recommends.join(', ')}` : null,
    opts.category ? `Section: ${opts.category}` : null,
    `Priority: ${opts['deb-priority'] ?? 'optional'}`,
    opts.url ? `Homepage: ${opts.url}` : null,
    `Description: ${synopsis || opts.name}`,
    ...rest.map((l) => (l.trim() ? ` ${l.trim()}` : ' .')),
  ].filter((l) => l !== null);
  mkdirSync(join(root, 'DEBIAN'));
  writeFileSync(join(root, 'DEBIAN', 'control'), `${control.join('\n')}\n`);
  for (const [flag, name] of [['after-install', 'postinst'], ['after-remove', 'postrm']]) {
    if (!opts[flag]) continue;
    cpSync(opts[flag], join(root, 'DEBIAN', name));
    chmodSync(join(root, 'DEBIAN', name), 0o755);
  }
  const out = opts.package;
  rmSync(out, { force: true });
  const comp = opts['deb-compression'] === 'gz' ? 'gzip' : (opts['deb-compression'] ?? 'xz');
  const res = spawnSync('fakeroot', ['dpkg-deb', `-Z${comp}`, '--build', root, out], { encoding: 'utf8' });
  if (res.status !== 0) {
    console.error(`fpm-shim: dpkg-deb failed: ${res.stderr || res.error}`);
    process.exit(1);
  }
  statSync(out);
  console.log(`fpm-shim: built ${out}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
