/**
 * GET /healthz for load balancers and App Service / Application Gateway probes. Answers from memory,
 * without touching Redis, so a probe is fast even when the backend hangs.
 *
 *  - 200 {status:"ok"}        serving, backend reachable
 *  - 200 {status:"degraded"}  serving local clients, shared backend (Redis) unreachable; taking the
 *                             instance out of rotation would not help, since all instances share it
 *  - 503 {status:"misconfigured"}  the backend refuses this instance (wrong password, untrusted
 *                             certificate): not ready; the details say why, without secrets
 *  - 503 {status:"stopping"}  shutting down; stop routing here
 *
 * Anonymous callers get the status alone: the host name, instance, connection count and backend
 * state help an attacker more than a probe. Details go to those the relay is told to show them to
 * (RelayOptions.healthDetails: everyone, or a bearer token compared in constant time).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type HealthStatus = 'ok' | 'degraded' | 'misconfigured' | 'stopping';

export interface HealthSource {
  status(): HealthStatus;
  /** Whether this request may see the details. */
  showDetails(req: IncomingMessage): boolean;
  details(req: IncomingMessage): Record<string, unknown>;
}

export function handleHealth(req: IncomingMessage, res: ServerResponse, source: HealthSource): void {
  const status = source.status();
  const body = JSON.stringify(source.showDetails(req) ? { status, ...source.details(req) } : { status });
  res.writeHead(status === 'ok' || status === 'degraded' ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The healthDetails policy as a request check. */
export function healthDetailsPolicy(policy: 'none' | 'public' | { token: string }): (req: IncomingMessage) => boolean {
  if (policy === 'none') return () => false;
  if (policy === 'public') return () => true;
  const want = digest(policy.token);
  return (req) => {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
    // Hashing first makes the comparison constant-time whatever the length presented.
    return timingSafeEqual(digest(header.slice('Bearer '.length)), want);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Process memory in MiB for the details: RSS alone cannot tell a leak (heap grows) from pages the allocator keeps. */
export function memoryMiB(): { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number } {
  const m = process.memoryUsage();
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  return { rss: mib(m.rss), heapUsed: mib(m.heapUsed), heapTotal: mib(m.heapTotal), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) };
}
