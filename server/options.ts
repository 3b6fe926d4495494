/** Options of `createRelay`, their defaults, and their validation. */
import { DEFAULT_HISTORY_LIMIT, DEFAULT_ROOM } from '../protocol/index';
import type { Logger } from './logger';
import type { RateLimits } from './chat/context';
import type { ChatStores } from './stores/types';
import { toHops, type ProxyHops } from './http/forwarded';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from './chat/join-code';
import { DEFAULT_ADDRESS_LIMITS, type AddressLimitSpec } from './chat/address-limits';
import { expiryPolicy, type ExpiryPolicy } from './chat/expiry';
import { DEFAULT_FILE_HTTP_LIMITS, type FileHttpLimitSpec } from './files/http-limits';

export interface RelayOptions {
  /** TCP port (0 = any free port) or a pipe / Unix socket path. Default 0. */
  port?: number | string;
  /** Interface to bind. Default 127.0.0.1: an embedded relay is private unless LAN hosting asks otherwise. */
  host?: string;
  /** Messages kept per room and delivered at login. Default 200. */
  historyLimit?: number;
  /** A pino logger; default: a silent one. */
  logger?: Logger;
  /** Folder of the built web client, served at `/`. None when absent. */
  staticDir?: string | null;
  /** Browser origins allowed besides the relay's own and the desktop renderer's; '*' allows all. */
  allowedOrigins?: readonly string[] | '*';
  /**
   * Reverse proxies in front (App Service, Application Gateway): true for one, or the number of
   * hops. Their X-Forwarded-For/-Proto/-Host are believed; without this they are ignored.
   */
  trustProxy?: boolean | number;
  /**
   * Host names accepted in the `Host` header besides IP literals and localhost (DNS-rebinding
   * defence), or 'any'. Default: none, which suits a LAN or loopback relay.
   */
  allowedHosts?: readonly string[] | 'any';
  /** Require this join code from every client (LAN hosting). Over TLS it is proved by pairing, never sent. */
  joinCode?: string;
  /**
   * Serve HTTPS/WSS with this certificate and key (PEM). The relay reports the certificate's
   * SHA-256 fingerprint (`Relay.fingerprint`, /healthz details), which is how LAN clients trust it.
   */
  tls?: { cert: string; key: string };
  /** Pairing starts the relay answers in all, per second (chat/pairing-desk.ts PAIR_STARTS). */
  pairStarts?: { capacity: number; perSecond: number };
  /** Lockout after repeated wrong join codes from one address. */
  lockout?: LockoutPolicy;
  /** Shared state backend; default: the durable store under `dataDir`, or in-memory. The standalone entry passes Redis stores. */
  stores?: ChatStores;
  /**
   * Folder of the history database (stores/durable): history, rooms, DM logs and idempotency
   * records survive a restart. Unset or ':memory:': kept in memory only. Ignored when `stores` is given.
   */
  dataDir?: string;
  /** How long after sending a message its author may edit or delete it (protocol/edits.ts). Default an hour. */
  editWindowMs?: number;
  /** Messages older than this are deleted from the durable store; default: kept until the history limit pushes them out. */
  historyMaxAgeMs?: number;
  /** Idle rooms and DM logs are deleted after this long (chat/expiry.ts); default a week. */
  conversationExpiryMs?: number;
  /** Rate limits; defaults suit human chat. */
  limits?: Partial<RateLimits>;
  /** What one client address may hold (chat/address-limits.ts); defaults leave room for a NAT. */
  addressLimits?: Partial<AddressLimitSpec>;
  /** What one client address may ask of /uploads and /files (files/http-limits.ts). */
  fileHttpLimits?: Partial<FileHttpLimitSpec>;
  /** Socket.IO delivery-path tuning (chat/fast-broadcast.ts). Default on; off leaves Socket.IO stock. */
  fastPath?: boolean;
  /** How long presence changes are gathered before one delta goes out. Default 50 ms. */
  presenceFlushMs?: number;
  /** Time between telling clients about a shutdown and closing their connections. Default 250 ms. */
  shutdownGraceMs?: number;
  /** Identifies this instance in logs and /healthz. */
  instanceId?: string;
  /**
   * This relay's public id for links (protocol/link.ts, RELAY_ID_PATTERN), the same on every
   * instance of one deployment and across restarts. Default: kept in `dataDir` (made once), or new
   * per run without one (or with `stores` given: a Redis deployment passes its own).
   */
  relayId?: string;
  /**
   * Who may send link messages (protocol/link.ts): the user ids of the links this relay accepts
   * (a link's id is `userIdFromKey(LINK_KEY)`, logged by the link at start), or 'any'. Default 'any'.
   */
  linkSenders?: readonly string[] | 'any';
  /**
   * Who sees /healthz details (URL, instance, connection count, backend state): by default nobody,
   * anonymous probes get the status only. 'public' shows them to everyone (a private network); a
   * `{ token }` shows them to requests with `Authorization: Bearer <token>`.
   */
  healthDetails?: 'public' | { token: string };
  /** Socket.IO heartbeat; lower values notice dead peers sooner. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Largest file accepted for upload (docs/files.md). Default 100 MiB. */
  uploadMaxBytes?: number;
  /** Bytes all uploads on this relay may take together. Default 10 GiB. */
  uploadQuotaBytes?: number;
  /** Bytes one user's uploads may take. Default a tenth of uploadQuotaBytes. */
  uploadUserQuotaBytes?: number;
  /** A finished upload not sent in a message within this long is deleted. Default an hour. */
  unattachedUploadMs?: number;
  /** Images over this many pixels (width × height, all frames of an animation) are refused (files/images.ts). Default 50 million. */
  imageMaxPixels?: number;
  /**
   * Signs upload tokens and download URLs; at least 16 bytes. Instances serving the same files must
   * share it (FILES_SECRET). Default: one made on first start and kept in `<dataDir>/files/secret`,
   * or, without a data folder, a random one per start.
   */
  filesSecret?: string | Buffer;
  /**
   * Keep files in this Azure Blob Storage container (default `parley-files`, made if missing)
   * instead of under `dataDir`: every instance given the same one serves every file (docs/files.md).
   * Without `filesSecret`, the instances share a secret kept in the container.
   */
  azureStorage?: { connectionString: string; container?: string };
}

