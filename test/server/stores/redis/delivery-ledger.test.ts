/**
 * The ledger behind gap filling: a message delivered here by one path (live broadcast, or read back
 * after a cut) is not delivered again by the other, and its memory is bounded.
 */
import * as msgpack from 'notepack.io';
import { describe, expect, it } from 'vitest';
import { DeliveryLedger, ledgerParser } from '../../../../server/stores/redis/delivery-ledger';

const message = (id: string, seq: number, room = 'lobby') => ({ id, seq, room, ts: 1, userId: 'u', username: 'ana', message: 'hi' });
const envelope = (msg: object, rooms = ['lobby']) => ['other-uid', { type: 2, nsp: '/', data: ['new message', msg] }, { rooms, except: [], flags: {} }];

describe('DeliveryLedger', () => {
  it('records each id once and keeps the newest seq and the target rooms per conversation', () => {
    const ledger = new DeliveryLedger();
    expect(ledger.record(message('m1', 5), ['lobby'])).toBe(true);
    expect(ledger.record(message('m1', 5), ['lobby'])).toBe(false);
    expect(ledger.record(message('m0', 3), ['lobby'])).toBe(true); // late, older: the mark stays at 5
    expect(ledger.record(message('d1', 2, 'dm:a:b'), ['user:a', 'user:b'])).toBe(true);
    expect(ledger.snapshot()).toEqual(new Map([['lobby', { seq: 5, rooms: ['lobby'] }], ['dm:a:b', { seq: 2, rooms: ['user:a', 'user:b'] }]]));
  });

  it("knows this instance's own ids (a gap fill skips them) but lets their first delivery through", () => {
    const ledger = new DeliveryLedger();
    ledger.own('mine');
    expect(ledger.has('mine')).toBe(true);
    expect(ledger.record(message('mine', 9), ['lobby'])).toBe(true);
    expect(ledger.record(message('mine', 9), ['lobby'])).toBe(false);
    ledger.own('mine'); // a retry issuing again does not undo the delivery
    expect(ledger.record(message('mine', 9), ['lobby'])).toBe(false);
    expect(ledger.snapshot().get('lobby')?.seq).toBe(9);
  });

  it('forgets the oldest ids and the least recently active conversations beyond its bounds', () => {
    const ledger = new DeliveryLedger(3, 2);
    for (const [i, room] of ['r1', 'r2', 'r3', 'r1'].entries()) ledger.record(message(`m${i}`, i + 1, room), [room]);
    expect(['m0', 'm1', 'm2', 'm3'].map((id) => ledger.has(id))).toEqual([false, true, true, true]);
    expect([...ledger.snapshot().keys()]).toEqual(['r3', 'r1']);
  });
});

describe('ledgerParser', () => {
  it('records what is published, and drops a received copy of a message already delivered here', () => {
    const ledger = new DeliveryLedger();
    const parser = ledgerParser(ledger);
    const published = envelope(message('out', 1));
    expect(msgpack.decode(parser.encode(published))).toEqual(published);
    expect(ledger.has('out')).toBe(true);

    const fresh = parser.decode(msgpack.encode(envelope(message('in', 2)))) as unknown[];
    expect((fresh[1] as { data: unknown[] }).data[1]).toMatchObject({ id: 'in' });
    // The same message again (read back after a cut, then its live copy arrives): dropped.
    expect((parser.decode(msgpack.encode(envelope(message('in', 2)))) as unknown[])[1]).toBeNull();
  });

  it('passes through what is not a stored chat message (provisional copies, other events, adapter requests)', () => {
    const ledger = new DeliveryLedger();
    const parser = ledgerParser(ledger);
    const provisional = envelope(message('p', 0));
    const typing = ['uid', { type: 2, nsp: '/', data: ['typing', { username: 'ana' }] }, { rooms: ['lobby'] }];
    const request = { type: 3, requestId: 'x', uid: 'uid' };
    for (const value of [provisional, typing, request]) {
      expect(parser.decode(parser.encode(value))).toEqual(value);
      expect(parser.decode(msgpack.encode(value))).toEqual(value);
    }
    expect(ledger.snapshot().size).toBe(0);
  });
});
