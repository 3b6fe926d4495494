/**
 * Electron's fuse wire (FuseV1): read it from a packed executable, and write a fake Electron binary
 * that carries it so electron-builder's fuse step has something to flip.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

/** The fuse wire of an Electron binary as { fuseName: boolean } (FuseV1 layout). */
export function readFuses(binary: string): Record<string, boolean> {
  const b = readFileSync(binary);
  const i = b.indexOf(SENTINEL);
  expect(i, 'fuse sentinel in the packed executable').toBeGreaterThan(-1);
  const pos = i + SENTINEL.length;
  expect(b[pos], 'fuse wire version').toBe(1);
  const len = b[pos + 1] as number;
  const out: Record<string, boolean> = {};
  FUSE_ORDER.forEach((name, k) => {
    if (k < len) out[name] = b[pos + 2 + k] === 0x31;
  });
  return out;
}

/** A "binary" that refuses to run and carries Electron's fuse wire with Electron's default states
 *  (runAsNode 1, cookie encryption 0, NODE_OPTIONS 1, --inspect 1, asar integrity 0, only asar 0,
 *  V8 snapshot 0, file:// privileges 1), so electron-builder's fuse step has something to flip. */
export function writeFakeBinary(file: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const script = '#!/bin/sh\necho "fake Electron binary (packaging layout check): not runnable" >&2\nexit 1\n# fuses: ';
  writeFileSync(file, Buffer.concat([Buffer.from(script), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
  chmodSync(file, 0o755);
}
