/**
 * Where the desktop renderer comes from. Production loads it from `app://parley/` (a privileged,
 * standard + secure custom scheme served by main/shell/app-protocol.ts); development may load Vite's
 * dev server instead, but only from loopback. Everything that trusts "our renderer" (IPC sender checks,
 * navigation guard, permission handlers) asks these functions, so there is one definition of it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'parley';
/** Must equal server/http/origin.ts DESKTOP_RENDERER_ORIGIN: the relay accepts sockets from it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The origins the renderer may be served from in this run. */
export interface RendererOrigins {
  /** `http://localhost:5173`-style origin of a dev server, or null in production. */
  devServer: string | null;
}

/**
 * Accepts a dev-server URL only when it is plain http on loopback: a remote or https URL here would
 * hand our preload API to whatever that server sends. Returns the origin, or null when refused.
 */
export function devServerOrigin(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || url.username || url.password) return null;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
  return url.origin;
}

/**
 * True when `raw` is a page of our renderer. WHATWG URL gives non-special schemes an opaque origin
 * ("null"), so app:// is compared by scheme and host rather than by `origin`.
 */
export function isRendererUrl(raw: string | undefined | null, origins: RendererOrigins): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === `${APP_SCHEME}:`) return url.host.toLowerCase() === APP_HOST;
  return origins.devServer !== null && url.origin === origins.devServer;
}
