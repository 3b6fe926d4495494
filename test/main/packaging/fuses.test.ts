import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELECTRON_FUSES } from '../../../main/packaging/fuses';

describe('Electron fuses for packaged builds', () => {
  it('close the ways into the binary and lock it to the shipped asar', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(Object.isFrozen(ELECTRON_FUSES)).toBe(true);
  });

  it("use only keys electron-builder's electronFuses (FuseOptionsV1) knows", () => {
    const types = readFileSync('node_modules/app-builder-lib/out/configuration.d.ts', 'utf8');
    const block = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
    const known = [...block.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]);
    expect(known.length).toBeGreaterThan(5);
    for (const key of Object.keys(ELECTRON_FUSES)) expect(known, key).toContain(key);
  });
});
