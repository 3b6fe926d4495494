/**
 * The only way a URL leaves the app for the operating system. shell.openExternal hands a string to
 * the OS, which will happily run `file:`, `smb:` or any registered custom scheme (a classic route to
 * code execution), so only web and mail links pass, without embedded credentials.
 */
export const EXTERNAL_SCHEMES: ReadonlySet<string> = new Set(['https:', 'http:', 'mailto:']);
const MAX_URL_LENGTH = 4096;

/** The normalised URL when it may be opened outside the app, otherwise null. */
export function vetExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  // Control characters and whitespace inside a URL have no business in a link and confuse OS handlers.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!EXTERNAL_SCHEMES.has(url.protocol)) return null;
  if (url.protocol === 'mailto:') return url.href;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

export type OpenExternal = (url: string) => Promise<void>;

/** Wraps the OS opener (shell.openExternal) so it only ever sees vetted URLs. Resolves false when refused or failed. */
export function createExternalOpener(open: OpenExternal, log?: (msg: string, detail?: object) => void): (raw: unknown) => Promise<boolean> {
  return async (raw) => {
    const url = vetExternalUrl(raw);
    if (url === null) {
      log?.('refused to open external URL', { url: typeof raw === 'string' ? raw.slice(0, 200) : typeof raw });
      return false;
    }
    try {
      await open(url);
      return true;
    } catch {
      return false;
    }
  };
}
