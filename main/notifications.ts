/**
 * Native notifications, as data: what the renderer asked for (validated by IPC) becomes title and
 * body text fit for the OS, or nothing when the user turned notifications off. Clicking one focuses
 * the window and the room it came from (the shell sends IpcChannel.focusRoom).
 */
import type { ChatNotification } from '../protocol/index';

export const TITLE_MAX = 128;
export const BODY_MAX = 300;

export interface NativeNotificationSpec {
  title: string;
  body: string;
  room: string;
  silent: boolean;
}

export function notificationSpec(n: ChatNotification, opts: { enabled: boolean; windowFocused: boolean }): NativeNotificationSpec | null {
  if (!opts.enabled || opts.windowFocused) return null;
  return { title: clip(oneLine(n.title), TITLE_MAX) || 'Parley', body: clip(n.body.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? '\n' : '')), BODY_MAX), room: n.room, silent: false };
}

function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
