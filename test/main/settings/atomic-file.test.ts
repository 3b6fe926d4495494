import * as fs from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicFs } from '../../../main/settings/atomic-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const path = join(dir, 'a.json');
    await fs.writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await fs.readFile(path, 'utf8')).toBe('new');
    expect(await fs.readdir(dir)).toEqual(['a.json']);
  });

  it('writes through fsync before the rename', async () => {
    const calls: string[] = [];
    const tracing: AtomicFs = {
      ...fs,
      open: (async (...args: Parameters<typeof fs.open>) => {
        const handle = await fs.open(...args);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          calls.push(`sync ${String(args[0]).includes('.tmp-') ? 'temp' : 'dir'}`);
          return sync();
        };
        return handle;
      }) as typeof fs.open,
      rename: async (a, b) => {
        calls.push('rename');
        return fs.rename(a, b);
      },
    };
    await writeFileAtomic(join(dir, 'b.json'), 'x', tracing);
    expect(calls.slice(0, 2)).toEqual(['sync temp', 'rename']);
  });

  it('keeps the old file when the write fails midway', async () => {
    const path = join(dir, 'c.json');
    await fs.writeFile(path, 'old');
    const failing: AtomicFs = { ...fs, rename: async () => Promise.reject(Object.assign(new Error('io'), { code: 'EIO' })) };
    await expect(writeFileAtomic(path, 'new', failing)).rejects.toThrow('io');
    expect(await fs.readFile(path, 'utf8')).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['c.json']);
  });

  it('retries a rename Windows refuses for a moment', async () => {
    let attempts = 0;
    const flaky: AtomicFs = {
      ...fs,
      rename: async (a, b) => {
        if (++attempts < 3) throw Object.assign(new Error('busy'), { code: 'EPERM' });
        return fs.rename(a, b);
      },
    };
    await writeFileAtomic(join(dir, 'd.json'), 'x', flaky);
    expect(attempts).toBe(3);
  });
});
