/** Runtime payload schemas: the relay's first line of defence against malformed client input. */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ErrorCode, HISTORY_PAGE_MAX, MAX_ROOMS_PER_SOCKET, MESSAGE_MAX, ParleyError } from '../../protocol/index';
import {
  AddUserSchema,
  HandshakeAuthSchema,
  HistoryRequestSchema,
  LoginRequestSchema,
  NewMessageSchema,
  parsePayload,
  RoomJoinSchema,
  RoomRefSchema,
  SendRequestSchema,
  TypingSchema,
} from '../../protocol/schemas';
import { seqBase } from '../../server/ids';

const KEY = 'k'.repeat(22);

function accepts(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.success, `${JSON.stringify(value)} should be accepted`).toBe(true);
}

function rejects(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.success, `${JSON.stringify(value)} should be rejected`).toBe(false);
}

describe('LoginRequestSchema / AddUserSchema', () => {
  it('accepts the classic bare nickname and the Parley object', () => {
    accepts(AddUserSchema, 'ana');
    accepts(AddUserSchema, { username: 'ana' });
    accepts(AddUserSchema, { username: 'ana', rooms: ['lobby', 'dev'], since: { lobby: 5, dev: seqBase() } });
  });

  it('leaves nickname rules to cleanNickname (shape only)', () => {
    // An empty or odd nickname is a well-formed payload: the handler answers INVALID_NICKNAME, not INVALID_PAYLOAD.
    accepts(AddUserSchema, '');
    accepts(AddUserSchema, { username: '' });
  });

  it('bounds the nickname string before it is normalised', () => {
    accepts(AddUserSchema, 'x'.repeat(512));
    rejects(AddUserSchema, 'x'.repeat(513));
    rejects(AddUserSchema, { username: 'x'.repeat(513) });
  });

  it('rejects wrong types', () => {
    for (const bad of [undefined, null, 42, [], { username: 42 }, {}, { username: 'ana', rooms: 'lobby' }, { username: 'ana', since: [] }]) {
      rejects(AddUserSchema, bad);
    }
  });

  it('limits rooms to MAX_ROOMS_PER_SOCKET and each room address to 200 characters', () => {
    accepts(LoginRequestSchema, { username: 'a', rooms: Array.from({ length: MAX_ROOMS_PER_SOCKET }, (_, i) => `r${i}`) });
    rejects(LoginRequestSchema, { username: 'a', rooms: Array.from({ length: MAX_ROOMS_PER_SOCKET + 1 }, (_, i) => `r${i}`) });
    rejects(LoginRequestSchema, { username: 'a', rooms: ['x'.repeat(201)] });
  });

  it('requires since values to be non-negative safe integers', () => {
    for (const bad of [-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity]) {
      rejects(LoginRequestSchema, { username: 'a', since: { lobby: bad } });
    }
    accepts(LoginRequestSchema, { username: 'a', since: { lobby: 0 } });
    accepts(LoginRequestSchema, { username: 'a', since: { lobby: Number.MAX_SAFE_INTEGER } });
  });

  it('limits the number of rooms named in since', () => {
    const since = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, 1]));
    accepts(LoginRequestSchema, { username: 'a', since: since(MAX_ROOMS_PER_SOCKET * 2) });
    rejects(LoginRequestSchema, { username: 'a', since: since(MAX_ROOMS_PER_SOCKET * 2 + 1) });
  });

  it('drops unknown fields rather than passing them on', () => {
    expect(LoginRequestSchema.parse({ username: 'a', admin: true })).toEqual({ username: 'a' });
  });
});

describe('SendRequestSchema / NewMessageSchema', () => {
  it('accepts the classic bare text and the Parley object', () => {
    accepts(NewMessageSchema, 'hello');
    accepts(NewMessageSchema, { text: 'hello' });
    accepts(NewMessageSchema, { text: 'hi', room: 'dev', clientId: 'abcDEF12_-' });
    accepts(NewMessageSchema, { text: 'hi', to: 'A'.repeat(22) });
  });

  it('does not enforce the message length, so the handler can answer TOO_LARGE', () => {
    accepts(SendRequestSchema, { text: 'x'.repeat(MESSAGE_MAX + 1) });
    accepts(SendRequestSchema, { text: '' }); // EMPTY_MESSAGE is the handler's job too
  });

  it('requires text to be a string', () => {
    for (const bad of [{}, { text: 5 }, { text: null }, { text: ['hi'] }, 5, null, undefined]) rejects(NewMessageSchema, bad);
  });

  it('checks the clientId alphabet and length', () => {
    accepts(SendRequestSchema, { text: 'x', clientId: 'a'.repeat(8) });
    accepts(SendRequestSchema, { text: 'x', clientId: 'a'.repeat(64) });
    for (const bad of ['a'.repeat(7), 'a'.repeat(65), 'abcdefg!', 'abc defgh', 'abcdéfgh', 12345678]) {
      rejects(SendRequestSchema, { text: 'x', clientId: bad });
    }
  });

  it('bounds room and to', () => {
    rejects(SendRequestSchema, { text: 'x', room: 'x'.repeat(201) });
    rejects(SendRequestSchema, { text: 'x', to: 'x'.repeat(65) });
    rejects(SendRequestSchema, { text: 'x', room: 5 });
  });
});

