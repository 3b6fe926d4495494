/**
 * The window options against Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security), as the constructor receives them,
 * plus a static check that main/ creates windows only through createSecureWindow.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_VERSION_SWITCH, createSecureWindow, windowOptionsFor, type ParleyWindowOptions } from '../../../main/security/window-options';

const input = { preloadPath: '/app/dist/preload/index.cjs', bounds: { x: 10, y: 20, width: 900, height: 700 }, appVersion: '1.2.3', devTools: false, dark: false };

describe('createSecureWindow', () => {
  it('passes the checklist settings to the constructor', () => {
    const seen: ParleyWindowOptions[] = [];
    class FakeWindow {
      constructor(options: ParleyWindowOptions) {
        seen.push(options);
      }
    }
    const win = createSecureWindow(FakeWindow, input);
    expect(win).toBeInstanceOf(FakeWindow);
    expect(seen).toHaveLength(1);
    const web = seen[0]?.webPreferences;
    expect(web).toMatchObject({
      contextIsolation: true, // 3. context isolation
      sandbox: true, // 4. process sandboxing
      nodeIntegration: false, // 2. no Node.js integration for remote content
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // 6. do not disable webSecurity
      allowRunningInsecureContent: false, // 8. no insecure content
      experimentalFeatures: false, // 9. no experimental features
      webviewTag: false, // 12. no <webview>
      navigateOnDragDrop: false, // 13. dropping a file or link must not navigate
      preload: input.preloadPath,
    });
    // 10. no enableBlinkFeatures; Auxclick disabled so middle-click cannot open windows.
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web?.disableBlinkFeatures).toBe('Auxclick');
    // Nothing that loosens the defaults sneaks in.
    for (const key of ['nodeIntegration', 'webSecurity', 'contextIsolation', 'sandbox']) expect(Object.keys(web ?? {}).filter((k) => k === key)).toHaveLength(1);
    expect(web).not.toHaveProperty('enableRemoteModule');
    expect(web).not.toHaveProperty('plugins');
    expect(web?.devTools).toBe(false);
    expect(web?.additionalArguments).toEqual([`${APP_VERSION_SWITCH}1.2.3`]);
  });

  it('uses the given bounds and starts hidden', () => {
    expect(windowOptionsFor(input)).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false });
    const firstRun = windowOptionsFor({ ...input, bounds: { width: 900, height: 700 } });
    expect(firstRun).not.toHaveProperty('x');
  });

  it('refuses an ESM preload, which a sandboxed renderer cannot load', () => {
    expect(() => windowOptionsFor({ ...input, preloadPath: '/app/dist/preload/index.js' })).toThrow(/CommonJS/);
  });

  it('never passes a version string that could smuggle a switch', () => {
    expect(windowOptionsFor({ ...input, appVersion: '1.0 --inspect' }).webPreferences.additionalArguments).toEqual([`${APP_VERSION_SWITCH}0.0.0`]);
  });
});

describe('main/ source', () => {
  const files = listTs('main');
  const read = (f: string) => readFileSync(f, 'utf8');

  it('creates windows only through createSecureWindow', () => {
    const offenders = files.filter((f) => f !== join('main', 'security', 'window-options.ts') && /new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/.test(read(f)));
    expect(offenders).toEqual([]);
    const shellWindow = read(join('main', 'shell', 'window.ts'));
    expect(shellWindow).toMatch(/createSecureWindow\(BrowserWindow,/);
    // The options are not altered after the fact.
    expect(shellWindow).not.toMatch(/webPreferences/);
  });

  it('never weakens a security setting anywhere', () => {
    const weak = /(nodeIntegration\w*|webviewTag|allowRunningInsecureContent|experimentalFeatures)\s*:\s*true|(contextIsolation|sandbox|webSecurity)\s*:\s*false|enableBlinkFeatures|setSecurityWarnings|ELECTRON_DISABLE_SECURITY_WARNINGS|'--no-sandbox'|disable-web-security/;
    expect(files.filter((f) => weak.test(read(f)))).toEqual([]);
  });

  it('loads the renderer from app:// or the vetted dev server, never from file://', () => {
    expect(files.filter((f) => /loadFile\(|file:\/\/'/.test(read(f)))).toEqual([]);
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
