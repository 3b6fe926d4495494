/** Update checks following the `updates` setting, with a stand-in for electron-updater and for the timers. */
import { describe, expect, it } from 'vitest';
import { createUpdateChecks, type AutoUpdaterLike } from '../../main/update-checks';
import { updaterConfig } from '../../main/updater';

const FEED_ENV = { PARLEY_UPDATE_URL: 'https://updates.example.com/parley/' };

function setup(options: { env?: Record<string, string>; packaged?: boolean; load?: () => Promise<AutoUpdaterLike> } = {}) {
  const checks: number[] = [];
  const feeds: unknown[] = [];
  const autoUpdater: AutoUpdaterLike = {
    autoDownload: false,
    allowPrerelease: true,
    autoInstallOnAppQuit: true,
    setFeedURL: (feed) => void feeds.push(feed),
    on: () => autoUpdater,
    checkForUpdatesAndNotify: async () => void checks.push(checks.length),
  };
  const timers = new Set<{ fn: () => void; ms: number }>();
  let loads = 0;
  const logs: string[] = [];
  const updates = createUpdateChecks({
    config: (setting) => updaterConfig(options.env ?? FEED_ENV, setting, options.packaged ?? true),
    load:
      options.load ??
      (async () => {
        loads++;
        return autoUpdater;
      }),
    log: (msg) => logs.push(msg),
    setInterval: (fn, ms) => {
      const timer = { fn, ms };
      timers.add(timer);
      return timer;
    },
    clearInterval: (timer) => void timers.delete(timer as { fn: () => void; ms: number }),
  });
  const tick = () => [...timers].forEach((t) => t.fn());
  return { updates, autoUpdater, checks, feeds, timers, tick, logs, loads: () => loads };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('update checks', () => {
  it('are available only in a packaged app with a feed, and not when PARLEY_UPDATES=0', () => {
    expect(setup().updates.available).toBe(true);
    expect(setup({ packaged: false }).updates.available).toBe(false);
    expect(setup({ env: {} }).updates.available).toBe(false);
    expect(setup({ env: { ...FEED_ENV, PARLEY_UPDATES: '0' } }).updates.available).toBe(false);
  });

  it('stay off (and electron-updater unloaded) while the setting is off', async () => {
    const { updates, checks, loads, logs } = setup();
    updates.apply(false);
    updates.apply(false);
    await settle();
    expect([updates.checking, checks.length, loads()]).toEqual([false, 0, 0]);
    expect(logs).toEqual(['auto-update off']);
  });

  it('turning on checks at once, then every interval; turning off stops future checks', async () => {
    const { updates, autoUpdater, checks, feeds, timers, tick } = setup();
    updates.apply(true);
    await settle();
    expect(updates.checking).toBe(true);
    expect(checks).toHaveLength(1);
    expect(feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.com/parley/' }]);
    expect(autoUpdater).toMatchObject({ autoDownload: true, allowPrerelease: false, autoInstallOnAppQuit: true });
    expect([...timers].map((t) => t.ms)).toEqual([6 * 60 * 60 * 1000]);
    tick();
    expect(checks).toHaveLength(2);

    // Another setting changed: no extra check, no second schedule.
    updates.apply(true);
    await settle();
    expect([checks.length, timers.size]).toEqual([2, 1]);

    updates.apply(false);
    await settle();
    expect([updates.checking, timers.size]).toEqual([false, 0]);
    expect(autoUpdater.autoInstallOnAppQuit).toBe(false);
    tick();
    expect(checks).toHaveLength(2);

    // On again: a check at once, one schedule, the feed set only once.
    updates.apply(true);
    await settle();
    expect([checks.length, timers.size, feeds.length]).toEqual([3, 1, 1]);
    expect(autoUpdater.autoInstallOnAppQuit).toBe(true);
  });

  it('an off while electron-updater is still loading wins', async () => {
    let release!: (u: AutoUpdaterLike) => void;
    const pending = new Promise<AutoUpdaterLike>((resolve) => (release = resolve));
    const { updates, autoUpdater, checks, timers } = setup({ load: () => pending });
    updates.apply(true);
    updates.apply(false);
    release(autoUpdater);
    await settle();
    expect([updates.checking, checks.length, timers.size]).toEqual([false, 0, 0]);
  });

  it('on, off and on again while loading gives one schedule', async () => {
    let release!: (u: AutoUpdaterLike) => void;
    const pending = new Promise<AutoUpdaterLike>((resolve) => (release = resolve));
    const { updates, autoUpdater, checks, timers } = setup({ load: () => pending });
    updates.apply(true);
    updates.apply(false);
    updates.apply(true);
    release(autoUpdater);
    await settle();
    expect([checks.length, timers.size]).toEqual([1, 1]);
  });

  it('never runs unpackaged or without a feed, whatever the setting', async () => {
    for (const options of [{ packaged: false }, { env: {} }]) {
      const { updates, checks, loads } = setup(options);
      updates.apply(true);
      await settle();
      expect([updates.checking, checks.length, loads()]).toEqual([false, 0, 0]);
    }
  });

  it('PARLEY_UPDATES=1 keeps checking even with the setting off', async () => {
    const { updates, checks } = setup({ env: { ...FEED_ENV, PARLEY_UPDATES: '1' } });
    updates.apply(false);
    await settle();
    expect([updates.checking, checks.length]).toEqual([true, 1]);
  });

  it('a failed load is logged and tried again at the next switch on', async () => {
    let attempts = 0;
    const { updates, autoUpdater, checks, logs } = setup({
      load: async () => {
        attempts++;
        if (attempts === 1) throw new Error('module missing');
        return autoUpdater;
      },
    });
    updates.apply(true);
    await settle();
    expect(logs).toContain('updater could not be loaded');
    updates.apply(false);
    updates.apply(true);
    await settle();
    expect([attempts, checks.length, updates.checking]).toEqual([2, 1, true]);
  });
});
