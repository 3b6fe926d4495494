/**
 * The app:// scheme that serves the built renderer. Registered as standard + secure before `ready`
 * (so the page gets a real origin, `app://parley`, and counts as a secure context), then handled by
 * reading files through resolveAppFile's traversal rules and adding the CSP and nosniff headers.
 */
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME } from '../app-origin';
import { resolveAppFile } from '../security/app-files';
import { appResponseHeaders } from '../security/csp';

/** Must run before app `ready`. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } },
  ]);
}

export function handleAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppFile(request.method, request.url, rendererDir);
    if (!resolved.ok) return new Response(null, { status: resolved.status, headers: appResponseHeaders('text/plain; charset=utf-8') });
    try {
      const body = await readFile(resolved.path);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(resolved.contentType) });
    } catch {
      return new Response(null, { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
    }
  });
}
