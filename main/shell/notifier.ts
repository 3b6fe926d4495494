/** Native notifications; a click brings the window forward and opens the server and room the message came from. */
import type { Notification as ElectronNotification } from 'electron';
import type { ChatNotification, FocusTarget } from '../../protocol/index';
import { notificationSpec, type NotificationPrefs } from '../notifications';

export interface NotifierDeps {
  /** Read at each notification, so a settings change applies to the next one. */
  prefs: () => NotificationPrefs;
  windowFocused: () => boolean;
  onClick: (target: FocusTarget) => void;
}

export function createNotifier(Notification: typeof ElectronNotification, deps: NotifierDeps): (n: ChatNotification) => void {
  // Electron drops the click handler of a notification that was garbage-collected: keep them alive.
  const live = new Set<ElectronNotification>();
  return (n) => {
    if (!Notification.isSupported()) return;
    const spec = notificationSpec(n, { ...deps.prefs(), windowFocused: deps.windowFocused() });
    if (!spec) return;
    const note = new Notification({ title: spec.title, body: spec.body, silent: spec.silent });
    live.add(note);
    note.on('click', () => {
      live.delete(note);
      deps.onClick(spec.target);
    });
    note.on('close', () => live.delete(note));
    note.show();
    if (live.size > 20) live.delete(live.values().next().value as ElectronNotification);
  };
}
