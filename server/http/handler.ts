/** The relay's plain HTTP routes. Socket.IO claims /socket.io/ itself before this handler runs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleHealth, type HealthSource } from './health';
import type { Handler } from './static';

/**
 * @param routes paths served elsewhere (file uploads and downloads, server/files): true when it took
 *               the request. After the host check, so those requests are refused for foreign hosts too.
 */
export function requestHandler(
  allowHost: (req: IncomingMessage) => boolean,
  health: HealthSource,
  serveStatic: Handler | null,
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean,
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!allowHost(req)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: unknown host name\n');
      return;
    }
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/healthz') return handleHealth(req, res, health);
    if (routes?.(req, res)) return;
    if (serveStatic && (req.method === 'GET' || req.method === 'HEAD')) {
      return serveStatic(req, res, () => notFound(res));
    }
    notFound(res);
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('Not found\n');
}
