/**
 * The Lua scripts' reply decoders: they read the shapes Redis sends (Lua false → null, numbers →
 * integers) and refuse anything else with an error naming the script, which the stores treat as a
 * bug (like a Redis error reply), not as an outage. The real scripts' replies are decoded by the
 * Redis store and cluster tests.
 */
import { describe, expect, it } from 'vitest';
import { isReplyError } from '../../../../server/stores/redis/connection';
import {
  decodeAdvanceCursor,
  decodeAppend,
  decodeConnect,
  decodeCreateRoom,
  decodeDisconnect,
  decodeEnsure,
  decodeExpire,
  decodeMembership,
  decodePurge,
  decodeRoomTokens,
  decodeSnapshot,
  decodeSubmit,
  UnexpectedReply,
} from '../../../../server/stores/redis/replies';

const change = ['lobby', '1733400000000001', 'join', 'u1', 'ann', '0'];
const message = '{"seq":1733400000000001,"username":"ann","message":"hi","id":"m1","ts":1,"room":"lobby","userId":"u1"}';

describe('Redis script reply decoders', () => {
  it('read well-formed replies', () => {
    expect(decodeConnect([0])).toEqual({ taken: true });
    expect(decodeConnect([1, 1, 'ann', '1', 3, change])).toEqual({
      taken: false,
      first: true,
      username: 'ann',
      classic: true,
      numUsers: 3,
      lobbyChange: { room: 'lobby', change: { pv: 1733400000000001, op: 'join', user: { id: 'u1', username: 'ann' } } },
    });
    expect(decodeConnect([1, 0, 'ann', '0', 3, null])).toMatchObject({ first: false, classic: false, lobbyChange: undefined });
    expect(decodeDisconnect([[], null])).toEqual({ changes: [], gone: undefined });
    expect(decodeDisconnect([[change], ['u1', 'ann', '1']])).toMatchObject({ changes: [{ room: 'lobby' }], gone: { id: 'u1', username: 'ann', classic: true } });
    expect(decodeMembership(null)).toBeUndefined();
    expect(decodeMembership(change)?.change.op).toBe('join');
    expect(decodeSnapshot(['7', ['u1', 'ann', '0', 'u2', 'bob', '1']])).toEqual({
      pv: 7,
      users: [
        { id: 'u1', username: 'ann' },
        { id: 'u2', username: 'bob', classic: true },
      ],
    });
    expect(decodePurge([[change], [['u1', 'ann', '0']]])).toMatchObject({ changes: [{ room: 'lobby' }], gone: [{ id: 'u1' }] });
    expect(decodeEnsure([0, [], 'ann-2'])).toEqual({ first: false, changes: [], username: 'ann-2' });
    expect(decodeAppend([1, message])).toMatchObject({ duplicate: true, message: { seq: 1733400000000001, id: 'm1' } });
    expect(decodeSubmit([0, message])).toMatchObject({ duplicate: false, message: { id: 'm1' } });
    expect(decodeSubmit([2, 250])).toEqual({ retryAfterMs: 250 });
    expect([1, 0, -1].map(decodeCreateRoom)).toEqual(['created', 'existed', 'full']);
    expect([1, 0].map(decodeExpire)).toEqual([true, false]);
    expect(decodeRoomTokens([1, 0])).toEqual({ ok: true });
    expect(decodeRoomTokens([0, 900])).toEqual({ ok: false, retryAfterMs: 900 });
    expect(decodeAdvanceCursor([1, '1733400000000002', '1733400000000005'])).toEqual({ moved: true, cursor: { read: 1733400000000002, delivered: 1733400000000005 } });
    expect(decodeAdvanceCursor([0, '0', '0'])).toEqual({ moved: false, cursor: { read: 0, delivered: 0 } });
  });

  it('refuse malformed replies with an error naming the script and showing the reply', () => {
    const refused: [() => unknown, RegExp][] = [
      [() => decodeConnect(null), /CONNECT: expected an array of 6, got null/],
      [() => decodeConnect([2]), /CONNECT: expected one of 0 at 0/],
      [() => decodeConnect([1, 1, 'ann', 'yes', 3, null]), /CONNECT: expected classic/],
      [() => decodeConnect([1, 1, 'ann', '0', '3', null]), /CONNECT: expected an integer at 4/],
      [() => decodeDisconnect([[], null, 'extra']), /DISCONNECT: expected an array of 2/],
      [() => decodeDisconnect([[['lobby', '1', 'join']], null]), /DISCONNECT: expected a change/],
      [() => decodeMembership(['lobby', '1', 'rename', 'u1', 'ann', '0']), /MEMBERSHIP: expected a change/],
      [() => decodeMembership(['lobby', '1.5e3', 'join', 'u1', 'ann', '0']), /MEMBERSHIP: expected a decimal counter/],
      [() => decodeSnapshot(['7', ['u1', 'ann']]), /SNAPSHOT: expected a flat list of user triples/],
      [() => decodeSnapshot([7, []]), /SNAPSHOT: expected a decimal counter/],
      [() => decodePurge([[], null]), /PURGE: expected a list of users/],
      [() => decodePurge([[], [['u1', 'ann', 1]]]), /PURGE: expected a user/],
      [() => decodeEnsure([1, [], null]), /ENSURE: expected a string at 2/],
      [() => decodeAppend([0, 'not json']), /APPEND: expected message JSON at 1/],
      [() => decodeAppend([0, '{"id":"m1"}']), /APPEND: expected a message with a seq at 1/],
      [() => decodeSubmit([2, '250']), /SUBMIT: expected an integer at 1/],
      [() => decodeSubmit([3, message]), /SUBMIT: expected one of 0, 1, 2 at 0/],
      [() => decodeCreateRoom('1'), /CREATE_ROOM: expected one of 1, 0, -1, got "1"/],
      [() => decodeExpire(null), /EXPIRE_CONVERSATION: expected one of 0, 1, got null/],
      [() => decodeRoomTokens([1]), /ROOM_TOKENS: expected an array of 2, got \[1\]/],
      [() => decodeAdvanceCursor([1, 5, '5']), /ADVANCE_CURSOR: expected a decimal counter/],
      [() => decodeAdvanceCursor([2, '5', '5']), /ADVANCE_CURSOR: expected one of 0, 1 at 0/],
    ];
    for (const [decode, why] of refused) {
      expect(decode, String(why)).toThrow(UnexpectedReply);
      expect(decode).toThrow(why);
    }
  });

  it('a refused reply counts as a Redis reply error (a bug to surface), not as an outage', () => {
    let err: unknown;
    try {
      decodeConnect('OK');
    } catch (e) {
      err = e;
    }
    expect(isReplyError(err)).toBe(true);
    expect(isReplyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});