describe('TypingSchema', () => {
  it('accepts no argument, an empty object or a room', () => {
    accepts(TypingSchema, undefined);
    accepts(TypingSchema, {});
    accepts(TypingSchema, { room: 'dev' });
  });

  it('rejects other shapes', () => {
    rejects(TypingSchema, 'dev');
    rejects(TypingSchema, { room: 5 });
    rejects(TypingSchema, null);
  });
});

describe('RoomJoinSchema / RoomRefSchema', () => {
  it('accepts a room with optional create and since', () => {
    accepts(RoomJoinSchema, { room: 'dev' });
    accepts(RoomJoinSchema, { room: 'dev', create: true, since: 0 });
    accepts(RoomRefSchema, { room: 'dev' });
  });

  it('rejects a missing room and wrong types', () => {
    for (const bad of [{}, 'dev', null, { room: 1 }, { room: 'dev', create: 'yes' }, { room: 'dev', since: -1 }, { room: 'dev', since: 0.5 }]) {
      rejects(RoomJoinSchema, bad);
    }
    rejects(RoomRefSchema, {});
    rejects(RoomRefSchema, { room: 'x'.repeat(201) });
  });
});

describe('HistoryRequestSchema', () => {
  it('accepts a room with optional cursors and limit', () => {
    accepts(HistoryRequestSchema, { room: 'dev' });
    accepts(HistoryRequestSchema, { room: 'dev', afterSeq: 0, beforeSeq: seqBase(), limit: 1 });
    accepts(HistoryRequestSchema, { room: 'dev', limit: HISTORY_PAGE_MAX });
  });

  it('rejects limits outside 1..HISTORY_PAGE_MAX and bad cursors', () => {
    for (const bad of [0, -1, HISTORY_PAGE_MAX + 1, 2.5, '10']) rejects(HistoryRequestSchema, { room: 'dev', limit: bad });
    rejects(HistoryRequestSchema, { room: 'dev', afterSeq: -1 });
    rejects(HistoryRequestSchema, { room: 'dev', beforeSeq: 1.5 });
    rejects(HistoryRequestSchema, { afterSeq: 1 });
  });
});

describe('HandshakeAuthSchema', () => {
  it('accepts a Parley handshake', () => {
    accepts(HandshakeAuthSchema, { client: 'parley', protocol: 1, key: KEY });
    accepts(HandshakeAuthSchema, { client: 'parley', protocol: 2, key: 'A-_9'.repeat(16), joinCode: 'ABC234' });
  });

  it('rejects other clients, bad protocol numbers, keys and join codes', () => {
    rejects(HandshakeAuthSchema, { client: 'classic', protocol: 1, key: KEY });
    rejects(HandshakeAuthSchema, { protocol: 1, key: KEY });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 0, key: KEY });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 1.5, key: KEY });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: '1', key: KEY });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 1, key: 'k'.repeat(21) });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 1, key: 'k'.repeat(65) });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 1, key: `${'k'.repeat(21)}=` });
    rejects(HandshakeAuthSchema, { client: 'parley', protocol: 1, key: KEY, joinCode: 'x'.repeat(33) });
    rejects(HandshakeAuthSchema, undefined);
  });
});

describe('parsePayload', () => {
  /** The ParleyError parsePayload throws, failing the test if it returns instead. */
  function failure(schema: z.ZodType, value: unknown, what: string): ParleyError {
    try {
      parsePayload(schema, value, what);
    } catch (err) {
      expect(err).toBeInstanceOf(ParleyError);
      return err as ParleyError;
    }
    throw new Error('parsePayload accepted an invalid payload');
  }

  it('returns the parsed value on success', () => {
    expect(parsePayload(RoomJoinSchema, { room: 'dev', since: 3 }, 'room:join')).toEqual({ room: 'dev', since: 3 });
    expect(parsePayload(AddUserSchema, 'ana', 'add user')).toBe('ana');
  });

  it('throws INVALID_PAYLOAD naming the event and the path of the problem', () => {
    const err = failure(RoomJoinSchema, { room: 'dev', since: -1 }, 'room:join');
    expect(err.code).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(err.message).toMatch(/^Invalid room:join at since: /);
    expect(err.retryAfterMs).toBeUndefined();
    expect(err.toBody()).toEqual({ code: ErrorCode.INVALID_PAYLOAD, message: err.message });
  });

  it('joins nested paths with dots', () => {
    expect(failure(LoginRequestSchema, { username: 'a', rooms: ['dev', 5] }, 'add user').message).toMatch(/ at rooms\.1: /);
    expect(failure(LoginRequestSchema, { username: 'a', since: { dev: -1 } }, 'add user').message).toMatch(/ at since\.dev: /);
  });

  it('uses the schema’s own message where it has one', () => {
    expect(failure(SendRequestSchema, { text: 'x', clientId: 'short' }, 'new message').message).toMatch(/at clientId: clientId must be 8–64/);
  });

  it('omits the path when the whole payload is wrong', () => {
    const err = failure(RoomRefSchema, null, 'room:leave');
    expect(err.code).toBe(ErrorCode.INVALID_PAYLOAD);
    expect(err.message).toMatch(/^Invalid room:leave: /);
    expect(err.message).not.toMatch(/ at /);
  });
});
