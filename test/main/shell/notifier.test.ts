/** The notifier with a stand-in for Electron's Notification: silence from the setting, and a click's focus target. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FocusTarget } from '../../../protocol/index';
import { createNotifier } from '../../../main/shell/notifier';
import type { NotificationPrefs } from '../../../main/notifications';

function setup(prefs: Partial<NotificationPrefs> = {}, supported = true) {
  const shown: FakeNotification[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported = () => supported;
    constructor(readonly options: { title: string; body: string; silent: boolean }) {
      super();
    }
    show() {
      shown.push(this);
    }
  }
  const current: NotificationPrefs = { notifications: true, notificationSound: true, savedServers: [], ...prefs };
  const clicks: FocusTarget[] = [];
  const notify = createNotifier(FakeNotification as unknown as Parameters<typeof createNotifier>[0], {
    prefs: () => current,
    windowFocused: () => false,
    onClick: (target) => clicks.push(target),
  });
  return { notify, shown, clicks, current };
}

const message = { title: 'Ana · #design', body: 'look', room: 'design', server: 'http://10.0.0.5:3000' };

describe('createNotifier', () => {
  it('makes a sound by default, and none when the sound setting is off (read at each notification)', () => {
    const { notify, shown, current } = setup();
    notify(message);
    current.notificationSound = false;
    notify(message);
    expect(shown.map((n) => n.options)).toEqual([
      { title: 'Ana · #design', body: 'look', silent: false },
      { title: 'Ana · #design', body: 'look', silent: true },
    ]);
  });

  it('calls back with the server and room of the clicked notification', () => {
    const { notify, shown, clicks } = setup();
    notify(message);
    notify({ ...message, room: 'lobby', server: 'https://chat.example.com' });
    shown[1]?.emit('click');
    shown[0]?.emit('click');
    expect(clicks).toEqual([
      { server: 'https://chat.example.com', room: 'lobby' },
      { server: 'http://10.0.0.5:3000', room: 'design' },
    ]);
  });

  it('shows nothing for a muted saved server, with notifications off, or where the OS has none', () => {
    const muted = setup({ savedServers: [{ name: 'LAN', url: 'http://10.0.0.5:3000', notifications: false }] });
    muted.notify(message);
    expect(muted.shown).toEqual([]);
    const off = setup({ notifications: false });
    off.notify(message);
    expect(off.shown).toEqual([]);
    const unsupported = setup({}, false);
    unsupported.notify(message);
    expect(unsupported.shown).toEqual([]);
  });
});
