/**
 * The tus data store for uploads in Azure Blob Storage: @tus/azure-store's AzureStore (2.0.2), which
 * keeps each upload as an append blob named by its id with tus's upload info (declared length,
 * metadata, creation time) as JSON in the blob's `upload` metadata, with these corrections, so that
 * any instance of a cluster can take any PATCH of any upload:
 *
 *  - **The offset is the blob's length.** AzureStore keeps the offset in the metadata, set after
 *    each append, and caches upload info in each process: an instance that wrote nothing kept an
 *    old offset, and a crash between the append and the metadata left the metadata behind the
 *    bytes. Either way the next PATCH at that offset was appended after bytes already there, and the
 *    file came out corrupt. Here the offset is read from the blob on every request (no cache), and
 *    every append carries the offset it expects (`appendPosition`): Azure refuses an append when
 *    another writer got there first, and the client is told 409 and asks again where to go on.
 *  - **Streamed, in blocks.** AzureStore gathered a whole PATCH in memory (100 MiB for one request of
 *    a large file) and lost all of it when the connection dropped. Here each 4 MiB is appended as
 *    it arrives, and whatever arrived before a connection broke is kept for the resume.
 *  - **A missing upload is 404** (AzureStore answered 500, so clients could not tell to start over),
 *    and **termination deletes the blob** (AzureStore has no `remove`: DELETE answered 204 and kept it).
 *
 * Creation is AzureStore's own; this module reads the metadata format it writes, which the tests
 * (test/server/files/azure-storage.test.ts) pin down for each version of the package.
 *
 * The packages are loaded with import() (loadAzure), never imported here: the desktop bundle leaves
 * them out (scripts/build-node.mjs), and the standalone relay loads them only when configured.
 */
import type { Readable } from 'node:stream';
import type { AppendBlobClient, ContainerClient } from '@azure/storage-blob';
import type { DataStore, KvStore, Upload } from '@tus/server';

export interface AzureModules {
  blob: typeof import('@azure/storage-blob');
  store: typeof import('@tus/azure-store');
  tus: typeof import('@tus/server');
}

export async function loadAzure(): Promise<AzureModules> {
  const [blob, store, tus] = await Promise.all([import('@azure/storage-blob'), import('@tus/azure-store'), import('@tus/server')]);
  return { blob, store, tus };
}

/** Appended in blocks of this much: Azure takes up to 4 MiB per block in every API version. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** AzureStore's cache, disabled: another instance may have written since this one last looked. */
const NO_CACHE: KvStore<Upload> = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
};

export function azureUploadStore(m: AzureModules, blobs: ContainerClient): DataStore {
  const { ERRORS } = m.tus;
  /** Azure's answer as tus's: a missing blob is 404, an append at a stale offset 409; others pass through. */
  const tusError = (err: unknown): unknown => {
    const status = restStatus(err);
    if (status?.statusCode === 404) return ERRORS.FILE_NOT_FOUND;
    if (status?.statusCode === 412 && status.code === 'AppendPositionConditionNotMet') return ERRORS.INVALID_OFFSET;
    return err;
  };
  const append = async (blob: AppendBlobClient, block: Buffer, at: number) => {
    try {
      await blob.appendBlock(block, block.length, { conditions: { appendPosition: at } });
    } catch (err) {
      throw tusError(err);
    }
  };

  class AzureUploadStore extends m.store.AzureStore {
    constructor() {
      super({ client: blobs, cache: NO_CACHE });
      this.extensions = [...this.extensions, 'termination'];
    }

    override async getUpload(id: string): Promise<Upload> {
      let props;
      try {
        props = await blobs.getAppendBlobClient(id).getProperties();
      } catch (err) {
        throw tusError(err);
      }
      const upload = uploadFromBlob(m, id, props.metadata, props.contentLength ?? 0);
      if (!upload) throw ERRORS.FILE_NOT_FOUND;
      return upload;
    }

    override async write(stream: Readable, id: string, offset: number): Promise<number> {
      const blob = blobs.getAppendBlobClient(id);
      let at = offset;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        const block = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await append(blob, block, at);
        at += block.length;
      };
      try {
        for await (const chunk of stream) {
          const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
          pending.push(bytes);
          pendingBytes += bytes.length;
          if (pendingBytes >= BLOCK_BYTES) await flush();
        }
      } catch (err) {
        // The request broke: what did arrive is kept, so the resume sends only the rest.
        await flush().catch(() => undefined);
        throw err;
      }
      await flush();
      return at;
    }

    override async remove(id: string): Promise<void> {
      try {
        await blobs.getAppendBlobClient(id).deleteIfExists();
      } catch (err) {
        throw tusError(err);
      }
    }
  }
  return new AzureUploadStore();
}

/**
 * An upload as tus sees it, from an upload blob's metadata (AzureStore's JSON) and length; undefined
 * for a blob without that metadata (not an upload, or one whose creation did not finish).
 */
export function uploadFromBlob(m: AzureModules, id: string, blobMetadata: Record<string, string> | undefined, length: number): Upload | undefined {
  const json = blobMetadata?.upload;
  if (!json) return undefined;
  try {
    const stored = JSON.parse(json) as { size?: unknown; metadata?: unknown; creation_date?: unknown };
    return new m.tus.Upload({
      id,
      size: typeof stored.size === 'number' ? stored.size : undefined,
      offset: length,
      // Base64 pairs as in the Upload-Metadata header: AzureStore's way to keep any name in an ASCII header.
      metadata: typeof stored.metadata === 'string' && stored.metadata !== '' ? m.tus.Metadata.parse(stored.metadata) : {},
      creation_date: typeof stored.creation_date === 'string' ? stored.creation_date : new Date(0).toISOString(),
    });
  } catch {
    return undefined;
  }
}

/** The HTTP status and Azure error code of an SDK error (a RestError), else undefined. */
export function restStatus(err: unknown): { statusCode: number; code: string | undefined } | undefined {
  if (!(err instanceof Error) || err.name !== 'RestError') return undefined;
  const { statusCode, code } = err as Error & { statusCode?: unknown; code?: unknown };
  return typeof statusCode === 'number' ? { statusCode, code: typeof code === 'string' ? code : undefined } : undefined;
}
