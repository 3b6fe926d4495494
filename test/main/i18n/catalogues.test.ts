/**
 * The main process's words in the OS's language (main/i18n): its catalogues mirror English as the
 * page's do, the OS locale picks the language, and the tray, its menu and the settings notices use it.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesktopNotice } from '../../../protocol/index';
import { createTranslator, MAIN_CATALOGUES, mainLanguage } from '../../../main/i18n/index';
import { createSettingsStore } from '../../../main/settings/store';
import { createTray } from '../../../main/shell/tray';
import type { ElectronMain } from '../../../main/shell/electron-api';
import { trayTooltip } from '../../../main/tray';
import { checkCatalogue, checkSource } from '../../helpers/catalogues';

describe("main's catalogues", () => {
  it('English: a message with a count is plural', () => checkSource(MAIN_CATALOGUES.en));

  for (const [language, catalogue] of Object.entries(MAIN_CATALOGUES)) {
    it(`${language}: the English keys, its own plural forms, the same placeholders`, () => checkCatalogue(MAIN_CATALOGUES.en, language, catalogue));
  }

  it("follows the OS locale's language, English when Parley does not have it", () => {
    expect(mainLanguage('de-DE')).toBe('de');
    expect(mainLanguage('ar')).toBe('ar');
    expect(mainLanguage('pt_BR')).toBe('en');
    expect(mainLanguage('')).toBe('en');
  });
});

describe('the tray in German', () => {
  const de = createTranslator('de-DE');

  it('tooltip', () => {
    expect(trayTooltip(0, null, de)).toBe('Parley — keine ungelesenen Nachrichten');
    expect(trayTooltip(1, null, de)).toBe('Parley — 1 ungelesene Nachricht');
    expect(trayTooltip(250, 'Team', de)).toBe('Parley — 99+ ungelesene Nachrichten — hostet „Team“');
    // English stays what it was.
    expect(trayTooltip(1, null)).toBe('Parley — 1 unread message');
  });

  it('menu labels, while hosting and not', () => {
    const menus: { label?: string; enabled?: boolean }[][] = [];
    const tooltips: string[] = [];
    class FakeTray extends EventEmitter {
      setImage() {}
      setTitle() {}
      setToolTip(text: string) {
        tooltips.push(text);
      }
      setContextMenu(menu: { label?: string }[]) {
        menus.push(menu);
      }
      isDestroyed = () => false;
      destroy() {}
    }
    const electron = {
      app: { setBadgeCount: () => true },
      Menu: { buildFromTemplate: (template: unknown) => template },
      nativeImage: { createFromBitmap: () => ({ addRepresentation: () => undefined }) },
      Tray: FakeTray,
    } as unknown as Pick<ElectronMain, 'app' | 'Menu' | 'nativeImage' | 'Tray'>;
    const tray = createTray(electron, 'linux', { show() {}, stopHosting() {}, quit() {} }, () => undefined, de);
    expect(menus.at(-1)?.map((item) => item.label)).toEqual(['Parley anzeigen', 'Keine Sitzung gehostet', undefined, 'Parley beenden']);
    tray.setHosting('Freitagsrunde');
    tray.setUnread(3);
    expect(menus.at(-1)?.[1]).toMatchObject({ label: 'Hosten von „Freitagsrunde“ beenden', enabled: true });
    expect(tooltips.at(-1)).toBe('Parley — 3 ungelesene Nachrichten — hostet „Freitagsrunde“');
  });
});

describe('settings notices in the OS language', () => {
  it('a damaged file is reported in Japanese, the backup named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-i18n-'));
    try {
      writeFileSync(join(dir, 'settings.json'), '{ not json');
      const notices: DesktopNotice[] = [];
      const store = createSettingsStore({ dir, onNotice: (n) => notices.push(n), t: createTranslator('ja-JP') });
      await store.load();
      await store.flush();
      expect(notices).toHaveLength(1);
      // Two sentences, joined without a space as Japanese writes them.
      expect(notices[0]!.message).toMatch(/^設定ファイルが壊れていたため、既定値に戻しました。元のファイルは .*settings\.json\.corrupt-.* として残してあります。$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
