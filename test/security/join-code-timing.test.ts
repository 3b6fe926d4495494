/**
 * Threat: guessing a LAN join code character by character from how long a wrong guess takes to be
 * refused. A wall-clock assertion would be flaky on a shared CI machine, so this checks the property
 * that makes the comparison constant-time instead: every guess, whatever its length or where it
 * differs, reaches exactly one `crypto.timingSafeEqual` call on two fixed-size digests, with no
 * early exit before it.
 */
import { describe, expect, it, vi } from 'vitest';

const calls: [number, number][] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { JoinCodeGuard } = await import('../../server/chat/join-code');

describe('join code comparison', () => {
  const guesses = {
    right: 'K7MQ2P',
    'first character wrong': 'X7MQ2P',
    'last character wrong': 'K7MQ2X',
    'one character': 'K',
    'a prefix': 'K7MQ2',
    'much longer': 'K7MQ2PK7MQ2PK7MQ2PK7MQ2PK7MQ2PK7',
    'not ASCII': 'К7МQ2Р',
  };

  for (const [name, guess] of Object.entries(guesses)) {
    it(`compares a guess (${name}) with one timingSafeEqual over two 32-byte digests`, () => {
      const guard = new JoinCodeGuard('K7M-Q2P', { maxFailures: 1000, windowMs: 60_000, lockoutMs: 60_000 });
      calls.length = 0;
      const verdict = guard.check('192.0.2.77', guess);
      expect(calls).toEqual([[32, 32]]);
      expect(verdict.ok).toBe(name === 'right');
    });
  }

  it('the mock is live: a lockout refuses before comparing (and so reveals nothing about the code)', () => {
    const guard = new JoinCodeGuard('K7MQ2P', { maxFailures: 1, windowMs: 60_000, lockoutMs: 60_000 });
    guard.check('192.0.2.78', 'WRONG1');
    calls.length = 0;
    expect(guard.check('192.0.2.78', 'K7MQ2P')).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(calls).toEqual([]);
  });
});