export const DEFAULT_UPLOAD_MAX_BYTES = 100 * 1024 ** 2;
export const DEFAULT_UPLOAD_QUOTA_BYTES = 10 * 1024 ** 3;
export const DEFAULT_AZURE_CONTAINER = 'parley-files';

/**
 * An hour: long enough to fix a typo or take back a message sent to the wrong room, short enough
 * that history read days ago does not change under its readers. EDIT_WINDOW_S sets it.
 */
export const DEFAULT_EDIT_WINDOW_MS = 3600 * 1000;

export const DEFAULT_LIMITS: RateLimits = {
  socketEvents: { capacity: 60, perSecond: 20 },
  userMessages: { capacity: 20, perSecond: 5 },
  // Ten rooms at once, then one a minute; thirty per address, then one every twenty seconds.
  roomsByUser: { capacity: 10, perSecond: 1 / 60 },
  roomsByAddress: { capacity: 30, perSecond: 1 / 20 },
  floodStrikes: 30,
  floodWindowMs: 10_000,
};

export interface ResolvedOptions {
  port: number | string;
  host: string;
  historyLimit: number;
  editWindowMs: number;
  staticDir: string | null;
  allowedOrigins: readonly string[] | '*';
  proxyHops: ProxyHops;
  allowedHosts: readonly string[] | 'any';
  joinCode: string | null;
  lockout: LockoutPolicy;
  limits: RateLimits;
  presenceFlushMs: number;
  shutdownGraceMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  lobby: string;
  healthDetails: 'none' | 'public' | { token: string };
  addressLimits: AddressLimitSpec;
  fastPath: boolean;
  expiry: ExpiryPolicy;
  uploads: { maxBytes: number; quotaBytes: number; userQuotaBytes: number; unattachedAfterMs?: number; httpLimits: FileHttpLimitSpec; imageMaxPixels?: number };
}

export function resolveOptions(opts: RelayOptions): ResolvedOptions {
  const historyLimit = opts.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(historyLimit) || historyLimit < 0 || historyLimit > 100_000) {
    throw new RangeError(`historyLimit must be an integer 0–100000 (got ${historyLimit}).`);
  }
  const editWindowMs = opts.editWindowMs ?? DEFAULT_EDIT_WINDOW_MS;
  if (!Number.isInteger(editWindowMs) || editWindowMs < 0) throw new RangeError(`editWindowMs must be a whole number of ms ≥ 0 (got ${editWindowMs}).`);
  return {
    port: opts.port ?? 0,
    editWindowMs,
    host: opts.host ?? '127.0.0.1',
    historyLimit,
    staticDir: opts.staticDir ?? null,
    allowedOrigins: opts.allowedOrigins ?? [],
    proxyHops: toHops(opts.trustProxy),
    allowedHosts: opts.allowedHosts ?? [],
    joinCode: opts.joinCode ? opts.joinCode : null,
    lockout: opts.lockout ?? DEFAULT_LOCKOUT,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    presenceFlushMs: opts.presenceFlushMs ?? 50,
    shutdownGraceMs: opts.shutdownGraceMs ?? 250,
    pingIntervalMs: opts.pingIntervalMs ?? 25_000,
    pingTimeoutMs: opts.pingTimeoutMs ?? 20_000,
    lobby: DEFAULT_ROOM,
    addressLimits: { ...DEFAULT_ADDRESS_LIMITS, ...opts.addressLimits },
    fastPath: opts.fastPath ?? true,
    expiry: expiryPolicy(opts.conversationExpiryMs),
    uploads: uploadLimits(opts),
    healthDetails: opts.healthDetails === 'public' || (typeof opts.healthDetails === 'object' && opts.healthDetails.token) ? opts.healthDetails : 'none',
  };
}

function uploadLimits(opts: RelayOptions): ResolvedOptions['uploads'] {
  const maxBytes = opts.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const quotaBytes = opts.uploadQuotaBytes ?? DEFAULT_UPLOAD_QUOTA_BYTES;
  const userQuotaBytes = opts.uploadUserQuotaBytes ?? Math.floor(quotaBytes / 10);
  for (const [name, value] of Object.entries({ uploadMaxBytes: maxBytes, uploadQuotaBytes: quotaBytes, uploadUserQuotaBytes: userQuotaBytes })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of bytes ≥ 0 (got ${value}).`);
  }
  const httpLimits = { ...DEFAULT_FILE_HTTP_LIMITS, ...opts.fileHttpLimits };
  if (opts.imageMaxPixels !== undefined && !(Number.isSafeInteger(opts.imageMaxPixels) && opts.imageMaxPixels > 0)) {
    throw new RangeError(`imageMaxPixels must be a whole number of pixels > 0 (got ${opts.imageMaxPixels}).`);
  }
  return {
    maxBytes,
    quotaBytes,
    userQuotaBytes,
    httpLimits,
    ...(opts.unattachedUploadMs === undefined ? {} : { unattachedAfterMs: opts.unattachedUploadMs }),
    ...(opts.imageMaxPixels === undefined ? {} : { imageMaxPixels: opts.imageMaxPixels }),
  };
}
