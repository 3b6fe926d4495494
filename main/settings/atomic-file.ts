/**
 * Crash-safe file replacement: write a temp file next to the target, fsync it, rename it over the
 * target, fsync the folder. A reader then sees the old file or the new one, never half of either,
 * even if the power goes out mid-write.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The parts of fs/promises used here; tests pass a wrapper that fails on demand. */
export interface AtomicFs {
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  rm: typeof nodeFs.rm;
  readdir: typeof nodeFs.readdir;
}

export const TEMP_MARK = '.tmp-';

export async function writeFileAtomic(path: string, data: string, fs: AtomicFs = nodeFs): Promise<void> {
  const temp = `${path}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await renameWithRetry(fs, temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(fs, dirname(path));
}

/** Removes temp files a crash left behind next to `path`. */
export async function removeStaleTemps(path: string, fs: AtomicFs = nodeFs): Promise<void> {
  const prefix = `${basename(path)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(join(dirname(path), n), { force: true }).catch(() => undefined)));
}

// Windows refuses to replace a file that an antivirus or indexer holds open for a moment.
async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= 4 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

// Makes the rename itself durable. Windows cannot open a directory for fsync; there NTFS journals it.
async function syncDir(fs: AtomicFs, dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    /* best effort: some file systems do not support it */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
