import { describe, expect, it } from 'vitest';
import { createLoginItem, type LoginItemDeps } from '../../main/login-item';

function setup(platform: NodeJS.Platform, extra: Partial<LoginItemDeps> = {}) {
  const os = { openAtLogin: false };
  const set: unknown[] = [];
  const got: unknown[] = [];
  const logs: string[] = [];
  const item = createLoginItem({
    platform,
    getLoginItemSettings: (options) => {
      got.push(options);
      return { openAtLogin: os.openAtLogin };
    },
    setLoginItemSettings: (settings) => {
      set.push(settings);
      os.openAtLogin = settings.openAtLogin;
    },
    log: (msg) => logs.push(msg),
    ...extra,
  });
  return { item, os, set, got, logs };
}

describe('createLoginItem', () => {
  it.each(['darwin', 'win32'] as const)('on %s, writes the OS only when it differs from the setting', (platform) => {
    const { item, os, set } = setup(platform);
    item.apply(false); // start-up, default off: the OS agrees
    expect(set).toEqual([]);
    item.apply(true);
    item.apply(true); // another setting changed
    expect(set).toEqual([{ openAtLogin: true }]);
    item.apply(false);
    expect(set).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
    expect(os.openAtLogin).toBe(false);
  });

  it('at start, puts back a login item the OS lost while the setting is on', () => {
    const { item, set } = setup('darwin');
    item.apply(true);
    expect(set).toEqual([{ openAtLogin: true }]);
  });

  it('at start, leaves a login item the OS already has', () => {
    const { item, os, set } = setup('win32');
    os.openAtLogin = true;
    item.apply(true);
    expect(set).toEqual([]);
  });

  it.each(['linux', 'freebsd'] as const)('does nothing on %s', (platform) => {
    const { item, set, got } = setup(platform);
    item.apply(true);
    item.apply(false);
    expect([...set, ...got]).toEqual([]);
  });

  it('on Windows, names what to start (an unpackaged checkout); macOS ignores it', () => {
    const launch = { path: 'C:\\electron\\electron.exe', args: ['C:\\src\\parley'] };
    const win = setup('win32', { launch });
    win.item.apply(true);
    expect(win.got).toEqual([launch]);
    expect(win.set).toEqual([{ openAtLogin: true, ...launch }]);
    const mac = setup('darwin', { launch });
    mac.item.apply(true);
    expect(mac.got).toEqual([undefined]);
    expect(mac.set).toEqual([{ openAtLogin: true }]);
  });

  it('writes when the OS cannot say, and tries again after a failed write', () => {
    let fail = true;
    const set: unknown[] = [];
    const logs: string[] = [];
    const item = createLoginItem({
      platform: 'win32',
      getLoginItemSettings: () => {
        throw new Error('no registry');
      },
      setLoginItemSettings: (settings) => {
        if (fail) throw new Error('access denied');
        set.push(settings);
      },
      log: (msg) => logs.push(msg),
    });
    item.apply(true);
    expect(logs).toEqual(['start at login could not be changed']);
    fail = false;
    item.apply(true);
    expect(set).toEqual([{ openAtLogin: true }]);
  });
});
