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

describe('resolveConfig: files in Azure Blob Storage', () => {
  const KEY = Buffer.alloc(64, 7).toString('base64');
  const ACCOUNT = `DefaultEndpointsProtocol=https;AccountName=parleyfiles;AccountKey=${KEY};EndpointSuffix=core.windows.net`;

  it('is off by default; a connection string turns it on, with the container parley-files unless named', () => {
    expect(resolveConfig({}, {})).toMatchObject({ azureStorageConnectionString: undefined, azureStorageContainer: 'parley-files' });
    expect(resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: ACCOUNT })).toMatchObject({ azureStorageConnectionString: ACCOUNT, azureStorageContainer: 'parley-files' });
    const sas = 'BlobEndpoint=https://parleyfiles.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&ss=b&srt=sco&sp=rwdlac&sig=abc%3D';
    expect(resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: sas, AZURE_STORAGE_CONTAINER: 'chat-files-2' })).toMatchObject({ azureStorageConnectionString: sas, azureStorageContainer: 'chat-files-2' });
    expect(resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).azureStorageConnectionString).toBe('UseDevelopmentStorage=true');
  });

  it('names a malformed connection string without echoing it, a bad container name, and a container without a connection string', () => {
    for (const bad of ['AccountName=x;AccountKey=' + KEY, `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${KEY}`, 'not a connection string', 'SharedAccessSignature=sig', `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=not base64!;EndpointSuffix=core.windows.net`]) {
      expect(() => resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: bad }), bad).toThrow(/AZURE_STORAGE_CONNECTION_STRING: an Azure Storage connection string/);
      expect(() => resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: bad }), bad).not.toThrow(KEY);
    }
    for (const bad of ['Parley', 'ab', 'a--b', '-ab', 'ab-', 'x'.repeat(64), 'files_1']) {
      expect(() => resolveConfig({}, { AZURE_STORAGE_CONNECTION_STRING: ACCOUNT, AZURE_STORAGE_CONTAINER: bad }), bad).toThrow(/AZURE_STORAGE_CONTAINER: a container name/);
    }
    expect(() => resolveConfig({}, { AZURE_STORAGE_CONTAINER: 'parley-files' })).toThrow(/AZURE_STORAGE_CONTAINER: set without AZURE_STORAGE_CONNECTION_STRING/);
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
