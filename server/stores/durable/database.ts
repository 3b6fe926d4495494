/**
 * Opening the relay's database under DATA_DIR. LevelDB (classic-level) was chosen for the durable
 * store (docs/durable-history.md says why): an N-API binary for every desktop platform ships inside
 * the npm package, so the same package runs in Node 20 and in Electron without a rebuild, and
 * packaging for Windows or macOS on Linux carries the right binary.
 *
 * Whatever goes wrong at open stops start-up with a message that names the folder and what to do:
 * the relay never deletes or recreates a database it cannot read.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';

export type Database = ClassicLevel<string, unknown>;

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
  constructor(
    message: string,
    readonly reason: 'locked' | 'corrupt' | 'io' | 'unknown',
  ) {
    super(message);
  }
}

export async function openDatabase(dataDir: string): Promise<Database> {
  const dir = resolve(dataDir, 'history');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DatabaseOpenError(`Cannot create the data folder ${dir}: ${(err as Error).message}. Set DATA_DIR to a writable folder.`, 'io');
  }
  const db: Database = new ClassicLevel(dir, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (err) {
    throw explain(err, dir);
  }
  return db;
}

function explain(err: unknown, dir: string): DatabaseOpenError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.message ?? (err as Error).message;
  switch (cause?.code) {
    case 'LEVEL_LOCKED':
      return new DatabaseOpenError(`The history database in ${dir} is in use by another Parley relay (its LOCK is held). Stop that relay, or give this one its own DATA_DIR.`, 'locked');
    case 'LEVEL_CORRUPTION':
      return new DatabaseOpenError(`The history database in ${dir} is damaged (${detail}). Nothing was changed: move the folder aside to start with an empty history, and keep it to recover from.`, 'corrupt');
    case 'LEVEL_IO_ERROR':
      return new DatabaseOpenError(`The history database in ${dir} cannot be read or written (${detail}). Check the folder's permissions and free space.`, 'io');
    default:
      return new DatabaseOpenError(`The history database in ${dir} could not be opened (${detail}).`, 'unknown');
  }
}
