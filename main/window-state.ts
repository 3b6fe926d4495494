/**
 * Remembers where the window was, and puts it back only where it can be seen: a monitor that was
 * unplugged, or a resolution that shrank, must not leave the window off-screen.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Saved window geometry. x/y are absent on first run: the OS then centres the window. */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1100, height: 760 };
/** How much of the window (its top strip, where the title bar is) must be on a display to count as visible. */
const MIN_VISIBLE = 64;
const TITLE_BAR = 32;

/**
 * Fits saved bounds to the displays' work areas (given as input, so this runs without Electron).
 * Keeps the position when enough of the title bar is on some display; otherwise centres the window on
 * the primary display. The size never exceeds the chosen display's work area.
 */
export function restoreBounds(saved: WindowBounds | undefined, workAreas: readonly Rect[], minSize = { width: 480, height: 360 }): WindowBounds {
  const primary = workAreas[0];
  const wanted = saved ?? DEFAULT_BOUNDS;
  if (!primary) return { width: Math.max(wanted.width, minSize.width), height: Math.max(wanted.height, minSize.height) };

  const maximized = wanted.maximized === true;
  if (wanted.x !== undefined && wanted.y !== undefined) {
    const titleBar: Rect = { x: wanted.x, y: wanted.y, width: wanted.width, height: TITLE_BAR };
    const host = workAreas.find((area) => overlap(titleBar, area) >= MIN_VISIBLE * (TITLE_BAR / 2));
    if (host) {
      const width = clamp(wanted.width, minSize.width, host.width);
      const height = clamp(wanted.height, minSize.height, host.height);
      // Pull the window inside the display it mostly sits on, so its title bar stays reachable.
      const x = clamp(wanted.x, host.x, host.x + host.width - width);
      const y = clamp(wanted.y, host.y, host.y + host.height - height);
      return { x, y, width, height, ...(maximized ? { maximized } : {}) };
    }
  }
  const width = clamp(wanted.width, minSize.width, primary.width);
  const height = clamp(wanted.height, minSize.height, primary.height);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
    ...(maximized ? { maximized } : {}),
  };
}

/** Bounds worth saving: finite integers with a sane size, or undefined. */
export function boundsToSave(rect: Rect, maximized: boolean): WindowBounds | undefined {
  const values = [rect.x, rect.y, rect.width, rect.height];
  if (!values.every((v) => Number.isFinite(v))) return undefined;
  if (rect.width < 100 || rect.height < 100) return undefined;
  return { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height), maximized };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, min: number, max: number): number {
  // When max < min (a display smaller than the minimum size), the minimum wins.
  return Math.max(min, Math.min(v, Math.max(min, max)));
}
