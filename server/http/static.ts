/**
 * Serves the built web client (the renderer) with headers that keep it locked down: a strict CSP
 * (scripts and styles only from this origin, no inline script, no plugins, no framing), no MIME
 * sniffing, no referrer. `connect-src` allows any http(s)/ws(s) origin because the connect screen may
 * join another relay than the one serving the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

export const WEB_CLIENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:", // shared images are drawn from fetched bytes (renderer/ui/blob-url.ts)
  "font-src 'self'",
  'connect-src * ws: wss:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A static handler for `dir`, or null when the client was not built. */
export function staticHandler(dir: string | null | undefined): Handler | null {
  if (!dir || !existsSync(dir)) return null;
  const serve = sirv(dir, {
    etag: true,
    gzip: false,
    brotli: false,
    setHeaders(res, pathname) {
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      if (pathname.endsWith('.html') || pathname === '/') {
        res.setHeader('content-security-policy', WEB_CLIENT_CSP);
        res.setHeader('cache-control', 'no-cache');
      } else if (pathname.startsWith('/assets/')) {
        // Vite fingerprints asset names, so they never change in place.
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  return (req, res, next) => serve(req, res, next);
}
