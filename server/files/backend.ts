/**
 * Where a relay keeps its files, and the secret it signs with: Azure Blob Storage when a connection
 * string is configured (a cloud deployment: every instance on one container, so any of them serves
 * any file), else the relay's own disk. The secret goes with the storage, because every relay that
 * serves the same files must sign with the same one: FILES_SECRET when set, else one kept beside the
 * files (a blob in the container, or a file in the data folder), else one per process.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../logger';
import type { AzureStorageOptions } from './azure-storage';
import { diskStorage } from './disk-storage';
import { loadSecret } from './signing';
import type { FileStorage } from './storage';

export interface BackendOptions {
  /** The relay's data folder; files go to `<dataDir>/files`. Unset or ':memory:': a temporary folder, deleted on close. */
  dataDir: string | undefined;
  /** When set, files go to this Azure Blob Storage container instead, and `dataDir` holds none. */
  azure?: AzureStorageOptions | undefined;
  secret: string | Buffer | undefined;
  log: Logger;
}

export async function openStorage(opts: BackendOptions): Promise<{ storage: FileStorage; secret: Buffer }> {
  if (opts.azure) {
    // Loaded only when configured: the Azure SDK is large, and most relays (the desktop's) never use it.
    const { azureStorage } = await import('./azure-storage');
    const storage = await azureStorage(opts.azure);
    try {
      const secret = opts.secret !== undefined ? await loadSecret(opts.secret, undefined) : await storage.sharedSecret();
      opts.log.info({ container: opts.azure.container, secret: opts.secret !== undefined ? 'FILES_SECRET' : 'shared blob' }, 'files are kept in Azure Blob Storage');
      return { storage, secret };
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  const memory = opts.dataDir === undefined || opts.dataDir === ':memory:';
  const dir = memory ? await mkdtemp(join(tmpdir(), 'parley-files-')) : resolve(opts.dataDir!, 'files');
  const storage = await diskStorage(dir, memory);
  return { storage, secret: await loadSecret(opts.secret, memory ? undefined : dir) };
}
