import { request as httpRequest } from 'node:http';

export { freePort } from '../../deploy/local/free-port';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP GET over TCP or a Unix socket, with full control of the headers (fetch forbids Host/Origin). */
export function httpGet(target: { port?: number; socketPath?: string; host?: string }, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.host ?? '127.0.0.1', port: target.port, socketPath: target.socketPath, path, headers, method: 'GET' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Polls until GET `path` answers (any status); for processes that are still starting. */
export async function waitForHttp(target: { port?: number; socketPath?: string }, path = '/healthz', ms = 10_000): Promise<HttpResult> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await httpGet(target, path);
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
