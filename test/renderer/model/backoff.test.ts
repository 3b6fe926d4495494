import { afterEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelay } from '../../../renderer/model/backoff';

// random() = 0.5 is the middle of the jitter range: factor exactly 1.
const mid = () => 0.5;

describe('reconnectDelay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('doubles from 500 ms per attempt', () => {
    expect([0, 1, 2, 3, 4].map((a) => reconnectDelay(a, undefined, undefined, mid))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('caps at 8 s, also for very large attempt numbers', () => {
    for (const a of [5, 6, 10, 100, 5000]) expect(reconnectDelay(a, undefined, undefined, mid)).toBe(8000);
  });

  it('treats a negative attempt as the first', () => {
    expect(reconnectDelay(-3, undefined, undefined, mid)).toBe(500);
  });

  it('honours a custom base and cap', () => {
    expect([0, 1, 2, 3].map((a) => reconnectDelay(a, 100, 300, mid))).toEqual([100, 200, 300, 300]);
  });

  it('jitters by ±20 % and returns whole milliseconds', () => {
    expect(reconnectDelay(2, 500, 8000, () => 0)).toBe(1600);
    expect(reconnectDelay(2, 500, 8000, () => 0.25)).toBe(1800);
    expect(reconnectDelay(2, 500, 8000, () => 0.999_999)).toBe(2400);
    for (let i = 0; i < 200; i++) {
      const r = i / 200;
      const d = reconnectDelay(4, 500, 8000, () => r);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(6400);
      expect(d).toBeLessThanOrEqual(9600);
    }
  });

  it('uses Math.random by default', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(reconnectDelay(0)).toBe(400);
  });
});
