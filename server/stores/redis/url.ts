/**
 * REDIS_URL forms, turned into ioredis options:
 *  - redis://[user:password@]host[:port][/db]
 *  - rediss://…                          (TLS; certificate always verified)
 *  - Azure:  name.redis.cache.windows.net:6380,password=…,ssl=True,abortConnect=False
 * Errors never contain the password.
 */
import type { RedisOptions } from 'ioredis';

export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

export interface ParsedRedisUrl {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db?: number;
}

export function parseRedisUrl(input: string): ParsedRedisUrl {
  const text = input.trim();
  if (text === '') throw new RedisConfigError('REDIS_URL is empty.');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? parseUri(text) : parseAzure(text);
}

function parseUri(text: string): ParsedRedisUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisConfigError('REDIS_URL is not a valid URL (expected redis://host:port or rediss://host:port).');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisConfigError(`REDIS_URL scheme ${url.protocol} is not supported (use redis:// or rediss://).`);
  }
  if (!url.hostname) throw new RedisConfigError('REDIS_URL has no host.');
  const out: ParsedRedisUrl = { host: url.hostname.replace(/^\[|\]$/g, ''), port: port(url.port || '6379'), tls: url.protocol === 'rediss:' };
  if (url.username) out.username = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '') {
    if (!/^\d+$/.test(db)) throw new RedisConfigError('REDIS_URL database must be a number (redis://host:6379/0).');
    out.db = Number(db);
  }
  return out;
}

/** StackExchange.Redis connection-string form, as the Azure portal shows it. */
function parseAzure(text: string): ParsedRedisUrl {
  const [endpoint, ...pairs] = text.split(',').map((s) => s.trim());
  const m = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(endpoint ?? '');
  if (!m) throw new RedisConfigError('REDIS_URL is neither a redis:// URL nor an Azure connection string (host:port,password=…,ssl=True).');
  const opts = new Map<string, string>();
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new RedisConfigError('REDIS_URL connection string has an entry without "=".');
    opts.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1));
  }
  const ssl = (opts.get('ssl') ?? 'false').toLowerCase() === 'true';
  const out: ParsedRedisUrl = { host: m[1]!, port: port(m[2] ?? (ssl ? '6380' : '6379')), tls: ssl };
  const password = opts.get('password');
  if (password) out.password = password;
  const user = opts.get('user');
  if (user) out.username = user;
  if (opts.has('defaultdatabase')) out.db = Number(opts.get('defaultdatabase'));
  return out;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new RedisConfigError('REDIS_URL port is not a valid port.');
  return n;
}

/** ioredis options for a parsed URL. TLS verifies the certificate and host name; `ca` adds a private CA. */
export function toIoredisOptions(p: ParsedRedisUrl, ca?: string | Buffer): RedisOptions {
  const opts: RedisOptions = { host: p.host, port: p.port };
  if (p.username) opts.username = p.username;
  if (p.password) opts.password = p.password;
  if (p.db !== undefined) opts.db = p.db;
  if (p.tls) opts.tls = { servername: p.host, ...(ca ? { ca } : {}) };
  return opts;
}

/** host:port and whether TLS is on: what a log line may say about the connection. */
export function describeRedis(p: ParsedRedisUrl): string {
  return `${p.tls ? 'rediss' : 'redis'}://${p.host}:${p.port}${p.db !== undefined ? `/${p.db}` : ''}`;
}
