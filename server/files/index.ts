/**
 * File sharing on the relay (protocol/files.ts, docs/files.md): the tus upload endpoint, signed
 * downloads, and what the chat handlers ask of them (upload tokens, download URLs, the attachments
 * of a message). One FileService per relay; the storage behind it is a seam (storage.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ErrorCode,
  FILE_URL_TTL_MS,
  FILES_PATH,
  ParleyError,
  UPLOAD_PATH,
  UPLOAD_TOKEN_TTL_MS,
  type Attachment,
  type FileUrlOk,
  type UploadTokenOk,
} from '../../protocol/index';
import type { Logger } from '../logger';
import { listedOrigin, originPolicy } from '../http/origin';
import type { ProxyHops } from '../http/forwarded';
import { linkOrigin } from './link-origin';
import { formatBytes } from './bytes';
import type { AzureStorageOptions } from './azure-storage';
import { openStorage } from './backend';
import { downloadHandler, signedPath } from './downloads';
import { DEFAULT_IMAGE_MAX_PIXELS, imageCleaner, type ImageCleaner } from './images';
import { fileName } from './names';
import { localLedger, type QuotaLedger, type QuotaLimits } from './quota';
import { DEFAULT_FILE_HTTP_LIMITS, FileHttpLimits, type FileHttpLimitSpec } from './http-limits';
import { FileSigner } from './signing';
import { sniff } from './sniff';
import type { FileRecord, FileStorage } from './storage';
import { uploadEndpoint } from './uploads';

export interface FileOptions {
  /** The relay's data folder; files go to `<dataDir>/files`. Unset or ':memory:': a temporary folder, deleted on close. */
  dataDir: string | undefined;
  /** Files go to this Azure Blob Storage container instead of `dataDir` (backend.ts). */
  azure?: AzureStorageOptions | undefined;
  /** Signs upload tokens and download URLs; shared by every instance serving the same files. */
  secret: string | Buffer | undefined;
  maxBytes: number;
  quotaBytes: number;
  userQuotaBytes: number;
  allowedOrigins: readonly string[] | '*';
  proxyHops: ProxyHops;
  log: Logger;
  /** Unfinished uploads older than this are deleted. */
  abandonAfterMs?: number;
  /** Finished uploads never sent in a message are deleted after this long (their quota freed). */
  unattachedAfterMs?: number;
  /** Counts uploads for the whole deployment (Redis mode); unset: this relay counts its own. */
  quota?: (limits: QuotaLimits) => QuotaLedger;
  /** Host names of this relay (ALLOWED_HOSTS): links it writes may name them (link-origin.ts). */
  allowedHosts?: readonly string[] | 'any';
  /** Requests per client address (http-limits.ts); defaults when unset. */
  httpLimits?: FileHttpLimitSpec;
  /** Largest image decoded, in pixels (images.ts); larger ones are refused. */
  imageMaxPixels?: number;
}

export interface FileService {
  /** Serves /uploads and /files; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** An upload token for `userId` in `conversation` (the caller checked membership). */
  uploadToken(userId: string, conversation: string): Promise<UploadTokenOk>;
  /** A signed download URL for a file of `conversation`, or its thumbnail (the caller checked membership). */
  downloadUrl(conversation: string, id: string, variant: 'thumb' | undefined, userId: string): Promise<FileUrlOk>;
  /**
   * A signed download URL to put in the text classic clients see, absolute for the origin `req` (the
   * sender's handshake) reached the relay by; no check that the file exists (it was just attached).
   */
  classicLink(req: IncomingMessage, conversation: string, id: string): string;
  /** The attachments of a new message: each id an upload `userId` finished for `conversation`, else UNKNOWN_FILE. */
  attachments(ids: readonly string[], userId: string, conversation: string, clientId?: string): Promise<Attachment[]>;
  /** Deletes the files of a deleted message (those `userId` uploaded for `conversation`) and frees their quota. */
  release(ids: readonly string[], userId: string, conversation: string): Promise<void>;
  close(): Promise<void>;
}

/** Download URLs expire on these boundaries, so asking twice within one gives the same (cacheable) URL. */
const URL_EXPIRY_STEP_MS = 5 * 60_000;
const DAY_MS = 24 * 3600_000;
/** An hour: time enough to finish writing the message a file was uploaded for. */
const UNATTACHED_MS = 3600_000;

