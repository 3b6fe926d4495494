/**
 * Standalone configuration: command-line flags first, then environment variables, then defaults.
 * Validated here, once, so a typo in App Service settings fails start-up with a message that names
 * the setting instead of surfacing later as a strange runtime error.
 */
import * as z from 'zod';
import { LOG_LEVELS } from './logger';
import { DEFAULT_ADDRESS_LIMITS } from './chat/address-limits';
import { DEFAULT_EXPIRY_MS } from './chat/expiry';
import { DEFAULT_HISTORY_LIMIT } from '../protocol/index';
import { parseLinkRooms } from './link/rooms';
import { DEFAULT_AZURE_CONTAINER, DEFAULT_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_QUOTA_BYTES } from './options';

export interface CliFlags {
  port?: string;
  host?: string;
  logLevel?: string;
  historyLimit?: string;
  dataDir?: string;
  redisUrl?: string;
  allowedOrigins?: string;
  trustProxy?: boolean;
  allowedHosts?: string;
  joinCode?: string;
  redisPrefix?: string;
  redisTlsCa?: string;
  staticDir?: string;
  instanceId?: string;
}

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+|app:\/\/[^/\s]+)$/, 'origins look like https://chat.example.com')));

// Bytes, or with a binary unit: 512K, 100M, 10G, 1T.
const byteSize = z
  .string()
  .regex(/^\d+[KMGT]?$/i, 'a size such as 104857600, 512K, 100M or 10G')
  .transform((v) => Number(v.replace(/[KMGT]$/i, '')) * 1024 ** ' KMGT'.indexOf(/[KMGT]$/i.test(v) ? v.slice(-1).toUpperCase() : ' '))
  .pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

