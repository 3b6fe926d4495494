import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedFromAppUpdateYml, updaterConfig } from '../../main/updater';

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

  it('falls back to the feed published into the build (resources/app-update.yml), so the setting alone turns updates on', () => {
    const generic = 'provider: generic\nurl: https://updates.example.com/parley\nupdaterCacheDirName: parley-updater\n';
    expect(updaterConfig({}, true, true, generic)).toMatchObject({ enabled: true, feed: { provider: 'generic', url: 'https://updates.example.com/parley' } });
    const github = "owner: parley-team\nrepo: parley\nprovider: github\nupdaterCacheDirName: 'parley-updater'\n";
    expect(updaterConfig({}, true, true, github)).toMatchObject({ enabled: true, feed: { provider: 'github', owner: 'parley-team', repo: 'parley' } });
    // Still off unless turned on, and the environment's feed wins over the baked one.
    expect(updaterConfig({}, false, true, generic).enabled).toBe(false);
    expect(updaterConfig({ PARLEY_UPDATE_URL: 'https://other.example.com/' }, true, true, generic)).toMatchObject({ feed: { url: 'https://other.example.com/' } });
    // An explicit but invalid feed is refused, not swapped for the baked one.
    expect(updaterConfig({ PARLEY_UPDATE_URL: 'http://other.example.com/' }, true, true, generic).enabled).toBe(false);
  });

  it('ignores the repository placeholder and unsafe baked feeds', () => {
    for (const yml of [
      'provider: generic\nurl: https://updates.example.invalid/parley\n',
      'provider: generic\nurl: http://updates.example.com/parley\n',
      'provider: generic\nurl: https://user:pw@updates.example.com/\n',
      'provider: s3\nbucket: b\n',
      'provider: github\nowner: a/b\nrepo: c\n',
      '',
    ]) {
      expect(feedFromAppUpdateYml(yml), yml).toBeNull();
      expect(updaterConfig({}, true, true, yml).enabled, yml).toBe(false);
    }
  });

  it('accepts the file electron-builder writes from this repository\'s electron-builder.yml publish entry once a real URL is set', () => {
    const yml = readFileSync('electron-builder.yml', 'utf8');
    const placeholder = /publish:\n\s+provider: (\w+)\n\s+url: (\S+)/.exec(yml);
    expect(placeholder?.[1]).toBe('generic');
    expect(feedFromAppUpdateYml(`provider: generic\nurl: ${placeholder![2]}\n`)).toBeNull();
    expect(feedFromAppUpdateYml(`provider: generic\nurl: ${placeholder![2]!.replace('.invalid', '.com')}\n`)).not.toBeNull();
  });
});
