// npm run check:upstream: tries the newest releases of the packages whose internals the relay leans
// on (server/chat/fast-broadcast.ts, server/stores/redis/turn-writes.ts) in a scratch copy of the
// committed tree, and runs the tests that pin those internals there. The project keeps them pinned
// to exact versions, so an upgrade is a decision taken on this evidence, not a surprise.
//   --keep   leave the scratch folder for a look
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PINNED = ['socket.io', 'engine.io', 'socket.io-adapter', 'socket.io-parser', 'ws', 'ioredis', '@socket.io/redis-adapter'];
const TESTS = ['test/server/fast-broadcast.test.ts', 'test/server/stores/redis/connection.test.ts', 'test/server/cluster/cluster-chat.test.ts'];

const dir = mkdtempSync(join(tmpdir(), 'parley-upstream-'));
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: dir, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, ...opts });
try {
  execFileSync('bash', ['-c', `git archive HEAD | tar -x -C "${dir}"`], { stdio: 'inherit' });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const rows = [];
  for (const name of PINNED) {
    const latest = execFileSync('npm', ['view', name, 'version'], { encoding: 'utf8' }).trim();
    const where = ['dependencies', 'devDependencies', 'overrides'].filter((k) => pkg[k]?.[name] !== undefined && !String(pkg[k][name]).startsWith('$'));
    rows.push({ name, pinned: where.map((k) => pkg[k][name]).join(' ') || '(transitive)', latest });
    for (const k of where) pkg[k][name] = latest;
    if (where.length === 0) pkg.overrides = { ...pkg.overrides, [name]: latest };
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  rmSync(join(dir, 'package-lock.json'), { force: true });
  console.table(rows);
  if (run('npm', ['install', '--no-audit', '--no-fund']).status !== 0) throw new Error('npm install of the newest releases failed');
  const tests = run('npx', ['vitest', 'run', ...TESTS]);
  console.log(tests.status === 0
    ? '\ncheck:upstream: the newest releases pass the pinning tests; the pins in package.json may move up.'
    : '\ncheck:upstream: the newest releases FAIL the pinning tests; keep the pins and read the failures above.');
  process.exitCode = tests.status ?? 1;
} finally {
  if (process.argv.includes('--keep')) console.log(`scratch copy kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
