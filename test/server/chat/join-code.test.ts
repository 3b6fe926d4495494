/** The join-code lockout (server/chat/join-code.ts): whose attempts count together, and its memory bound. */
import { describe, expect, it } from 'vitest';
import { JoinCodeGuard, lockoutKey } from '../../../server/chat/join-code';

describe('lockout keys', () => {
  it.each([
    ['192.168.1.20', '192.168.1.20'],
    ['::ffff:192.168.1.20', '192.168.1.20'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:eeee:dddd:cccc', '2001:db8:1:2::/64'],
    ['fe80::1', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(lockoutKey(address)).toBe(key);
  });

  it('locks a whole IPv6 /64 after its addresses together guessed wrong too often', () => {
    const guard = new JoinCodeGuard('ABC234', { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 });
    for (let i = 1; i <= 3; i++) expect(guard.check(`2001:db8:1:2::${i}`, 'WRONG1', 1000).ok).toBe(false);
    expect(guard.check('2001:db8:1:2::99', 'ABC234', 1001)).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(guard.check('2001:db8:1:3::1', 'ABC234', 1001)).toEqual({ ok: true });
  });

  it('stays bounded under a spray of addresses, and keeps the locked ones', () => {
    const guard = new JoinCodeGuard('ABC234', { maxFailures: 2, windowMs: 60_000, lockoutMs: 600_000 });
    guard.recordFailure('10.0.0.1', 0);
    guard.recordFailure('10.0.0.1', 1);
    for (let i = 0; i < 12_000; i++) guard.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`.replace(/^10\.0\.0\.1$/, '10.255.255.255'), 2);
    expect((guard as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(10_001);
    expect(guard.lockedFor('10.0.0.1', 3)).toBeGreaterThan(0);
  });
});
