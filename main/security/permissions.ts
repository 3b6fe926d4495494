/**
 * Session permission handlers. Chromium would otherwise grant many permissions to any page in the
 * window; Parley needs two, for its own renderer only: notifications, and writing the clipboard (the
 * Copy buttons next to a hosted session's address and join code; writing reveals nothing). Everything
 * else is denied: camera, microphone, geolocation, clipboard reads, HID/serial/USB, openExternal,
 * fullscreen…
 */
import { isRendererUrl, type RendererOrigins } from '../app-origin';

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/** setPermissionRequestHandler: grant only allowed permissions asked by our own renderer. */
export function decidePermissionRequest(permission: string, requestingUrl: string | undefined, origins: RendererOrigins): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isRendererUrl(requestingUrl, origins);
}

/** setPermissionCheckHandler: same answer for synchronous checks (`Notification.permission`, …). */
export function decidePermissionCheck(permission: string, requestingOrigin: string | undefined, origins: RendererOrigins): boolean {
  // Electron passes an origin here ("app://parley"), not a full URL; isRendererUrl accepts both.
  return ALLOWED_PERMISSIONS.has(permission) && isRendererUrl(requestingOrigin, origins);
}

/** setDevicePermissionHandler (HID, serial, USB): never. */
export function decideDevicePermission(): boolean {
  return false;
}
