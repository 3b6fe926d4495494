/**
 * Tray and badge presentation of the unread count: the text for the badge and the tooltip, and a
 * small icon drawn in code (a speech bubble, with a dot when something is unread), so the app ships
 * no image files for it and it looks the same on every platform.
 */
import { english, type Translate } from './i18n/index';

export const UNREAD_MAX = 99;

export function clampUnread(count: number): number {
  return Number.isFinite(count) ? Math.max(0, Math.min(Math.floor(count), 1_000_000)) : 0;
}

/** Badge text: '' for none, '1'…'99', '99+'. */
export function badgeText(count: number): string {
  const n = clampUnread(count);
  if (n === 0) return '';
  return n > UNREAD_MAX ? `${UNREAD_MAX}+` : String(n);
}

export function trayTooltip(count: number, hosting: string | null, t: Translate = english): string {
  const n = clampUnread(count);
  const unread = n === 0 ? t('tray.noUnread') : t('tray.unread', { count: n, badge: badgeText(n) });
  return hosting ? t('tray.tooltipHosting', { unread, name: hosting }) : t('tray.tooltip', { unread });
}

/**
 * A square BGRA bitmap (nativeImage.createFromBitmap's format): a rounded bubble, plus a red dot in
 * the top-right corner when `unread`. `size` is in pixels (16 for 1x, 32 for 2x).
 */
export function trayIconBitmap(size: number, unread: boolean): Buffer {
  const buf = Buffer.alloc(size * size * 4);
  const put = (x: number, y: number, [b, g, r, a]: readonly [number, number, number, number]) => {
    const i = (y * size + x) * 4;
    buf[i] = b;
    buf[i + 1] = g;
    buf[i + 2] = r;
    buf[i + 3] = a;
  };
  const blue = [0xd9, 0x6b, 0x25, 0xff] as const; // #256bd9
  const red = [0x3a, 0x3a, 0xe5, 0xff] as const; // #e53a3a
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - c) / (size * 0.45);
      const dy = (y - c * 0.85) / (size * 0.36);
      const inBubble = dx * dx + dy * dy <= 1;
      // The bubble's tail, bottom left.
      const inTail = y >= size * 0.7 && y < size * 0.95 && x >= size * 0.2 && x < size * 0.2 + (size * 0.95 - y) * 0.8;
      if (inBubble || inTail) put(x, y, blue);
    }
  }
  if (unread) {
    const r = size * 0.22;
    const cx = size - r - 0.5;
    const cy = r - 0.5;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) put(x, y, red);
  }
  return buf;
}
