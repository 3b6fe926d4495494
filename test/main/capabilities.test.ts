import { describe, expect, it } from 'vitest';
import { desktopCapabilities, supportsStartAtLogin } from '../../main/capabilities';

describe('desktop capabilities', () => {
  it.each([
    ['darwin', true],
    ['win32', true],
    ['linux', false],
    ['freebsd', false],
  ] as const)('start at login on %s: %s', (platform, expected) => {
    expect(supportsStartAtLogin(platform)).toBe(expected);
    expect(desktopCapabilities(platform, false)).toEqual({ startAtLogin: expected, updates: false });
  });

  it('reports update checks as the updater says', () => {
    expect(desktopCapabilities('linux', true)).toEqual({ startAtLogin: false, updates: true });
  });
});