const ConfigSchema = z.object({
  port: z.string().min(1),
  host: z.string().min(1),
  logLevel: z.enum(LOG_LEVELS as [string, ...string[]]),
  historyLimit: z.coerce.number().int().min(0).max(100_000),
  // DATA_DIR: where the durable store keeps history (without Redis); ':memory:' keeps it in memory only.
  dataDir: z.string().min(1),
  // HISTORY_MAX_AGE, in seconds once parsed: messages older than this are deleted (30d, 12h, 90m, 3600); 0 or unset: no limit.
  historyMaxAge: z
    .string()
    .regex(/^\d+[smhd]?$/, 'a duration such as 30d, 12h, 90m or 3600 (seconds)')
    .transform((v) => Number(v.replace(/[smhd]$/, '')) * ({ s: 1, m: 60, h: 3600, d: 86_400 } as Record<string, number>)[/[smhd]$/.test(v) ? v.slice(-1) : 's']!)
    .pipe(z.number().int().min(0).max(100 * 365 * 86_400)),
  // EDIT_WINDOW_S: how long a message stays editable by its author (protocol/edits.ts); 0: never.
  editWindowS: z.coerce.number().int().min(0).max(10 * 365 * 86_400),
  redisUrl: z.string().min(1).optional(),
  redisPrefix: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'a key prefix such as "parley:"'),
  redisTlsCa: z.string().min(1).optional(),
  presenceTtlMs: z.coerce.number().int().min(1000).max(600_000),
  allowedOrigins: csv,
  trustProxy: z.number().int().min(0).max(10),
  allowedHosts: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|[a-z0-9.-]+)$/, 'host names look like chat.example.com'))),
  joinCode: z.string().regex(/^[A-Za-z0-9-]{4,32}$/, 'join codes are 4–32 letters, digits or dashes').optional(),
  staticDir: z.string().optional(),
  instanceId: z.string().max(100).optional(),
  // HEALTH_TOKEN: a bearer token that unlocks /healthz details; HEALTH_DETAILS=public shows them to all.
  healthToken: z.string().min(16, 'use at least 16 characters').max(256).optional(),
  healthDetails: z.enum(['private', 'public']),
  // FAST_PATH=off: Socket.IO's stock delivery path, should an upgrade disagree with the tuning.
  fastPath: z.enum(['on', 'off']),
  // CONNECTIONS_PER_ADDRESS: raise it for many users behind one NAT (chat/address-limits.ts).
  connectionsPerAddress: z.coerce.number().int().min(1).max(1_000_000),
  // CONVERSATION_EXPIRY_S: idle rooms and DM logs are deleted after this long (chat/expiry.ts).
  conversationExpiryS: z.coerce.number().int().min(60).max(10 * 365 * 24 * 3600),
  // Files (docs/files.md): the largest upload, the relay's total and one user's share (default a tenth).
  uploadMaxBytes: byteSize,
  uploadQuotaBytes: byteSize,
  uploadUserQuotaBytes: byteSize.optional(),
  // IMAGE_MAX_PIXELS: larger images are refused, a decompression bomb among them (files/images.ts).
  imageMaxPixels: z
    .string()
    .regex(/^\d+(\.\d+)?M?$/i, 'a number of pixels, or of millions of pixels with M, e.g. 50M')
    .transform((v) => Math.round(parseFloat(v) * (/m$/i.test(v) ? 1e6 : 1)))
    .pipe(z.number().int().min(1, 'at least one pixel'))
    .optional(),
  // FILES_SECRET signs upload tokens and download URLs: every instance serving the same files needs the same.
  filesSecret: z.string().min(32, 'use at least 32 characters, e.g. the output of `openssl rand -hex 32`').max(512).optional(),
  // AZURE_STORAGE_CONNECTION_STRING: files in Azure Blob Storage, one container for every instance; unset: on this relay's disk.
  azureStorageConnectionString: z
    .string()
    .max(8192)
    .refine(blobConnectionString, 'an Azure Storage connection string: DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net, or BlobEndpoint=https://…;SharedAccessSignature=…')
    .optional(),
  // AZURE_STORAGE_CONTAINER: Azure's naming rules, checked here rather than by a 400 from Azure at start.
  azureStorageContainer: z
    .string()
    .regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, 'a container name: 3–63 lower-case letters, digits and single hyphens, e.g. parley-files')
    .optional(),
  // TLS_CERT / TLS_KEY: PEM files to serve HTTPS with; TLS=self-signed: a certificate made once and kept in DATA_DIR.
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  tls: z.enum(['self-signed', 'off']).optional(),
  // LINK_URL, LINK_ROOMS, LINK_KEY, LINK_JOIN_CODE, LINK_NAME: a link to another relay (server/link).
  linkUrl: z.string().regex(/^https?:\/\/[^\s/]+\/?$/, 'the other relay\'s address, such as https://chat.example.com').optional(),
  linkRooms: z.string().min(1).optional(),
  linkKey: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, '22–64 characters of A–Z a–z 0–9 _ -').optional(),
  linkJoinCode: z.string().regex(/^[A-Za-z0-9-]{4,32}$/, 'join codes are 4–32 letters, digits or dashes').optional(),
  linkName: z.string().min(1).max(32).optional(),
  // LINK_ACCEPT: who may send this relay link messages: 'any' (default) or the links' ids, comma-separated.
  linkAccept: z.union([
    z.literal('any'),
    z.string().transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'link ids are 22 characters of A–Z a–z 0–9 _ - (each link logs its own at start)')).min(1)),
  ]),
}).superRefine((c, ctx) => {
  if ((c.linkUrl === undefined) !== (c.linkRooms === undefined)) {
    ctx.addIssue({ code: 'custom', path: [c.linkUrl === undefined ? 'linkUrl' : 'linkRooms'], message: 'LINK_URL and LINK_ROOMS go together (the other relay, and which rooms to link)' });
  }
  if (c.linkRooms !== undefined) {
    try {
      parseLinkRooms(c.linkRooms);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['linkRooms'], message: (err as Error).message.replace(/^LINK_ROOMS: /, '') });
    }
  }
  // Pairing a link over TLS (protocol/pairing.ts) is not built yet: refused rather than half working.
  if (c.linkUrl !== undefined && c.joinCode !== undefined && (c.tls === 'self-signed' || c.tlsCert !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['linkUrl'], message: 'a link cannot join this relay yet when it serves TLS and asks for a join code' });
  }
  if (c.linkUrl?.startsWith('https:') && c.linkJoinCode !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['linkJoinCode'], message: 'a join code over https is proved by pairing, which links cannot do yet' });
  }
  if ((c.tlsCert === undefined) !== (c.tlsKey === undefined)) {
    ctx.addIssue({ code: 'custom', path: [c.tlsCert === undefined ? 'tlsCert' : 'tlsKey'], message: 'TLS_CERT and TLS_KEY go together (a PEM certificate and its private key)' });
  }
  // Over TLS a code is guessed only online, one guess per pairing start, so its length is all that stands
  // against a patient guesser: six characters at least (the desktop's codes have six, about 30 bits).
  if (c.joinCode !== undefined && (c.tls === 'self-signed' || c.tlsCert !== undefined) && c.joinCode.replace(/-/g, '').length < 6) {
    ctx.addIssue({ code: 'custom', path: ['joinCode'], message: 'over TLS, join codes need at least 6 letters or digits' });
  }
  if (c.tls === 'self-signed' && c.tlsCert !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['tls'], message: 'self-signed and TLS_CERT/TLS_KEY exclude each other: choose one' });
  }
  // A container alone would leave files on each instance's disk while the operator believes them shared.
  if (c.azureStorageContainer !== undefined && c.azureStorageConnectionString === undefined) {
    ctx.addIssue({ code: 'custom', path: ['azureStorageContainer'], message: 'set without AZURE_STORAGE_CONNECTION_STRING, which files in Azure need' });
  }
});

