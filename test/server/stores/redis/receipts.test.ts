/**
 * Receipt cursors in Redis beyond the contract (conformance/receipts.test.ts): the stored layout,
 * which the expiry script deletes by name (one hash per conversation, '<userId>:r' and '<userId>:d'),
 * seqs kept as exact decimal strings, two instances sharing the cursors, and failing fast with
 * UNAVAILABLE while Redis is down, as a history page does.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../protocol/index';
import { defineCommands } from '../../../../server/stores/redis/commands';
import { RedisReceiptStore } from '../../../../server/stores/redis/receipts';
import { useRedisConnections } from '../../../helpers/redis-suite';

const suite = useRedisConnections();
const ANA = 'ana-0123456789abcdef';
const SEQ = 1_780_000_000_123_456;

const store = (prefix: string) => new RedisReceiptStore(suite.conns, defineCommands(suite.conns.command), prefix, pino({ level: 'silent' }));

describe('RedisReceiptStore', () => {
  it('keeps one hash per conversation with exact seqs, shared by every instance', async () => {
    const one = store('rc1:');
    const two = store('rc1:');
    await one.advance('dev', ANA, 'delivered', SEQ);
    expect(await two.advance('dev', ANA, 'read', SEQ + 1)).toEqual({ cursor: { read: SEQ + 1, delivered: SEQ + 1 }, moved: true });
    expect(await suite.conns.command.hgetall('rc1:c:dev')).toEqual({ [`${ANA}:r`]: String(SEQ + 1), [`${ANA}:d`]: String(SEQ + 1) });
    expect(await one.advance('dev', ANA, 'read', SEQ)).toEqual({ cursor: { read: SEQ + 1, delivered: SEQ + 1 }, moved: false });
    await two.drop('dev');
    expect(await suite.conns.command.exists('rc1:c:dev')).toBe(0);
  });

  it('fails fast with UNAVAILABLE while Redis is down', async () => {
    const receipts = store('rc2:');
    await suite.redis.kill('SIGKILL');
    for (const end = Date.now() + 5000; suite.conns.state === 'up' && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    expect(suite.conns.state).not.toBe('up');
    const unavailable = { code: ErrorCode.UNAVAILABLE };
    await expect(receipts.advance('dev', ANA, 'read', SEQ)).rejects.toMatchObject(unavailable);
    await expect(receipts.cursors('dev')).rejects.toMatchObject(unavailable);
    await expect(receipts.mine(ANA, ['dev'])).rejects.toMatchObject(unavailable);
    await expect(receipts.drop('dev')).rejects.toMatchObject(unavailable);
    await suite.redis.launch();
    expect(await suite.conns.waitReady(5000)).toBe('up');
    expect(await receipts.advance('dev', ANA, 'read', SEQ)).toEqual({ cursor: { read: SEQ, delivered: SEQ }, moved: true });
  });
});
