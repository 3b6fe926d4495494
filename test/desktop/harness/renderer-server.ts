/**
 * Stands in for the app:// scheme. Chromium outside Electron cannot be taught a privileged custom
 * scheme, so the desktops' windows load the renderer from this loopback HTTP origin instead, the way
 * an unpackaged Parley loads it from a dev server (PARLEY_DEV_SERVER_URL). Every response is made by
 * the app's own app:// handler (main/shell/app-protocol.ts: the built files, its path rules and its
 * headers), and documents pass through the session's onHeadersReceived hook as Electron would run it
 * (main/shell/hardening.ts: the CSP). One server serves every desktop, as app://parley is one origin
 * for every installed app.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AppHandler = (request: Request) => Response | Promise<Response>;
export type HeadersHook = (
  details: { url: string; resourceType: string; responseHeaders: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export interface RendererServer {
  /** `http://127.0.0.1:<port>`: what the desktops get as PARLEY_DEV_SERVER_URL. */
  readonly origin: string;
  useHandler(handler: AppHandler): void;
  useHeadersHook(hook: HeadersHook): void;
  close(): Promise<void>;
}

export async function startRendererServer(): Promise<RendererServer> {
  let handler: AppHandler | null = null;
  let headersHook: HeadersHook | null = null;

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (!handler) {
        res.writeHead(503).end('no app:// handler registered yet');
        return;
      }
      const path = req.url ?? '/';
      const response = await handler(new Request(`app://parley${path === '/' ? '/index.html' : path}`, { method: req.method ?? 'GET' }));
      let headers: Record<string, string[]> = {};
      response.headers.forEach((value, name) => (headers[name] = [value]));
      // Electron runs onHeadersReceived for documents; a request for a page is a navigation.
      const isDocument = (req.headers['sec-fetch-dest'] ?? 'document') === 'document';
      if (headersHook) {
        const hook = headersHook;
        headers = await new Promise((resolve) =>
          hook({ url: path, resourceType: isDocument ? 'mainFrame' : 'other', responseHeaders: headers }, (r) => resolve(r.responseHeaders ?? headers)),
        );
      }
      res.writeHead(response.status, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    useHandler: (h) => void (handler = h),
    useHeadersHook: (h) => void (headersHook = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
