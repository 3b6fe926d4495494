/**
 * What one client address may ask of /uploads and /files: a rate of requests and a number in flight
 * at once. Tokens and signed URLs decide who may; these decide how much, so that one host with a
 * valid token cannot hold hundreds of sockets open in slow PATCHes or spin the relay on HEADs, and
 * people behind the same NAT still get their thumbnails (a conversation shows dozens at once).
 *
 * Loopback is not limited, for the reason the socket limits give (chat/address-limits.ts): it is the
 * desktop app's own window, or an untrusted proxy on this machine behind which everyone shares one
 * address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback } from '../chat/address-limits';
import { clientAddress, type ProxyHops } from '../http/forwarded';
import { MemoryRateLimiter, type BucketSpec } from '../stores/token-bucket';

export interface FileHttpLimitSpec {
  /** Requests per address to /uploads and /files together. */
  requests: BucketSpec;
  /** Requests per address being answered at once (an upload's PATCH lasts as long as its body). */
  inFlight: number;
}

export const DEFAULT_FILE_HTTP_LIMITS: FileHttpLimitSpec = {
  requests: { capacity: 300, perSecond: 10 },
  inFlight: 32,
};

export type FileHttpVerdict = { ok: true; done: () => void } | { ok: false; retryAfterS: number; reason: string };

export class FileHttpLimits {
  private readonly rate: MemoryRateLimiter;
  private readonly open = new Map<string, number>();

  constructor(
    readonly spec: FileHttpLimitSpec,
    private readonly hops: ProxyHops,
  ) {
    this.rate = new MemoryRateLimiter(spec.requests);
  }

  /** Admits a request; the caller calls `done` once, when the response has finished or the socket closed. */
  admit(req: IncomingMessage): FileHttpVerdict {
    const ip = clientAddress(req, this.hops);
    if (isLoopback(ip)) return { ok: true, done: () => {} };
    const open = this.open.get(ip) ?? 0;
    if (open >= this.spec.inFlight) {
      return { ok: false, retryAfterS: 1, reason: `At most ${this.spec.inFlight} file requests at once from one address.` };
    }
    const rate = this.rate.take(ip);
    if (!rate.ok) return { ok: false, retryAfterS: Math.max(1, Math.ceil(rate.retryAfterMs / 1000)), reason: 'Too many file requests from this address.' };
    this.open.set(ip, open + 1);
    let released = false;
    return {
      ok: true,
      done: () => {
        if (released) return;
        released = true;
        const left = (this.open.get(ip) ?? 1) - 1;
        if (left <= 0) this.open.delete(ip);
        else this.open.set(ip, left);
      },
    };
  }

  /** Admits `req` or answers 429 itself; an admitted request is counted until its response closes. */
  gate(req: IncomingMessage, res: ServerResponse, corsOrigin: (origin: string) => boolean): boolean {
    const verdict = this.admit(req);
    if (verdict.ok) {
      res.once('close', verdict.done);
      return true;
    }
    const origin = req.headers.origin;
    const body = `RATE_LIMITED: ${verdict.reason} Retry after ${verdict.retryAfterS} s.\n`;
    res.writeHead(429, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'retry-after': String(verdict.retryAfterS),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      // A page reads the refusal (and when to retry) only with CORS on it too.
      ...(origin && corsOrigin(origin) ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' } : {}),
    });
    res.end(body);
    return false;
  }
}
