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
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type HealthStatus = 'ok' | 'degraded' | 'misconfigured' | 'stopping';

export interface HealthSource {
  status(): HealthStatus;
  details(req: IncomingMessage): Record<string, unknown>;
}

export function handleHealth(req: IncomingMessage, res: ServerResponse, source: HealthSource): void {
  const status = source.status();
  const body = JSON.stringify({ status, ...source.details(req) });
  res.writeHead(status === 'ok' || status === 'degraded' ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
