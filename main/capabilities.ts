/**
 * What this OS and build support (protocol DesktopCapabilities), so the settings screen offers only
 * switches that do something. The platform comes in as an argument (the shell's DesktopProcess), so
 * tests and the desktop harness can play any OS.
 */
import type { DesktopCapabilities } from '../protocol/index';

/**
 * Electron's app.setLoginItemSettings works on macOS and Windows only; on Linux every desktop
 * environment has its own autostart scheme, which Electron does not cover.
 */
export function supportsStartAtLogin(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** @param updatesAvailable whether update checks can run in this build (UpdateChecks.available) */
export function desktopCapabilities(platform: NodeJS.Platform, updatesAvailable: boolean): DesktopCapabilities {
  return { startAtLogin: supportsStartAtLogin(platform), updates: updatesAvailable };
}
