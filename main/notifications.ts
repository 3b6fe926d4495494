/**
 * Native notifications, as data: what the renderer asked for (validated by IPC) becomes title and
 * body text fit for the OS, or nothing when the user turned notifications off, globally or for the
 * saved server the message came from. Clicking one focuses the window and opens the server and
 * room it came from (the shell sends IpcChannel.focusRoom with the spec's target).
 */
import type { ChatNotification, DesktopSettings, FocusTarget, SavedServer } from '../protocol/index';

export const TITLE_MAX = 128;
export const BODY_MAX = 300;

export interface NativeNotificationSpec {
  title: string;
  body: string;
  /** What a click opens: exactly the server and room the page sent, so it can find them again. */
  target: FocusTarget;
  silent: boolean;
}

/** The settings a notification depends on (StoredSettings has them all). */
export type NotificationPrefs = Pick<DesktopSettings, 'notifications' | 'notificationSound' | 'savedServers'>;

export function notificationSpec(n: ChatNotification, opts: NotificationPrefs & { windowFocused: boolean }): NativeNotificationSpec | null {
  if (!opts.notifications || opts.windowFocused || !serverNotificationsOn(opts.savedServers, n.server)) return null;
  return {
    title: clip(oneLine(n.title), TITLE_MAX) || 'Parley',
    body: clip(n.body.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? '\n' : '')), BODY_MAX),
    target: { server: n.server, room: n.room },
    silent: !opts.notificationSound,
  };
}

/**
 * The self-test's notification (Settings and the connection doctor): shown whether or not the window
 * has focus and whatever the switches say, since the person just asked for it, but through the same
 * text rules and with the sound setting messages get, so it shows what a message would look like.
 */
export function testNotificationSpec(text: { title: string; body: string }, prefs: Pick<NotificationPrefs, 'notificationSound'>): Omit<NativeNotificationSpec, 'target'> {
  return { title: clip(oneLine(text.title), TITLE_MAX) || 'Parley', body: clip(text.body, BODY_MAX), silent: !prefs.notificationSound };
}

/**
 * Whether `server` may notify: only a saved server with `notifications: false` may not. Servers are
 * one per origin (as the renderer's server list keys them), so a saved URL matches by its origin.
 * The renderer mutes too; checking here as well keeps a muted server quiet whatever the page sends.
 */
export function serverNotificationsOn(saved: readonly SavedServer[], server: string): boolean {
  const origin = originOf(server);
  if (origin === null) return true;
  return !saved.some((s) => s.notifications === false && originOf(s.url) === origin);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