export type StandaloneConfig = Omit<z.infer<typeof ConfigSchema>, 'allowedOrigins' | 'allowedHosts' | 'azureStorageContainer'> & {
  allowedOrigins: string[] | '*';
  allowedHosts: string[] | 'any';
  azureStorageContainer: string;
};

/** TRUST_PROXY: "true"/"yes"/"on" = one proxy hop, a number = that many, anything else none. */
function proxyHops(v: string | undefined): number {
  if (v === undefined || v === '') return 0;
  if (/^(true|yes|on)$/i.test(v)) return 1;
  return /^\d+$/.test(v) ? Number(v) : -1;
}

export function resolveConfig(flags: CliFlags, env: NodeJS.ProcessEnv): StandaloneConfig {
  const raw = {
    // Azure Cloud Services and some hosts spell it in lower case.
    port: flags.port ?? env.PORT ?? env.port ?? '3000',
    // Loopback unless asked: a relay started by hand should not be on the network by surprise.
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    logLevel: (flags.logLevel ?? env.LOG_LEVEL ?? 'info').toLowerCase(),
    historyLimit: flags.historyLimit ?? env.HISTORY_LIMIT ?? String(DEFAULT_HISTORY_LIMIT),
    dataDir: flags.dataDir ?? (env.DATA_DIR || './data'),
    historyMaxAge: env.HISTORY_MAX_AGE || '0',
    editWindowS: env.EDIT_WINDOW_S || '3600',
    redisUrl: flags.redisUrl ?? (env.REDIS_URL || undefined),
    redisPrefix: flags.redisPrefix ?? env.REDIS_PREFIX ?? 'parley:',
    redisTlsCa: flags.redisTlsCa ?? (env.REDIS_TLS_CA || undefined),
    // How long a dead instance's users may linger in presence (heartbeat TTL); checks run at a third of it.
    presenceTtlMs: env.PRESENCE_TTL_MS ?? '15000',
    allowedOrigins: flags.allowedOrigins ?? env.ALLOWED_ORIGINS ?? '',
    trustProxy: flags.trustProxy ? 1 : proxyHops(env.TRUST_PROXY),
    // App Service and Container Apps tell the app its own host name; accept it without extra configuration.
    allowedHosts: [
      flags.allowedHosts ?? env.ALLOWED_HOSTS ?? '',
      env.WEBSITE_HOSTNAME ?? '',
      env.CONTAINER_APP_NAME && env.CONTAINER_APP_ENV_DNS_SUFFIX ? `${env.CONTAINER_APP_NAME}.${env.CONTAINER_APP_ENV_DNS_SUFFIX}` : '',
    ]
      .filter(Boolean)
      .join(','),
    joinCode: flags.joinCode ?? (env.JOIN_CODE || undefined),
    staticDir: flags.staticDir ?? env.STATIC_DIR,
    instanceId: flags.instanceId ?? env.WEBSITE_INSTANCE_ID ?? env.INSTANCE_ID,
    healthToken: env.HEALTH_TOKEN || undefined,
    healthDetails: (env.HEALTH_DETAILS || 'private').toLowerCase(),
    fastPath: (env.FAST_PATH || 'on').toLowerCase(),
    connectionsPerAddress: env.CONNECTIONS_PER_ADDRESS || String(DEFAULT_ADDRESS_LIMITS.connections),
    conversationExpiryS: env.CONVERSATION_EXPIRY_S || String(DEFAULT_EXPIRY_MS / 1000),
    uploadMaxBytes: env.UPLOAD_MAX_BYTES || String(DEFAULT_UPLOAD_MAX_BYTES),
    uploadQuotaBytes: env.UPLOAD_QUOTA_BYTES || String(DEFAULT_UPLOAD_QUOTA_BYTES),
    uploadUserQuotaBytes: env.UPLOAD_USER_QUOTA_BYTES || undefined,
    filesSecret: env.FILES_SECRET || undefined,
    imageMaxPixels: env.IMAGE_MAX_PIXELS || undefined,
    azureStorageConnectionString: env.AZURE_STORAGE_CONNECTION_STRING || undefined,
    azureStorageContainer: env.AZURE_STORAGE_CONTAINER || undefined,
    tlsCert: env.TLS_CERT || undefined,
    tlsKey: env.TLS_KEY || undefined,
    tls: env.TLS ? env.TLS.toLowerCase() : undefined,
    linkUrl: env.LINK_URL || undefined,
    linkRooms: env.LINK_ROOMS || undefined,
    linkKey: env.LINK_KEY || undefined,
    linkJoinCode: env.LINK_JOIN_CODE || undefined,
    linkName: env.LINK_NAME || undefined,
    linkAccept: (env.LINK_ACCEPT || 'any').trim(),
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${settingName(String(i.path[0]))}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { allowedOrigins, allowedHosts, azureStorageContainer, ...rest } = parsed.data;
  return {
    ...rest,
    azureStorageContainer: azureStorageContainer ?? DEFAULT_AZURE_CONTAINER,
    allowedOrigins: allowedOrigins.includes('*') ? '*' : allowedOrigins,
    allowedHosts: allowedHosts.includes('*') ? 'any' : allowedHosts,
  };
}

/**
 * The two shapes @azure/storage-blob accepts (an account key, or a SAS with its endpoint), or
 * Azurite's shorthand; keys are case-sensitive there, so here too.
 */
function blobConnectionString(value: string): boolean {
  if (/^UseDevelopmentStorage=true(;|$)/.test(value)) return true;
  const parts = new Map<string, string>();
  for (const segment of value.split(';')) {
    if (segment.trim() === '') continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) return false;
    parts.set(segment.slice(0, eq).trim(), segment.slice(eq + 1).trim());
  }
  const endpoint = parts.get('BlobEndpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) return false;
  if (parts.has('AccountKey')) {
    return (
      /^https?$/i.test(parts.get('DefaultEndpointsProtocol') ?? '') &&
      !!parts.get('AccountName') &&
      /^[A-Za-z0-9+/]+={0,2}$/.test(parts.get('AccountKey')!) &&
      (endpoint !== undefined || !!parts.get('EndpointSuffix'))
    );
  }
  return !!parts.get('SharedAccessSignature') && endpoint !== undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function settingName(key: string): string {
  const env = key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag} / ${env}`;
}
