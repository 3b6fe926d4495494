/**
 * Guards for what a page may load in its window. The renderer is a single page: it never navigates,
 * and links leave through the external opener. So any navigation away from our origin is refused,
 * and every window.open is denied (web links are handed to the OS browser instead).
 */
import { isRendererUrl, type RendererOrigins } from '../app-origin';
import { vetExternalUrl } from './external';

/** For will-navigate / will-redirect / will-frame-navigate: true when the navigation must be prevented. */
export function shouldBlockNavigation(targetUrl: string, origins: RendererOrigins): boolean {
  return !isRendererUrl(targetUrl, origins);
}

export interface WindowOpenDecision {
  action: 'deny';
  /** Set when the URL should be opened in the system browser instead. */
  openExternally: string | null;
}

/** For setWindowOpenHandler: never a new Electron window; http(s)/mailto go to the OS through the vetted opener. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: vetExternalUrl(url) };
}
