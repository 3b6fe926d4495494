/**
 * Wires the plain security decisions of main/security to Electron: every web contents gets the
 * navigation guard and the window-open handler, the session gets the permission handlers and the
 * CSP header.
 */
import type { Session, WebContents } from 'electron';
import type { RendererOrigins } from '../app-origin';
import { withCsp } from '../security/csp';
import { decideWindowOpen, shouldBlockNavigation } from '../security/navigation';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../security/permissions';

export interface HardeningDeps {
  origins: RendererOrigins;
  /** The vetted opener (security/external.ts createExternalOpener around shell.openExternal). */
  openExternal: (url: string) => Promise<boolean>;
  log: (msg: string, detail?: object) => void;
}

/** For app.on('web-contents-created'): applies to every window, webview or devtools page ever created. */
export function hardenWebContents(contents: WebContents, deps: HardeningDeps): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (shouldBlockNavigation(url, deps.origins)) {
      event.preventDefault();
      deps.log('blocked navigation', { url: url.slice(0, 200) });
    }
  };
  contents.on('will-navigate', (event, url) => guard(event, url));
  contents.on('will-redirect', (event, url) => guard(event, url));
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void deps.openExternal(decision.openExternally);
    else deps.log('blocked window.open', { url: url.slice(0, 200) });
    return { action: decision.action };
  });
}

export function hardenSession(session: Session, deps: HardeningDeps): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(decidePermissionRequest(permission, details.requestingUrl, deps.origins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermissionCheck(permission, requestingOrigin, deps.origins));
  session.setDevicePermissionHandler(() => decideDevicePermission());
  // The app:// handler sets the CSP itself; this also covers the dev server's documents.
  session.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    callback(isDocument ? { responseHeaders: withCsp(details.responseHeaders) } : {});
  });
}
