/** Standalone configuration of file sharing: sizes with units, the quota shares, the signing secret. */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../server/config';

describe('resolveConfig: files', () => {
  it('defaults to 100 MiB per file and 10 GiB in all, a tenth of it per user', () => {
    const config = resolveConfig({}, {});
    expect(config.uploadMaxBytes).toBe(100 * 1024 ** 2);
    expect(config.uploadQuotaBytes).toBe(10 * 1024 ** 3);
    expect(config.uploadUserQuotaBytes).toBeUndefined();
    expect(config.filesSecret).toBeUndefined();
  });

  it('reads sizes in bytes or with binary units, and FILES_SECRET', () => {
    const config = resolveConfig({}, { UPLOAD_MAX_BYTES: '512k', UPLOAD_QUOTA_BYTES: '2G', UPLOAD_USER_QUOTA_BYTES: '1048576', FILES_SECRET: 'f'.repeat(64) });
    expect(config).toMatchObject({ uploadMaxBytes: 512 * 1024, uploadQuotaBytes: 2 * 1024 ** 3, uploadUserQuotaBytes: 1024 ** 2, filesSecret: 'f'.repeat(64) });
  });

  it('names a bad size or a short secret', () => {
    expect(() => resolveConfig({}, { UPLOAD_MAX_BYTES: '100 MB' })).toThrow(/UPLOAD_MAX_BYTES: a size such as/);
    expect(() => resolveConfig({}, { FILES_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => resolveConfig({}, { FILES_SECRET: 'short' })).toThrow(/FILES_SECRET/);
  });
});

describe('resolveConfig: edit window', () => {
  it('EDIT_WINDOW_S defaults to an hour, takes 0 (never editable), and names a bad value', () => {
    expect(resolveConfig({}, {}).editWindowS).toBe(3600);
    expect(resolveConfig({}, { EDIT_WINDOW_S: '0' }).editWindowS).toBe(0);
    expect(resolveConfig({}, { EDIT_WINDOW_S: '900' }).editWindowS).toBe(900);
    for (const bad of ['-5', '1.5', 'an hour', '999999999999']) {
      expect(() => resolveConfig({}, { EDIT_WINDOW_S: bad }), bad).toThrow(/EDIT_WINDOW_S/);
    }
  });

  it('createRelay refuses an editWindowMs that is not a whole number of ms ≥ 0', async () => {
    const { createRelay } = await import('../../server/index');
    for (const bad of [-1, 1.5, Number.NaN]) await expect(createRelay({ port: 0, editWindowMs: bad })).rejects.toThrow(/editWindowMs/);
  });
});
