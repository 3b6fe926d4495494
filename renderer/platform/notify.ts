/**
 * Notifications for messages that arrive while the window is hidden or unfocused: the desktop's
 * native ones through the preload API, or the browser's Notification API (permission is asked on the
 * Join click, a user gesture, and never again if refused).
 */
import type { ChatMessage } from '../../protocol/index';
import { desktop } from './desktop';

export async function askNotificationPermission(): Promise<void> {
  if (desktop() || typeof Notification === 'undefined') return;
  if (Notification.permission === 'default') {
    try {
      await Notification.requestPermission();
    } catch {
      /* older browsers: callback form only; not worth supporting */
    }
  }
}

export function windowIsAttended(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** `server`: the origin of the server the message came from; a click opens it (main sends it back with the room). */
export function notifyMessage(title: string, message: ChatMessage, server: string, onClick: () => void): void {
  const body = message.message.length > 140 ? `${message.message.slice(0, 139)}…` : message.message;
  const api = desktop();
  if (api) {
    api.notify({ title, body, room: message.room, server });
    return;
  }
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag: `${server} ${message.room}` });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
