/** The desktop app's preload API when running inside Parley Desktop; undefined in a plain browser. */
import type { DesktopApi } from '../../protocol/index';

declare global {
  interface Window {
    parley?: DesktopApi;
  }
}

export function desktop(): DesktopApi | undefined {
  return typeof window !== 'undefined' ? window.parley : undefined;
}
