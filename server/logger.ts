/**
 * Structured JSON logs (pino) on stdout: one line per event, which App Service log streaming,
 * journald and container runtimes all pick up as is. Secrets never go into a log line: log
 * configuration through `redactUrl`.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function createLogger(level: LevelWithSilent = 'info', name = 'parley'): Logger {
  // iisnode (Windows App Service) captures output by wrapping process.stdout; pino's default
  // destination writes to file descriptor 1 directly and would bypass it.
  const destination = process.env.IISNODE_VERSION ? process.stdout : undefined;
  const options = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: ['password', '*.password', 'redisUrl', '*.redisUrl', 'joinCode', '*.joinCode', 'key', 'auth'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A connection string fit for a log: user info and query secrets removed. */
export function redactUrl(url: string): string {
  // Azure form: host:port,password=...,ssl=True
  if (!url.includes('://')) return url.replace(/password=[^,]*/gi, 'password=[redacted]');
  try {
    const u = new URL(url);
    if (u.password) u.password = '[redacted]';
    if (u.username && u.username !== 'default') u.username = '[redacted]';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
