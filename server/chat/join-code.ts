/**
 * Join codes for LAN-hosted sessions: a Parley client presents the code in its handshake; it is
 * compared in constant time, and an address that keeps guessing wrong is locked out for a while.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ErrorCode, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../protocol/index';
import { normalizeJoinCode } from '../../protocol/pairing';
import { lockoutKey } from './lockout-key';

export interface LockoutPolicy {
  /** Wrong codes from one address within `windowMs` that trigger a lockout. */
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 60_000, lockoutMs: 60_000 };
/** Addresses tracked at most (a spray of addresses must not grow memory, nor every check's cost). */
const MAX_TRACKED = 10_000;


/** A fresh code: 6 characters from an alphabet without look-alikes (≈ 30 bits). */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

export { normalizeJoinCode, lockoutKey };

export type JoinVerdict = { ok: true } | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number };

export class JoinCodeGuard {
  private readonly digest: Buffer;
  private readonly failures = new Map<string, { times: number[]; lockedUntil: number }>();

  constructor(code: string, private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {
    this.digest = hash(normalizeJoinCode(code));
  }

  check(address: string, presented: string | undefined, now: number = Date.now()): JoinVerdict {
    const ip = lockoutKey(address);
    const entry = this.failures.get(ip);
    if (entry && entry.lockedUntil > now) {
      return { ok: false, code: ErrorCode.LOCKED_OUT, message: 'Too many wrong join codes; try again later.', retryAfterMs: entry.lockedUntil - now };
    }
    if (presented === undefined || presented === '') {
      return { ok: false, code: ErrorCode.JOIN_CODE_REQUIRED, message: 'This session needs a join code.' };
    }
    // Hashing first makes the comparison constant-time whatever the presented length.
    if (timingSafeEqual(hash(normalizeJoinCode(presented)), this.digest)) {
      this.failures.delete(ip);
      return { ok: true };
    }
    this.recordFailure(address, now);
    return { ok: false, code: ErrorCode.JOIN_CODE_INVALID, message: 'Wrong join code.' };
  }

  /** How long `ip` stays locked out (0 when it is not). */
  lockedFor(address: string, now: number = Date.now()): number {
    const until = this.failures.get(lockoutKey(address))?.lockedUntil ?? 0;
    return until > now ? until - now : 0;
  }

  /** A proof from `ip` succeeded: its earlier attempts no longer count. */
  forgive(address: string): void {
    this.failures.delete(lockoutKey(address));
  }

  /** One wrong code (or one pairing start, which lets its maker check one guess) from `ip`. */
  recordFailure(address: string, now: number = Date.now()): void {
    const ip = lockoutKey(address);
    let entry = this.failures.get(ip);
    if (!entry) {
      entry = { times: [], lockedUntil: 0 };
      this.failures.set(ip, entry);
    }
    entry.times = entry.times.filter((t) => t > now - this.policy.windowMs);
    entry.times.push(now);
    if (entry.times.length >= this.policy.maxFailures) {
      entry.lockedUntil = now + this.policy.lockoutMs;
      entry.times = [];
    }
    // Bound memory under a spray of addresses: forget entries that are neither locked nor recent,
    // then, if still over, the oldest that are not locked (a Map iterates in insertion order). Locked
    // ones stay: evicting them would let a sprayer reset his own lockout; how many can be locked is
    // bounded by the pairing desk's overall rate of starts.
    if (this.failures.size > MAX_TRACKED) {
      for (const [key, e] of this.failures) if (e.lockedUntil <= now && e.times.every((t) => t <= now - this.policy.windowMs)) this.failures.delete(key);
      // Down to nine tenths at once, so the scans above run once per thousand new addresses, not each.
      for (const [key, e] of this.failures) {
        if (this.failures.size <= MAX_TRACKED * 0.9) break;
        if (e.lockedUntil <= now) this.failures.delete(key);
      }
    }
  }
}

function hash(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
