/** Native notifications; a click brings the window forward and opens the server and room the message came from. */
import { randomUUID } from 'node:crypto';
import type { Notification as ElectronNotification } from 'electron';
import type { ChatNotification, FocusTarget, NotificationTestResult } from '../../protocol/index';
import { notificationSpec, testNotificationSpec, type NotificationPrefs } from '../notifications';

export interface NotifierDeps {
  /** Read at each notification, so a settings change applies to the next one. */
  prefs: () => NotificationPrefs;
  windowFocused: () => boolean;
  onClick: (target: FocusTarget) => void;
}

export interface TestNotifierDeps {
  prefs: () => NotificationPrefs;
  /** The test notification's words, in the app's language. */
  text: () => { title: string; body: string };
  onClick: (id: string) => void;
}

const MAX_LIVE = 20;

/** Shows one notification and keeps it alive until clicked or closed. */
function show(Notification: typeof ElectronNotification, live: Set<ElectronNotification>, spec: { title: string; body: string; silent: boolean }, onClick: () => void): void {
  const note = new Notification({ title: spec.title, body: spec.body, silent: spec.silent });
  live.add(note);
  note.on('click', () => {
    live.delete(note);
    onClick();
  });
  note.on('close', () => live.delete(note));
  note.show();
  if (live.size > MAX_LIVE) live.delete(live.values().next().value as ElectronNotification);
}

export function createNotifier(Notification: typeof ElectronNotification, deps: NotifierDeps): (n: ChatNotification) => void {
  // Electron drops the click handler of a notification that was garbage-collected: keep them alive.
  const live = new Set<ElectronNotification>();
  return (n) => {
    if (!Notification.isSupported()) return;
    const spec = notificationSpec(n, { ...deps.prefs(), windowFocused: deps.windowFocused() });
    if (!spec) return;
    show(Notification, live, spec, () => deps.onClick(spec.target));
  };
}

/** The notification self-test: one notification on request, its click reported with the test's id. */
export function createTestNotifier(Notification: typeof ElectronNotification, deps: TestNotifierDeps): () => NotificationTestResult {
  const live = new Set<ElectronNotification>();
  return () => {
    const id = randomUUID();
    if (!Notification.isSupported()) return { id, supported: false, shown: false };
    show(Notification, live, testNotificationSpec(deps.text(), deps.prefs()), () => deps.onClick(id));
    return { id, supported: true, shown: true };
  };
}