export async function createFileService(opts: FileOptions): Promise<FileService> {
  const { storage, secret } = await openStorage(opts);
  const signer = new FileSigner(secret);
  const quotaLimits: QuotaLimits = { total: opts.quotaBytes, perUser: opts.userQuotaBytes };
  const quota = (storage.shared && opts.quota ? opts.quota : localLedger)(quotaLimits);
  const abandonAfterMs = opts.abandonAfterMs ?? DAY_MS;
  const unattachedAfterMs = opts.unattachedAfterMs ?? UNATTACHED_MS;

  const images = imageCleaner({ maxPixels: opts.imageMaxPixels ?? DEFAULT_IMAGE_MAX_PIXELS, log: opts.log });
  const finishing = new Map<string, Promise<FileRecord | undefined>>();
  /** The record of a finished upload, made on first ask (once, however many ask at the same time). */
  const finish = (id: string): Promise<FileRecord | undefined> => {
    let pending = finishing.get(id);
    if (!pending) {
      pending = record(storage, images, id)
        .catch(async (err: unknown) => {
          // Refused for good (a decompression bomb): nothing of it stays, and its quota is free again.
          if (tooLarge(err)) await storage.remove(id).then(() => quota.release(id));
          throw err;
        })
        .finally(() => finishing.delete(id));
      finishing.set(id, pending);
    }
    return pending;
  };
  /** Removes an unfinished upload; a finished one (it may be in a message) is never touched here. */
  const discard = async (id: string) => {
    const upload = await storage.upload(id);
    if (upload && upload.size !== undefined && upload.offset >= upload.size) return;
    await storage.remove(id);
    await quota.release(id);
  };

  // What is on disk already counts; what was abandoned a day ago goes, and so does a finished upload
  // nobody sent within the hour: otherwise a client could fill the quota with files it never shares.
  const sweep = async (counting: boolean) => {
    const now = Date.now();
    for (const upload of await storage.uploads()) {
      const unfinished = upload.size === undefined || upload.offset < upload.size;
      if (unfinished && upload.createdAt < now - abandonAfterMs) await discard(upload.id);
      else if (!unfinished && upload.createdAt < now - unattachedAfterMs && !(await storage.record(upload.id))?.attachedAt && !finishing.has(upload.id)) {
        await storage.remove(upload.id);
        await quota.release(upload.id);
      } else if (counting && upload.owner) await quota.count(upload.id, upload.owner, upload.size ?? upload.offset);
    }
  };
  await sweep(true);
  const sweeper = setInterval(() => {
    sweep(false).catch((err: unknown) => opts.log.warn({ err }, 'sweep of abandoned uploads failed; the next one retries'));
  }, Math.max(1000, Math.min(abandonAfterMs, unattachedAfterMs, 3600_000)));
  sweeper.unref();

  const listed = listedOrigin(opts.allowedOrigins);
  const cors = (origin: string) => listed(origin);
  const uploads = uploadEndpoint({
    storage,
    signer,
    quota,
    maxBytes: opts.maxBytes,
    allowOrigin: originPolicy(opts.allowedOrigins, opts.proxyHops),
    corsOrigin: cors,
    finish,
    discard,
    log: opts.log,
  });
  const downloads = downloadHandler({ storage, signer, corsOrigin: cors, log: opts.log });
  const origin = linkOrigin(opts.allowedHosts ?? [], opts.proxyHops);
  const httpLimits = new FileHttpLimits(opts.httpLimits ?? DEFAULT_FILE_HTTP_LIMITS, opts.proxyHops);

  const attaching = new Map<string, Promise<void>>();
  const attach = async (ids: readonly string[], userId: string, conversation: string, clientId: string | undefined): Promise<Attachment[]> => {
    // An image refused only now (its record was never made before a restart) is gone: no such file.
    const records = await Promise.all(ids.map((id) => finish(id).catch((err: unknown) => (tooLarge(err) ? undefined : Promise.reject(err)))));
    const files = records.map((r) => {
      if (!r || r.owner !== userId || r.conversation !== conversation) throw unknownFile();
      // One file, one message (a retry of that message aside): deleting the message deletes the file.
      if (r.attachedAt !== undefined && (clientId === undefined || r.attachedFor !== clientId)) throw sentAlready();
      return r;
    });
    // Sent: kept from now on (the sweep of unsent uploads passes it by).
    const now = Date.now();
    await Promise.all(files.filter((r) => r.attachedAt === undefined).map((r) => storage.saveRecord({ ...r, attachedAt: now, ...(clientId === undefined ? {} : { attachedFor: clientId }) })));
    return files.map((r) => ({
      id: r.id,
      name: r.name,
      size: r.size,
      type: r.type,
      ...(r.width !== undefined && r.height !== undefined ? { width: r.width, height: r.height } : {}),
      ...(r.variants?.thumb ? { thumb: true } : {}),
    }));
  };

  return {
    handle(req, res) {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const upload = path === UPLOAD_PATH || path.startsWith(`${UPLOAD_PATH}/`);
      if (!upload && !path.startsWith(`${FILES_PATH}/`)) return false;
      if (httpLimits.gate(req, res, cors)) (upload ? uploads : downloads)(req, res);
      return true;
    },

    async uploadToken(userId, conversation) {
      if ((await quota.remaining(userId)) === 0) {
        throw new ParleyError(ErrorCode.QUOTA_EXCEEDED, `Your uploads have reached this relay's quota (${formatBytes(quota.limits.perUser)} each, ${formatBytes(quota.limits.total)} in all).`);
      }
      const expiresAt = Date.now() + UPLOAD_TOKEN_TTL_MS;
      return { token: signer.uploadToken({ userId, conversation, expiresAt }), url: UPLOAD_PATH, expiresAt, maxBytes: opts.maxBytes };
    },

    async downloadUrl(conversation, id, variant, userId) {
      const found = await storage.record(id);
      if (!found || found.conversation !== conversation || (variant && !found.variants?.[variant])) throw unknownFile();
      const expiresAt = Math.ceil((Date.now() + FILE_URL_TTL_MS) / URL_EXPIRY_STEP_MS) * URL_EXPIRY_STEP_MS;
      // Member-only: the URL works with this token alone, which the app keeps and never shows.
      return { url: signedPath(signer, id, conversation, expiresAt, variant, true), expiresAt, token: signer.downloadToken({ userId, conversation, expiresAt }) };
    },

    classicLink(req, conversation, id) {
      const expiresAt = Math.ceil((Date.now() + FILE_URL_TTL_MS) / URL_EXPIRY_STEP_MS) * URL_EXPIRY_STEP_MS;
      return `${origin(req)}${signedPath(signer, id, conversation, expiresAt)}`;
    },

    async release(ids, userId, conversation) {
      for (const id of ids) {
        const r = await storage.record(id);
        if (!r || r.owner !== userId || r.conversation !== conversation) continue;
        await storage.remove(id);
        await quota.release(id);
      }
    },

    attachments(ids, userId, conversation, clientId) {
      // One user's sends check and mark their files one after another: two at once with the same
      // file would both see it unsent (files are the uploader's, so a per-user line is enough; in a
      // cluster two instances can still race, docs/files.md).
      const turn = (attaching.get(userId) ?? Promise.resolve()).then(() => attach(ids, userId, conversation, clientId));
      const settled = turn.then(
        () => {},
        () => {},
      );
      attaching.set(userId, settled);
      void settled.then(() => {
        if (attaching.get(userId) === settled) attaching.delete(userId);
      });
      return turn;
    },

    async close() {
      clearInterval(sweeper);
      images.close();
      await Promise.allSettled([...finishing.values()]);
      await storage.close();
    },
  };
}

