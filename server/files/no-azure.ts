/**
 * Stands in for azure-storage.ts in the desktop app's bundle (scripts/build-node.mjs): a hosted LAN
 * session keeps its files on disk, and the Azure SDK (tens of MB) is left out of the installers.
 */
import type { AzureStorageOptions } from './azure-storage';

export function azureStorage(_opts: AzureStorageOptions): never {
  throw new Error('Azure Blob Storage is not part of the desktop app: run the standalone relay (parley-server) for it.');
}
