import { describe, expect, it } from 'vitest';
import { badgeText, clampUnread, trayIconBitmap, trayTooltip } from '../../main/tray';

describe('unread badge', () => {
  it('caps the text at 99+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });

  it('treats nonsense as zero', () => {
    expect(clampUnread(-3)).toBe(0);
    expect(clampUnread(Number.NaN)).toBe(0);
    expect(clampUnread(2.7)).toBe(2);
  });

  it('describes the state in the tooltip', () => {
    expect(trayTooltip(0, null)).toBe('Parley — no unread messages');
    expect(trayTooltip(1, null)).toBe('Parley — 1 unread message');
    expect(trayTooltip(250, 'Team')).toBe('Parley — 99+ unread messages — hosting "Team"');
  });
});

describe('tray icon', () => {
  it('is a BGRA bitmap of the requested size, with a red dot only when unread', () => {
    for (const size of [16, 32]) {
      const plain = trayIconBitmap(size, false);
      const dot = trayIconBitmap(size, true);
      expect(plain.length).toBe(size * size * 4);
      const pixel = (buf: Buffer, x: number, y: number) => [...buf.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
      const corner = [size - 3, 2] as const;
      expect(pixel(dot, ...corner)).toEqual([0x3a, 0x3a, 0xe5, 0xff]);
      expect(pixel(plain, ...corner)).not.toEqual([0x3a, 0x3a, 0xe5, 0xff]);
      // The bubble covers the centre.
      expect(pixel(plain, size / 2, size / 2)[3]).toBe(0xff);
    }
  });
});
