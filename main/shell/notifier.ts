/** Native notifications; a click brings the window forward and opens the room the message came from. */
import type { Notification as ElectronNotification } from 'electron';
import type { ChatNotification } from '../../protocol/index';
import { notificationSpec } from '../notifications';

export interface NotifierDeps {
  enabled: () => boolean;
  windowFocused: () => boolean;
  onClick: (room: string) => void;
}

export function createNotifier(Notification: typeof ElectronNotification, deps: NotifierDeps): (n: ChatNotification) => void {
  // Electron drops the click handler of a notification that was garbage-collected: keep them alive.
  const live = new Set<ElectronNotification>();
  return (n) => {
    if (!Notification.isSupported()) return;
    const spec = notificationSpec(n, { enabled: deps.enabled(), windowFocused: deps.windowFocused() });
    if (!spec) return;
    const note = new Notification({ title: spec.title, body: spec.body, silent: spec.silent });
    live.add(note);
    note.on('click', () => {
      live.delete(note);
      deps.onClick(spec.room);
    });
    note.on('close', () => live.delete(note));
    note.show();
    if (live.size > 20) live.delete(live.values().next().value as ElectronNotification);
  };
}
