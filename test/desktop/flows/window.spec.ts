/**
 * What the harness's window is, checked before any flow relies on it: the real preload's API and
 * nothing else on `window`, the app's CSP in force (inline scripts refused), and the IPC
 * handlers' sender check and argument validation answering the page.
 */
import { APP_CSP } from '../../../main/security/csp';
import { expect, test } from './support';

const API_KEYS = ['appVersion', 'checkLan', 'forgetCertificate', 'getCapabilities', 'getHostedSession', 'getSettings', 'hostSession', 'listLanSessions', 'listPinnedCertificates', 'notify', 'onCertificateRefused', 'onDoctorProgress', 'onFocusRoom', 'onJoinLink', 'onLanSessions', 'onNotice', 'onNotificationTestClick', 'onSystemResume', 'openExternal', 'pairWithLanHost', 'platform', 'rotateCertificate', 'runDoctor', 'setUnreadCount', 'stopHosting', 'testNotification', 'updateSettings'];

test('the window gets the preload API only, under the app CSP, and IPC validates what the page sends', async ({ launch, renderer }) => {
  const desktop = await launch();
  const page = await desktop.page();

  const seen = await page.evaluate(() => {
    const api = (window as unknown as { parley: Record<string, unknown> }).parley;
    return {
      keys: Object.keys(api).sort(),
      frozen: Object.isFrozen(api),
      platform: api.platform,
      version: api.appVersion,
      globals: Object.getOwnPropertyNames(window).filter((k) => /ipc|invoke|__parleySend|__parleyInvoke/i.test(k)),
      node: [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process],
    };
  });
  expect(seen).toEqual({ keys: API_KEYS, frozen: true, platform: 'linux', version: expect.stringMatching(/^\d+\.\d+\.\d+/), globals: [], node: ['undefined', 'undefined'] });

  const response = await page.request.get(`${renderer.origin}/index.html`);
  expect(response.headers()['content-security-policy']).toBe(APP_CSP);
  // An inline script (as an injected message would try) is refused by the CSP. (eval cannot be
  // checked from here: code that Playwright evaluates is exempt from the page's CSP.)
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
    return (window as unknown as Record<string, unknown>).inlineRan === true;
  });
  expect(inlineRan).toBe(false);
  expect(desktop.pageErrors.some((e) => /Content Security Policy/i.test(e))).toBe(true);

  // Bad arguments get the handlers' typed error, through the real preload.
  const refused = await page.evaluate(async () => {
    const api = (window as unknown as { parley: { updateSettings(p: unknown): Promise<unknown>; openExternal(u: string): Promise<boolean> } }).parley;
    const results: string[] = [];
    try {
      await api.updateSettings({ nickname: 'x'.repeat(500) });
    } catch (err) {
      results.push(`${(err as { code?: string }).code}`);
    }
    results.push(String(await api.openExternal('javascript:alert(1)').catch((e: { code?: string }) => e.code)));
    return results;
  });
  // The nickname fails validation (a typed error); the javascript: link passes the schema and is refused by the vetted opener.
  expect(refused).toEqual(['INVALID_ARGUMENT', 'false']);
  expect(desktop.opened).toEqual([]);
});
