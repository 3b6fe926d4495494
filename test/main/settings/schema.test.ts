/** The settings fields the settings screen added: defaults, what the renderer may set, and bad values refused one field at a time. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, DesktopSettingsPatchSchema, internalFields, MAX_SAVED_SERVERS, readSettings, SETTINGS_VERSION, toDesktopSettings } from '../../../main/settings/schema';

describe('settings schema: notification sound, updates, start at login, per-server notifications', () => {
  it('defaults: sound on, updates off, start at login off; still version 1', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ notificationSound: true, updates: false, startAtLogin: false });
    expect(SETTINGS_VERSION).toBe(1);
    expect(MAX_SAVED_SERVERS).toBe(50);
  });

  it('a file from before these fields reads with their defaults, without problems', () => {
    const { settings, problems, extra } = readSettings({ version: 1, nickname: 'Ana', notifications: false, savedServers: [{ name: 'Office', url: 'http://10.0.0.2:3000' }] });
    expect(problems).toEqual([]);
    expect(extra).toEqual({});
    expect(settings).toMatchObject({ nickname: 'Ana', notifications: false, notificationSound: true, updates: false, startAtLogin: false });
    expect(settings.savedServers).toEqual([{ name: 'Office', url: 'http://10.0.0.2:3000' }]);
  });

  it('an `updates` a file already held (an admin or an earlier version) keeps its value', () => {
    expect(readSettings({ version: 1, updates: true }).settings.updates).toBe(true);
  });

  it('reads and gives the renderer the new fields', () => {
    const raw = { version: 1, notificationSound: false, updates: true, startAtLogin: true, savedServers: [{ name: 'Quiet', url: 'https://chat.example.com', notifications: false }] };
    const { settings, problems } = readSettings(raw);
    expect(problems).toEqual([]);
    expect(toDesktopSettings(settings)).toMatchObject({ notificationSound: false, updates: true, startAtLogin: true, savedServers: [{ name: 'Quiet', url: 'https://chat.example.com', notifications: false }] });
    expect(toDesktopSettings(settings)).not.toHaveProperty('window');
  });

  it.each([
    ['notificationSound', 'yes'],
    ['notificationSound', 1],
    ['notificationSound', null],
    ['updates', 'true'],
    ['updates', 0],
    ['startAtLogin', 'on'],
    ['startAtLogin', null],
    ['savedServers', [{ name: 'x', url: 'https://x.example.com', notifications: 'off' }]],
    ['savedServers', [{ name: 'x', url: 'https://x.example.com', notifications: null }]],
  ])('a bad %s (%j) in the file costs that field only', (field, value) => {
    const { settings, problems } = readSettings({ version: 1, nickname: 'Ana', [field]: value });
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(settings.nickname).toBe('Ana');
    expect(settings[field as keyof typeof settings]).toEqual(DEFAULT_SETTINGS[field as keyof typeof DEFAULT_SETTINGS]);
  });

  it('the renderer may set each new field', () => {
    const patch = { notificationSound: false, updates: true, startAtLogin: true, savedServers: [{ name: 'Quiet', url: 'https://chat.example.com', notifications: false }, { name: 'Loud', url: 'http://10.0.0.2:3000' }] };
    expect(DesktopSettingsPatchSchema.parse(patch)).toEqual(patch);
  });

  it.each([
    { notificationSound: 'no' },
    { notificationSound: null },
    { updates: 1 },
    { updates: 'true' },
    { startAtLogin: 'yes' },
    { startAtLogin: {} },
    { savedServers: [{ name: 'x', url: 'https://x.example.com', notifications: 'off' }] },
    { savedServers: [{ name: 'x', url: 'https://x.example.com', notifications: true, sound: false }] },
  ])('the renderer cannot set %j', (patch) => {
    expect(DesktopSettingsPatchSchema.safeParse(patch).success).toBe(false);
  });

  it('`updates` is a renderer field now; only the window bounds and the certificate pins stay internal', () => {
    expect(Object.keys(internalFields)).toEqual(['window', 'pins']);
    expect(DesktopSettingsPatchSchema.safeParse({ window: { width: 800, height: 600 } }).success).toBe(false);
    // Pins change by a proved pairing (LAN addresses only), never through a settings patch.
    expect(DesktopSettingsPatchSchema.safeParse({ pins: { 'https://chat.example.com': { fingerprint: 'a'.repeat(64), pinnedAt: 1 } } }).success).toBe(false);
  });

  it('language: one of the six, or null for the OS’s; anything else is refused and costs only that field', () => {
    expect(DEFAULT_SETTINGS.language).toBeNull();
    expect(readSettings({ version: 1, language: 'ar' }).settings.language).toBe('ar');
    expect(DesktopSettingsPatchSchema.safeParse({ language: null }).success).toBe(true);
    for (const bad of ['xx', 'EN', 'de-DE', 5, true]) {
      expect(DesktopSettingsPatchSchema.safeParse({ language: bad }).success).toBe(false);
      const read = readSettings({ version: 1, nickname: 'Ana', language: bad });
      expect(read.settings).toMatchObject({ nickname: 'Ana', language: null });
      expect(read.problems.map((p) => p.field)).toEqual(['language']);
    }
  });
});
