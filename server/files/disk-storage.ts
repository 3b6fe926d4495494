/**
 * FileStorage on the relay's own disk: the standalone relay without Azure and the desktop host.
 * One folder holds, per upload id, the bytes (`<id>`), tus's upload info (`<id>.json`: declared
 * length, metadata, creation time; the offset is the size of the bytes file) and, once finished,
 * the relay's record (`<id>.file.json`), and the files derived from an image (`<id>.image`,
 * `<id>.thumb`). Everything the relay needs after a restart is in these
 * files, so an upload resumes and a finished file stays attachable and downloadable.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { FILE_ID_PATTERN } from '../../protocol/index';
import { FILE_VARIANTS, uploadState, type FileRecord, type FileStorage, type UploadState } from './storage';
import { writeDurably } from '../durable-file';

const INFO_FILE = /^([A-Za-z0-9_-]{16,64})\.json$/;

/**
 * @param dir the folder (made if missing)
 * @param temporary delete the folder on close: a relay without a data folder keeps nothing
 */
export async function diskStorage(dir: string, temporary: boolean): Promise<FileStorage> {
  // Made here, awaited: FileStore's constructor makes it too, but without waiting.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const datastore = new FileStore({ directory: dir });
  // Ids reach the file system: only the relay's own shape (no dots, no separators) is looked up.
  const path = (id: string, suffix = '') => {
    if (!FILE_ID_PATTERN.test(id)) throw new Error('not a file id');
    return join(dir, id + suffix);
  };

  const upload = async (id: string): Promise<UploadState | undefined> => {
    if (!FILE_ID_PATTERN.test(id)) return undefined;
    let found;
    try {
      found = await datastore.getUpload(id);
    } catch {
      return undefined;
    }
    return uploadState(found);
  };

  return {
    shared: false,
    datastore,
    upload,
    async uploads() {
      const names = await readdir(dir);
      const ids = names.map((n) => INFO_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined);
      const all = await Promise.all(ids.map(upload));
      return all.filter((u): u is UploadState => u !== undefined);
    },
    async record(id) {
      if (!FILE_ID_PATTERN.test(id)) return undefined;
      try {
        return parseRecord(JSON.parse(await readFile(path(id, '.file.json'), 'utf8')), id);
      } catch {
        return undefined;
      }
    },
    saveRecord: (record) => writeDurably(path(record.id, '.file.json'), JSON.stringify(record)),
    saveVariant: (id, variant, data) => writeDurably(path(id, `.${variant}`), data),
    open(id, range, variant) {
      return createReadStream(path(id, variant ? `.${variant}` : ''), range ? { start: range.start, end: range.end } : {});
    },
    async remove(id) {
      const suffixes = ['', '.json', '.file.json', ...FILE_VARIANTS.map((v) => `.${v}`)];
      await Promise.all(suffixes.map((suffix) => unlink(path(id, suffix)).catch(ignoreMissing)));
    },
    async close() {
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A kept record, checked (every backend reads records through this): undefined for anything else. */
export function parseRecord(value: unknown, id: string): FileRecord | undefined {
  const r = value as Partial<FileRecord> | null;
  if (!r || r.id !== id) return undefined;
  const ok =
    typeof r.name === 'string' &&
    typeof r.type === 'string' &&
    typeof r.owner === 'string' &&
    typeof r.conversation === 'string' &&
    Number.isSafeInteger(r.size) &&
    Number.isFinite(r.createdAt);
  return ok ? (r as FileRecord) : undefined;
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
