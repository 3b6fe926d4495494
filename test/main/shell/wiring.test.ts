/**
 * These checks read main/shell's source (desktop.ts holds the wiring; index.ts only hands it Electron) to make
 * sure the security wiring the plain modules rely on is actually in place.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = (file: string) => readFileSync(`main/shell/${file}`, 'utf8');

describe('main/shell wiring', () => {
  const index = src('desktop.ts');

  it('registers the app:// scheme and takes the single-instance lock before anything waits for ready', () => {
    const scheme = index.indexOf('registerAppScheme(electron.protocol);');
    const lock = index.indexOf('app.requestSingleInstanceLock()');
    const ready = index.indexOf('await app.whenReady()');
    expect(scheme).toBeGreaterThan(0);
    expect(lock).toBeGreaterThan(scheme);
    expect(ready).toBeGreaterThan(lock);
    expect(src('app-protocol.ts')).toMatch(/standard: true, secure: true/);
  });

  it('hardens every web contents and the session', () => {
    expect(index).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => hardenWebContents\(contents, hardening\)\)/);
    expect(index).toMatch(/hardenSession\(session\.defaultSession, hardening\)/);
    const hardening = src('hardening.ts');
    for (const hook of ["'will-navigate'", "'will-redirect'", "'will-frame-navigate'", "'will-attach-webview'", 'setWindowOpenHandler', 'setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler', 'onHeadersReceived']) {
      expect(hardening, hook).toContain(hook);
    }
  });

  it('opens external links only through the vetted opener', () => {
    const all = ['index.ts', 'desktop.ts', 'hardening.ts', 'window.ts', 'tray.ts', 'notifier.ts', 'app-protocol.ts', 'renderer-channel.ts', 'updater.ts'].map(src).join('\n');
    expect(all.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(index).toMatch(/createExternalOpener\(\(url\) => shell\.openExternal\(url\)/);
  });

  it('stops the relay and discovery before quitting', () => {
    expect(index).toMatch(/app\.on\('before-quit'[\s\S]*host\.stop\(\)[\s\S]*discovery\.stop\(\)/);
  });

  it('forwards deep links from a second instance and from macOS open-url', () => {
    expect(index).toMatch(/app\.on\('second-instance'[\s\S]*deepLinkFromArgv\(argv\)/);
    expect(index).toMatch(/app\.on\('open-url'[\s\S]*parseDeepLink\(url\)/);
  });

  it('sends a focus-room event with the server and room when a notification is clicked', () => {
    expect(index).toMatch(/onClick: \(target\) => \{[\s\S]*IpcChannel\.focusRoom, target/);
  });

  it('applies the OS-facing settings at start and after every renderer update', () => {
    expect(index.match(/applySettings\(\);/g)).toHaveLength(2);
    expect(index).toMatch(/updateSettings: async \(patch\) => \{\s*await settings\.update\(patch\);\s*applySettings\(\);/);
    expect(index).toMatch(/loginItem\.apply\(current\.startAtLogin\)/);
    expect(index).toMatch(/updates\.apply\(current\.updates\)/);
  });

  it('the preload exposes one object, and never ipcRenderer itself', () => {
    const preload = readFileSync('main/preload/index.ts', 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\(\s*'parley',\s*createDesktopApi\(ipcRenderer,/);
    expect(readFileSync('main/preload/api.ts', 'utf8')).not.toMatch(/return ipc\b|ipcRenderer:|\bipc,/);
  });
});
