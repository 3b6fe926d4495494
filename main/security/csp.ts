/**
 * Content-Security-Policy for responses of the app:// scheme. Same policy as the meta tag in
 * renderer/index.html (scripts and styles only from the app itself, no inline code, no eval, no
 * plugins), stated as a header too so it also binds before the document parses. connect-src names
 * the schemes explicitly: the renderer talks to LAN relays over plain http/ws (a LAN has no
 * certificates) and to cloud relays over https/wss; which host is up to the user.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:", // shared images are drawn from fetched bytes (renderer/ui/blob-url.ts)
  "font-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers added to every app:// response. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

/** Sets or replaces the CSP in a header map from webRequest.onHeadersReceived (names are case-insensitive). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [APP_CSP];
  return out;
}
