/**
 * FileStorage in one Azure Blob Storage container, shared by every relay instance of a deployment:
 * any instance takes any request of any upload, and serves any file. Per upload id, the container
 * holds the bytes as an append blob (`<id>`, with tus's upload info in its metadata:
 * azure-uploads.ts), and once finished the relay's record (`<id>.file.json`) and the files derived
 * from an image (`<id>.image`, `<id>.thumb`); beside them the signing secret (`.parley-secret`) when
 * FILES_SECRET is not set. Records and variants are written with one Put Blob each, which Azure
 * applies whole or not at all, so a reader never sees half of one.
 *
 * Unlike the disk, a read that fails for another reason than a missing blob (a network fault, a
 * throttled account) throws instead of reading as "no such file": the relay would otherwise remake
 * a record that exists, or tell a client its file is gone.
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import { FILE_ID_PATTERN } from '../../protocol/index';
import { azureUploadStore, loadAzure, restStatus, uploadFromBlob } from './azure-uploads';
import { parseRecord } from './disk-storage';
import { SECRET_MIN_BYTES } from './signing';
import { FILE_VARIANTS, uploadState, type FileStorage, type UploadState } from './storage';

export interface AzureStorageOptions {
  /** An Azure Storage connection string (account key or SAS), or Azurite's. */
  connectionString: string;
  /** The container, made if missing. */
  container: string;
  /** Blobs per listing request (Azure's most is 5000); tests lower it to see paging work. */
  pageSize?: number;
}

export interface AzureFileStorage extends FileStorage {
  /** The signing secret every instance on this container shares, made by whichever instance asks first. */
  sharedSecret(): Promise<Buffer>;
}

const SECRET_BLOB = '.parley-secret';

export async function azureStorage(opts: AzureStorageOptions): Promise<AzureFileStorage> {
  const m = await loadAzure();
  const blobs = m.blob.BlobServiceClient.fromConnectionString(opts.connectionString).getContainerClient(opts.container);
  await openContainer(blobs);
  const datastore = azureUploadStore(m, blobs);
  const pageSize = opts.pageSize ?? 1000;
  // Ids become blob names: only the relay's own shape is looked up, never a name of another kind.
  const blob = (id: string, suffix = ''): BlobClient => {
    if (!FILE_ID_PATTERN.test(id)) throw new Error('not a file id');
    return blobs.getBlobClient(id + suffix);
  };

  return {
    shared: true,
    datastore,
    async upload(id) {
      if (!FILE_ID_PATTERN.test(id)) return undefined;
      let props;
      try {
        props = await blob(id).getProperties();
      } catch (err) {
        if (missing(err)) return undefined;
        throw err;
      }
      const found = uploadFromBlob(m, id, props.metadata, props.contentLength ?? 0);
      return found && uploadState(found);
    },
    async uploads() {
      const all: UploadState[] = [];
      for await (const page of blobs.listBlobsFlat({ includeMetadata: true }).byPage({ maxPageSize: pageSize })) {
        for (const item of page.segment.blobItems) {
          if (!FILE_ID_PATTERN.test(item.name)) continue;
          const length = item.properties.contentLength ?? 0;
          const found = uploadFromBlob(m, item.name, item.metadata, length);
          // A blob whose creation stopped before its upload info was set belongs to nobody: listed as
          // unfinished from its creation time, so that the sweep of abandoned uploads deletes it.
          const createdAt = item.properties.createdOn?.getTime() ?? 0;
          all.push(found ? uploadState(found) : { id: item.name, size: undefined, offset: length, owner: undefined, conversation: undefined, suggestedName: undefined, createdAt });
        }
      }
      return all;
    },
    async record(id) {
      if (!FILE_ID_PATTERN.test(id)) return undefined;
      const text = await readIfExists(blob(id, '.file.json'));
      if (text === undefined) return undefined;
      try {
        return parseRecord(JSON.parse(text.body), id);
      } catch {
        return undefined;
      }
    },
    async saveRecord(record) {
      await put(blob(record.id, '.file.json'), Buffer.from(JSON.stringify(record)), 'application/json');
    },
    async saveVariant(id, variant, data) {
      await put(blob(id, `.${variant}`), data, 'application/octet-stream');
    },
    open(id, range, variant) {
      return download(blob(id, variant ? `.${variant}` : ''), range);
    },
    async remove(id) {
      const suffixes = ['', '.file.json', ...FILE_VARIANTS.map((v) => `.${v}`)];
      await Promise.all(suffixes.map((suffix) => blob(id, suffix).deleteIfExists()));
    },
    sharedSecret: () => sharedSecret(blobs.getBlobClient(SECRET_BLOB)),
    // The SDK holds no resources that outlive a request: its idle keep-alive sockets do not keep Node running.
    async close() {},
  };
}

