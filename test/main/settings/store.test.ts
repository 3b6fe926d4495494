import * as fs from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopNotice } from '../../../protocol/index';
import { DEFAULT_SETTINGS, DesktopSettingsPatchSchema } from '../../../main/settings/schema';
import { createSettingsStore, SETTINGS_FILE, type SettingsFs } from '../../../main/settings/store';

let dir: string;
let notices: DesktopNotice[];
const file = () => join(dir, SETTINGS_FILE);
const store = (extra: { fs?: SettingsFs; now?: () => Date } = {}) => createSettingsStore({ dir, onNotice: (n) => notices.push(n), now: () => new Date('2025-03-04T05:06:07.089Z'), ...extra });
const backups = async () => (await fs.readdir(dir)).filter((n) => n.includes('.corrupt-')).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-settings-'));
  notices = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings store', () => {
  it('starts from defaults when there is no file, without a notice', async () => {
    const s = store();
    expect(await s.load()).toEqual(DEFAULT_SETTINGS);
    expect(notices).toEqual([]);
    expect(s.desktop()).toEqual({ nickname: '', savedServers: [], lastServer: null, theme: 'system', notifications: true, notificationSound: true, updates: false, startAtLogin: false, language: null });
  });

  it('saves and reads back', async () => {
    const s = store();
    await s.load();
    await s.update({ nickname: 'Ana', theme: 'dark', savedServers: [{ name: 'Office', url: 'http://10.0.0.2:3000' }], window: { x: 1, y: 2, width: 800, height: 600 } });
    const again = store();
    expect(await again.load()).toMatchObject({ nickname: 'Ana', theme: 'dark', savedServers: [{ name: 'Office', url: 'http://10.0.0.2:3000' }], window: { x: 1, y: 2, width: 800, height: 600 } });
    expect(JSON.parse(await fs.readFile(file(), 'utf8')).version).toBe(1);
    // The renderer's view leaves internal fields out.
    expect(again.desktop()).not.toHaveProperty('window');
  });

  it('backs up a file that is not JSON, resets to defaults, and says so', async () => {
    await fs.writeFile(file(), '{"nickname": "Ana", ');
    const s = store();
    expect(await s.load()).toEqual(DEFAULT_SETTINGS);
    expect(await backups()).toEqual(['settings.json.corrupt-2025-03-04T05-06-07-089Z']);
    expect(await fs.readFile(join(dir, 'settings.json.corrupt-2025-03-04T05-06-07-089Z'), 'utf8')).toBe('{"nickname": "Ana", ');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning', message: expect.stringContaining('damaged') });
    expect(notices[0]?.message).toContain('corrupt-2025');
    // A fresh, valid file replaces it.
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({ version: 1, theme: 'system' });
  });

  it.each([['[]'], ['null'], ['"text"'], ['42'], ['']])('treats %j as damaged', async (content) => {
    await fs.writeFile(file(), content);
    expect(await store().load()).toEqual(DEFAULT_SETTINGS);
    expect(await backups()).toHaveLength(1);
    expect(notices).toHaveLength(1);
  });

  it('keeps good fields, resets bad ones, backs up the original, and names the fields', async () => {
    await fs.writeFile(file(), JSON.stringify({ version: 1, nickname: 'Bob', theme: 'purple', notifications: 'yes', lastServer: 'javascript:alert(1)' }));
    const loaded = await store().load();
    expect(loaded).toMatchObject({ nickname: 'Bob', theme: 'system', notifications: true, lastServer: null });
    expect(await backups()).toHaveLength(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toMatch(/theme, notifications, lastServer/);
  });

  it('keeps unknown fields (from a newer version) when it writes', async () => {
    await fs.writeFile(file(), JSON.stringify({ version: 1, nickname: 'Ana', futureFeature: { on: true } }));
    const s = store();
    await s.load();
    expect(notices).toEqual([]);
    await s.update({ theme: 'light' });
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toMatchObject({ futureFeature: { on: true }, nickname: 'Ana', theme: 'light' });
  });

  it('keeps a newer version number and does not migrate it down', async () => {
    await fs.writeFile(file(), JSON.stringify({ version: 7, nickname: 'Ana' }));
    const s = store();
    await s.load();
    await s.update({ theme: 'dark' });
    expect(JSON.parse(await fs.readFile(file(), 'utf8')).version).toBe(7);
  });

  it('migrates a file without a version', async () => {
    await fs.writeFile(file(), JSON.stringify({ nickname: 'Ana', theme: 'dark' }));
    expect(await store().load()).toMatchObject({ nickname: 'Ana', theme: 'dark' });
    expect(notices).toEqual([]);
  });

  it('ignores prototype-polluting keys', async () => {
    await fs.writeFile(file(), '{"__proto__": {"polluted": true}, "nickname": "Ana"}');
    const s = store();
    await s.load();
    await s.update({ theme: 'dark' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await fs.readFile(file(), 'utf8')).not.toContain('polluted');
  });

  it('removes temp files a crash left behind', async () => {
    await fs.writeFile(`${file()}.tmp-123-abcd`, 'half');
    await store().load();
    expect((await fs.readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('keeps at most five backups', async () => {
    for (let i = 0; i < 7; i++) {
      await fs.writeFile(file(), 'garbage');
      await store({ now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, i)) }).load();
    }
    expect(await backups()).toHaveLength(5);
    expect((await backups())[0]).toContain('2025-01-01T00-00-02');
  });

  it('keeps settings in memory and tells the user when saving fails', async () => {
    const failing: SettingsFs = { ...fs, rename: async () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' })) };
    const s = store({ fs: failing });
    await s.load();
    const result = await s.update({ nickname: 'Ana' });
    expect(result.nickname).toBe('Ana');
    expect(s.get().nickname).toBe('Ana');
    expect(notices).toEqual([{ level: 'error', message: expect.stringContaining('ENOSPC') }]);
    // The failed write left no temp file and no settings file.
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('serialises concurrent updates; the file ends with the last one', async () => {
    const s = store();
    await s.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.update({ nickname: `Ana${i}` })));
    await s.flush();
    expect(JSON.parse(await fs.readFile(file(), 'utf8')).nickname).toBe('Ana19');
  });

  it('drops the retired lastRoom of older files, whatever its value, without a notice or a backup', async () => {
    for (const lastRoom of ['design', 'Not A Room', 42]) {
      await fs.writeFile(file(), JSON.stringify({ version: 1, nickname: 'Ana', lastRoom, theme: 'dark' }));
      const s = store();
      expect(await s.load()).toMatchObject({ nickname: 'Ana', theme: 'dark' });
      expect(s.get()).not.toHaveProperty('lastRoom');
      expect(s.desktop()).not.toHaveProperty('lastRoom');
      await s.update({ notifications: false });
      const written = JSON.parse(await fs.readFile(file(), 'utf8')) as Record<string, unknown>;
      expect(written).toMatchObject({ version: 1, nickname: 'Ana', theme: 'dark', notifications: false });
      expect(written).not.toHaveProperty('lastRoom');
    }
    expect(notices).toEqual([]);
    expect(await backups()).toEqual([]);
  });

  it('never crashes on an unreadable file', async () => {
    await fs.mkdir(file()); // a directory where the file should be: EISDIR
    const s = store();
    expect(await s.load()).toEqual(DEFAULT_SETTINGS);
    expect(notices[0]).toMatchObject({ level: 'warning', message: expect.stringContaining('EISDIR') });
  });
});

describe('renderer patch schema', () => {
  it('accepts partial DesktopSettings', () => {
    expect(DesktopSettingsPatchSchema.parse({ nickname: 'Ana', lastServer: 'http://10.0.0.2:3000' })).toEqual({ nickname: 'Ana', lastServer: 'http://10.0.0.2:3000' });
    expect(DesktopSettingsPatchSchema.parse({})).toEqual({});
  });

  it('refuses internal fields, unknown fields and bad values', () => {
    for (const patch of [{ window: { width: 800, height: 600 } }, { evil: 1 }, { theme: 'neon' }, { nickname: 'a\u202Eb' }, { nickname: 'x'.repeat(40) }, { lastServer: 'file:///x' }, { savedServers: [{ name: 'x', url: 'smb://host' }] }, { lastRoom: 'design' }]) {
      expect(DesktopSettingsPatchSchema.safeParse(patch).success, JSON.stringify(patch)).toBe(false);
    }
  });
});
