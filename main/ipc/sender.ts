/**
 * Who may talk to the main process: only the top frame of our own renderer. An iframe, a page the
 * window was somehow navigated to, or a frame that is already gone gets nothing, whatever it sends.
 */
import { isRendererUrl, type RendererOrigins } from '../app-origin';

/** The part of Electron's IpcMainEvent / IpcMainInvokeEvent that the check reads. */
export interface SenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: SenderEvent, origins: RendererOrigins): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isRendererUrl(frame.url, origins);
}