/**
 * Makes the container if it is missing. A key limited to one container (a SAS) may not create
 * containers: then one listing proves the container is there and readable, so a wrong setting
 * fails the start rather than the first upload.
 */
async function openContainer(blobs: ContainerClient): Promise<void> {
  try {
    await blobs.createIfNotExists();
  } catch (err) {
    if (restStatus(err)?.statusCode !== 403) throw err;
    await blobs.listBlobsFlat().byPage({ maxPageSize: 1 }).next();
  }
}


/**
 * A stream of the blob's bytes (`end` inclusive), returned at once as the seam wants; the download
 * starts behind it, and stops when the reader goes away (a sniff reads only the first bytes).
 */
function download(source: BlobClient, range: { start: number; end: number } | undefined): Readable {
  const out = new PassThrough();
  const stop = new AbortController();
  out.once('close', () => stop.abort());
  source
    .download(range?.start ?? 0, range ? range.end - range.start + 1 : undefined, { abortSignal: stop.signal })
    .then((res) => pipeline(res.readableStreamBody!, out))
    .catch((err: unknown) => out.destroy(err as Error));
  return out;
}

async function put(target: BlobClient, data: Buffer, contentType: string): Promise<void> {
  await target.getBlockBlobClient().upload(data, data.length, { blobHTTPHeaders: { blobContentType: contentType } });
}

/** A small blob's text and ETag, or undefined when there is no such blob. */
async function readIfExists(source: BlobClient): Promise<{ body: string; etag: string } | undefined> {
  try {
    const res = await source.download();
    const chunks: Buffer[] = [];
    for await (const chunk of res.readableStreamBody!) chunks.push(chunk as Buffer);
    return { body: Buffer.concat(chunks).toString('utf8'), etag: res.etag ?? '' };
  } catch (err) {
    if (missing(err)) return undefined;
    throw err;
  }
}

/**
 * The secret kept in the container, or a new one. Instances starting together race to create it:
 * the write succeeds only where no blob exists yet (If-None-Match: *), and only where the blob is
 * still the malformed one read (If-Match), so exactly one instance writes and the others read its.
 */
async function sharedSecret(target: BlobClient): Promise<Buffer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const kept = await readIfExists(target);
    if (kept) {
      const key = Buffer.from(kept.body.trim(), 'hex');
      if (key.length >= SECRET_MIN_BYTES) return key;
    }
    const fresh = randomBytes(32);
    const text = Buffer.from(`${fresh.toString('hex')}\n`);
    try {
      await target.getBlockBlobClient().upload(text, text.length, { conditions: kept ? { ifMatch: kept.etag } : { ifNoneMatch: '*' } });
      return fresh;
    } catch (err) {
      // Another instance wrote first: read what it wrote.
      const status = restStatus(err)?.statusCode;
      if (status !== 409 && status !== 412) throw err;
    }
  }
  throw new Error(`could not agree on the files secret in blob ${SECRET_BLOB}; set FILES_SECRET`);
}

function missing(err: unknown): boolean {
  return restStatus(err)?.statusCode === 404;
}
