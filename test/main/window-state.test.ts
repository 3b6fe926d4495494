import { describe, expect, it } from 'vitest';
import { boundsToSave, DEFAULT_BOUNDS, restoreBounds } from '../../main/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('restoreBounds', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual({ x: 170, y: 58, width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height });
  });

  it('keeps a window that is on a display', () => {
    expect(restoreBounds({ x: 1600, y: 0, width: 1200, height: 800 }, [laptop, external])).toEqual({ x: 1600, y: 0, width: 1200, height: 800 });
  });

  it('moves a window from an unplugged monitor back to the primary display', () => {
    const bounds = restoreBounds({ x: 3000, y: 100, width: 1200, height: 800 }, [laptop]);
    expect(bounds).toEqual({ x: 120, y: 38, width: 1200, height: 800 });
  });

  it('pulls a window whose title bar is partly off-screen fully inside', () => {
    expect(restoreBounds({ x: 1000, y: -10, width: 800, height: 600 }, [laptop])).toEqual({ x: 640, y: 0, width: 800, height: 600 });
  });

  it('shrinks a window larger than the display, but not below the minimum', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
    expect(restoreBounds({ x: 0, y: 0, width: 100, height: 100 }, [laptop])).toMatchObject({ width: 480, height: 360 });
  });

  it('keeps the maximised flag', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 800, height: 600, maximized: true }, [laptop])).toMatchObject({ maximized: true });
  });

  it('copes with no display information', () => {
    expect(restoreBounds({ x: 5, y: 5, width: 800, height: 600 }, [])).toEqual({ width: 800, height: 600 });
  });
});

describe('boundsToSave', () => {
  it('rounds and keeps the maximised state', () => {
    expect(boundsToSave({ x: 10.4, y: 20.6, width: 800, height: 600 }, true)).toEqual({ x: 10, y: 21, width: 800, height: 600, maximized: true });
  });
  it('refuses nonsense', () => {
    expect(boundsToSave({ x: Number.NaN, y: 0, width: 800, height: 600 }, false)).toBeUndefined();
    expect(boundsToSave({ x: 0, y: 0, width: 0, height: 0 }, false)).toBeUndefined();
  });
});
