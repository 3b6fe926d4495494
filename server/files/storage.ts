/**
 * Where uploads and their records live, behind one small seam: the relay's disk under DATA_DIR
 * (disk-storage.ts), or Azure Blob Storage for the cloud (azure-storage.ts: a tus store for Azure plus
 * blobs for the records), so that any instance can serve any file; backend.ts chooses. The upload
 * protocol, the checks, the signing and the HTTP headers above it do not change with the backend,
 * and both run the same conformance tests (test/helpers/storage-conformance.ts).
 */
import type { Readable } from 'node:stream';
import type { DataStore, Upload } from '@tus/server';

/** A finished upload as the relay knows it: written once, when the upload completes. */
export interface FileRecord {
  id: string;
  /** Sanitised (names.ts). */
  name: string;
  size: number;
  /** Sniffed from the bytes (sniff.ts). */
  type: string;
  /** User id of the uploader. */
  owner: string;
  /** The conversation the upload was made for: the only one it may be sent to and fetched from. */
  conversation: string;
  /** ms since epoch. */
  createdAt: number;
  /** When it was first sent in a message; until then it expires (index.ts, unattachedAfterMs). */
  attachedAt?: number;
  /** The clientId of the message it was sent in: only a retry of that message may carry it again. */
  attachedFor?: string;
  /** Pixel size, for an image the relay decoded (images.ts). */
  width?: number;
  height?: number;
  /**
   * Files the relay derived from the upload (images.ts). `image` is the image with its metadata
   * stripped: it is what downloads serve, in place of the uploaded bytes, and `size` is its size.
   */
  variants?: Partial<Record<FileVariant, VariantInfo>>;
}

/** Derived files kept beside an upload: the cleaned image and its thumbnail. */
export type FileVariant = 'image' | 'thumb';
export const FILE_VARIANTS: readonly FileVariant[] = ['image', 'thumb'];

export interface VariantInfo {
  size: number;
  type: string;
  width?: number;
  height?: number;
}

/** An upload, finished or not, from the tus store's point of view. */
export interface UploadState {
  id: string;
  /** Declared length (Upload-Length); undefined only for a deferred length, which the relay refuses. */
  size: number | undefined;
  /** Bytes received so far. */
  offset: number;
  /** Set by the relay at creation, from the upload token (never from the client's metadata). */
  owner: string | undefined;
  conversation: string | undefined;
  /** The name the client suggested, unsanitised. */
  suggestedName: string | undefined;
  /** ms since epoch. */
  createdAt: number;
}

export interface FileStorage {
  /**
   * Whether every relay instance of the deployment sees these same files (Azure Blob), so that they
   * count against one quota kept in Redis; a relay's own disk is counted by that relay alone.
   */
  readonly shared: boolean;
  /** The tus data store uploads are written through. */
  readonly datastore: DataStore;
  /** An upload's state, or undefined when there is none with this id. */
  upload(id: string): Promise<UploadState | undefined>;
  /** Every upload, finished or not: start-up accounting and the sweep of abandoned ones. */
  uploads(): Promise<UploadState[]>;
  /** The record of a finished upload, or undefined. */
  record(id: string): Promise<FileRecord | undefined>;
  /** Keeps a record durably (it survives a crash once this resolves). */
  saveRecord(record: FileRecord): Promise<void>;
  /** The bytes of a finished upload, or of one of its variants; `end` inclusive. */
  open(id: string, range?: { start: number; end: number }, variant?: FileVariant): Readable;
  /** Keeps a derived file durably, before the record that names it is saved. */
  saveVariant(id: string, variant: FileVariant, data: Buffer): Promise<void>;
  /** Deletes an upload, its bytes, its variants and its record; no error when parts are already gone. */
  remove(id: string): Promise<void>;
  /** Releases the storage (a temporary one is deleted). */
  close(): Promise<void>;
}

/**
 * The tus metadata keys of an upload. The relay replaces whatever metadata the client sent with
 * these at creation, so `owner` and `conversation` come from the token alone; `filename` is the
 * client's suggestion (tus-js-client's usual key), kept for naming the file when it is finished.
 */
export const UPLOAD_META = { name: 'filename', owner: 'owner', conversation: 'conversation' } as const;

/** What the relay needs of a tus upload, from tus's own record of it (both stores keep the same one). */
export function uploadState(upload: Upload): UploadState {
  const meta = upload.metadata ?? {};
  return {
    id: upload.id,
    size: upload.size,
    offset: upload.offset,
    owner: meta[UPLOAD_META.owner] ?? undefined,
    conversation: meta[UPLOAD_META.conversation] ?? undefined,
    suggestedName: meta[UPLOAD_META.name] ?? undefined,
    createdAt: upload.creation_date ? Date.parse(upload.creation_date) : 0,
  };
}
