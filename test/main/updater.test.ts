import { describe, expect, it } from 'vitest';
import { updaterConfig } from '../../main/updater';

describe('updaterConfig', () => {
  it('is off by default', () => {
    expect(updaterConfig({}, false, true).enabled).toBe(false);
  });

  it('needs a packaged app', () => {
    expect(updaterConfig({ PARLEY_UPDATES: '1', PARLEY_UPDATE_URL: 'https://u.example.com/' }, false, false)).toMatchObject({ enabled: false, reason: expect.stringContaining('packaged') });
  });

  it('turns on from the setting or the environment, with a generic HTTPS feed', () => {
    expect(updaterConfig({ PARLEY_UPDATE_URL: 'https://u.example.com/parley/' }, true, true)).toMatchObject({ enabled: true, feed: { provider: 'generic', url: 'https://u.example.com/parley/' } });
    expect(updaterConfig({ PARLEY_UPDATES: '1', PARLEY_UPDATE_URL: 'https://u.example.com/' }, false, true).enabled).toBe(true);
  });

  it('lets the environment turn it off against the setting', () => {
    expect(updaterConfig({ PARLEY_UPDATES: '0', PARLEY_UPDATE_URL: 'https://u.example.com/' }, true, true).enabled).toBe(false);
  });

  it('supports a GitHub feed', () => {
    expect(updaterConfig({ PARLEY_UPDATES: 'true', PARLEY_UPDATE_GITHUB: 'parley-team/parley' }, false, true)).toMatchObject({ enabled: true, feed: { provider: 'github', owner: 'parley-team', repo: 'parley' } });
  });

  it('refuses feeds without TLS, with credentials, or malformed', () => {
    for (const env of [{ PARLEY_UPDATE_URL: 'http://u.example.com/' }, { PARLEY_UPDATE_URL: 'https://a:b@u.example.com/' }, { PARLEY_UPDATE_URL: 'nope' }, { PARLEY_UPDATE_GITHUB: 'no-slash' }, { PARLEY_UPDATE_GITHUB: 'a/b/c' }, {}]) {
      expect(updaterConfig({ PARLEY_UPDATES: '1', ...env }, false, true).enabled, JSON.stringify(env)).toBe(false);
    }
  });
});
