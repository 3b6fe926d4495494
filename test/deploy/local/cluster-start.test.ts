/**
 * A local cluster that cannot start (here: no haproxy on the PATH) fails with the cause and leaves
 * nothing running: the redis-server and relays it had started are stopped before it throws.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalCluster } from '../../../deploy/local/cluster';

const children = (): string[] => {
  const out = spawnSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).sort();
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
