/** Small files replaced whole (file records, a link's cursors), safely. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Written aside and renamed into place, so a crash leaves the old state or the new, never half. */
export async function writeDurably(final: string, data: string | Buffer, mode = 0o600): Promise<void> {
  // A name of its own: two writers of one record (two sends of one file) must not rename each other's.
  const temp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, final);
}

/**
 * The one-line value kept in `file` when it is valid, else `make()`'s, written there first (the
 * folder made as needed). For ids and keys a relay makes once and keeps across restarts.
 */
export async function keptValue(file: string, valid: (value: string) => boolean, make: () => string, mode = 0o644): Promise<string> {
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (valid(kept)) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const made = make();
  await mkdir(dirname(file), { recursive: true });
  // Whole or not at all: a torn id or key would be replaced by a new one at the next start.
  await writeDurably(file, made + '\n', mode);
  return made;
}