function tooLarge(err: unknown): boolean {
  return err instanceof ParleyError && err.code === ErrorCode.IMAGE_TOO_LARGE;
}

function sentAlready(): ParleyError {
  return new ParleyError(ErrorCode.UNKNOWN_FILE, 'That file was already sent in another message: upload it again to send it again.');
}

function unknownFile(): ParleyError {
  return new ParleyError(ErrorCode.UNKNOWN_FILE, 'No such file in this conversation (it must be an upload of yours, finished, for this conversation).');
}

/** Sniffs, names and (an image) cleans a finished upload and keeps its record; undefined when it is not finished. */
async function record(storage: FileStorage, images: ImageCleaner, id: string): Promise<FileRecord | undefined> {
  const kept = await storage.record(id);
  if (kept) return kept;
  const upload = await storage.upload(id);
  if (!upload || upload.size === undefined || upload.offset !== upload.size || !upload.owner || !upload.conversation) return undefined;
  const sniffed = await sniff(() => storage.open(id));
  const made: FileRecord = {
    id,
    name: fileName(upload.suggestedName, sniffed),
    size: upload.size,
    type: sniffed.type,
    owner: upload.owner,
    conversation: upload.conversation,
    createdAt: Date.now(),
    // An image's variants are saved by now; the record naming them comes after.
    ...(await images.clean(storage, id, sniffed.type, upload.owner)),
  };
  await storage.saveRecord(made);
  return made;
}
