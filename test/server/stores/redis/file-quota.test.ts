/**
 * Upload quotas counted for a whole deployment (stores/redis/file-quota.ts): the same answers as a
 * relay counting alone (files/quota.ts), and two instances racing for the last bytes of a share
 * cannot both get them. While Redis is away nothing is reserved; a release made then is not lost.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { localLedger, type QuotaLedger, type QuotaLimits } from '../../../../server/files/quota';
import { defineCommands } from '../../../../server/stores/redis/commands';
import { redisQuotaLedger } from '../../../../server/stores/redis/file-quota';
import { useRedisConnections } from '../../../helpers/redis-suite';

const suite = useRedisConnections();
const silent = pino({ level: 'silent' });
const LIMITS: QuotaLimits = { total: 100, perUser: 60 };

const ledgers: Record<string, (prefix: string, limits?: QuotaLimits) => QuotaLedger> = {
  memory: (_prefix, limits = LIMITS) => localLedger(limits),
  redis: (prefix, limits = LIMITS) => redisQuotaLedger(defineCommands(suite.conns.command), prefix, limits, silent),
};

describe.each(Object.keys(ledgers))('%s quota ledger', (kind) => {
  const make = ledgers[kind]!;

  it('counts per user and in all, refuses with the scope and what is used, and frees on release', async () => {
    const q = make(`${kind}-a:`);
    expect(await q.reserve('u1', 'ana', 50)).toBeUndefined();
    expect(await q.remaining('ana')).toBe(10);
    expect(await q.reserve('u2', 'ana', 11)).toEqual({ scope: 'user', limit: 60, used: 50 });
    expect(await q.reserve('u3', 'bob', 51)).toEqual({ scope: 'relay', limit: 100, used: 50 });
    expect(await q.reserve('u4', 'bob', 49)).toBeUndefined();
    expect(await q.remaining('bob')).toBe(1);
    // Twice the same id counts once, and releasing twice frees once.
    expect(await q.reserve('u1', 'ana', 50)).toBeUndefined();
    await q.release('u1');
    await q.release('u1');
    expect(await q.remaining('ana')).toBe(51);
    expect(await q.remaining('bob')).toBe(11);
    await q.release('never-counted');
    expect(await q.remaining('carl')).toBe(51);
  });

  it('counts what exists already even past the limits (the listing at start), once per id', async () => {
    const q = make(`${kind}-b:`);
    await q.count('old1', 'ana', 80);
    await q.count('old1', 'ana', 80);
    expect(await q.remaining('ana')).toBe(0);
    expect(await q.remaining('bob')).toBe(20);
    expect(await q.reserve('new', 'bob', 21)).toEqual({ scope: 'relay', limit: 100, used: 80 });
  });
});

describe('redis quota ledger across instances', () => {
  it('two instances racing for one share: exactly what fits is counted', async () => {
    const a = ledgers.redis!('race:');
    const b = ledgers.redis!('race:');
    const tries = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve(`r${i}`, 'ana', 10));
    const answers = await Promise.all(tries);
    expect(answers.filter((r) => r === undefined)).toHaveLength(6);
    expect(await a.remaining('ana')).toBe(0);
    expect(await b.remaining('bob')).toBe(40);
  });

  it('while Redis is away reserving fails; a release made then is applied once it is back', async () => {
    const q = ledgers.redis!('outage:');
    expect(await q.reserve('kept', 'ana', 30)).toBeUndefined();
    await suite.redis.kill('SIGKILL');
    for (const end = Date.now() + 5000; suite.conns.state === 'up' && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    await expect(q.reserve('new', 'ana', 1)).rejects.toThrow();
    await q.release('kept');
    await suite.redis.launch();
    expect(await suite.conns.waitReady(10_000)).toBe('up');
    // A redis-server restarted without persistence has forgotten everything; count again, as a
    // relay's start-up listing does, then the pending release must still take effect.
    await q.count('kept', 'ana', 30);
    expect(await q.remaining('ana')).toBe(30);
    // The next reservation retries the releases still owed.
    expect(await q.reserve('next', 'bob', 1)).toBeUndefined();
    for (const end = Date.now() + 5000; (await q.remaining('ana')) !== 60 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    expect(await q.remaining('ana')).toBe(60);
  });
});
