/**
 * A local cluster that cannot start (here: no haproxy on the PATH) fails with the cause and leaves
 * nothing running: the redis-server and relays it had started are stopped before it throws.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalCluster } from '../../../deploy/local/cluster';

/** This process's live children, from /proc (field 4 of /proc/<pid>/stat is the parent's pid). */
const children = (): string[] => {
  const mine: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[1] === String(process.pid) && fields[0] !== 'Z') mine.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return mine.sort();
};

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('startLocalCluster', () => {
  it('stops what it started when a part is missing, and says what', async () => {
    if (!existsSync('dist/server/cli.js')) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
    // A PATH with redis-server and nothing else: the relays start, HAProxy cannot.
    const bin = mkdtempSync(join(tmpdir(), 'parley-path-'));
    symlinkSync(execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim(), join(bin, 'redis-server'));
    const before = children();
    process.env.PATH = bin;
    try {
      await expect(startLocalCluster({ instances: 1, env: { LOG_LEVEL: 'warn' } })).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      process.env.PATH = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
    expect(children()).toEqual(before);
  }, 60_000);
});
