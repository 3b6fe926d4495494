/**
 * The desktop app's API when running inside Parley Desktop; undefined in a plain browser. The preload's
 * `window.parley` is adapted once (desktop-api.ts): failed calls reject with a DesktopApiError whose
 * `code` is typed by the registry, which an error could not carry across the context bridge.
 */
import type { DesktopApi, DesktopBridge } from '../../protocol/index';
import { adaptDesktopBridge } from './desktop-api';

export { DesktopApiError, isDesktopApiError } from './desktop-api';

declare global {
  interface Window {
    /** The preload's bridge: read it through desktop(), never directly. */
    parley?: DesktopBridge;
  }
}

let adapted: { bridge: DesktopBridge; api: DesktopApi } | undefined;

export function desktop(): DesktopApi | undefined {
  const bridge = typeof window !== 'undefined' ? window.parley : undefined;
  if (!bridge) return undefined;
  if (adapted?.bridge !== bridge) adapted = { bridge, api: adaptDesktopBridge(bridge) };
  return adapted.api;
}
