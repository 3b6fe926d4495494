/** Room names (public slugs) and DM conversation ids, which clients use to address messages. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOM, dmParties, dmRoomId, isDmRoom, isRoomAddress, isRoomName, isUserId, ROOM_NAME_MAX, toRoomName } from '../../protocol/index';

// Valid user ids are 16–64 base64url characters; these sort as A < B.
const A = 'AAAAAAAAAAAAAAAAAAAAAA';
const B = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('isRoomName', () => {
  it('accepts lowercase slugs up to the limit', () => {
    for (const name of ['lobby', 'a', '0', 'design-review', 'team_2', 'x'.repeat(ROOM_NAME_MAX), '9-lives']) {
      expect(isRoomName(name)).toBe(true);
    }
  });

  it('refuses anything else', () => {
    for (const name of ['', 'x'.repeat(ROOM_NAME_MAX + 1), 'Lobby', '-lead', '_lead', 'two words', '#lobby', 'caf\u00E9', 'a/b', 'a.b', 'a:b', ' lobby', 'lobby\n']) {
      expect(isRoomName(name)).toBe(false);
    }
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 1, {}, ['lobby']]) expect(isRoomName(value)).toBe(false);
  });

  it('does not treat a DM id as a room name', () => {
    expect(isRoomName(dmRoomId(A, B))).toBe(false);
  });

  it('accepts the default room', () => {
    expect(DEFAULT_ROOM).toBe('lobby');
    expect(isRoomName(DEFAULT_ROOM)).toBe(true);
  });
});

describe('toRoomName', () => {
  it('turns what a user typed into a slug', () => {
    expect(toRoomName('#General Chat')).toBe('general-chat');
    expect(toRoomName('  Design   Review  ')).toBe('design-review');
    expect(toRoomName('Team_2')).toBe('team_2');
  });

  it('drops characters outside the slug alphabet', () => {
    expect(toRoomName('caf\u00E9!')).toBe('caf');
    expect(toRoomName('a.b/c')).toBe('abc');
  });

  it('cuts the result to the maximum length', () => {
    const name = toRoomName('x'.repeat(ROOM_NAME_MAX + 10));
    expect(name).toBe('x'.repeat(ROOM_NAME_MAX));
  });

  it('always returns a valid room name or null', () => {
    const names = ['#General Chat', 'a # b', '  x', 'x'.repeat(50), 'Ünïcode', '---x', '#', ''].map(toRoomName);
    const slugs = names.filter((n): n is string => n !== null);
    expect(slugs.length).toBeGreaterThan(3);
    for (const slug of slugs) expect(isRoomName(slug)).toBe(true);
  });

  it('returns null when nothing usable is left', () => {
    for (const input of ['', '   ', '#', '!!!', '\u00E9\u00E8', '\u{1F600}']) expect(toRoomName(input)).toBeNull();
  });

  it('returns null rather than a slug starting with - or _', () => {
    expect(toRoomName('-x')).toBeNull();
    expect(toRoomName('_x')).toBeNull();
  });
});

describe('dmRoomId', () => {
  it('is the same whichever party computes it', () => {
    expect(dmRoomId(A, B)).toBe(dmRoomId(B, A));
  });

  it('puts the smaller id first after the dm: prefix', () => {
    expect(dmRoomId(B, A)).toBe(`dm:${A}:${B}`);
  });

  it('differs for different pairs', () => {
    const C = 'CCCCCCCCCCCCCCCCCCCCCC';
    expect(dmRoomId(A, B)).not.toBe(dmRoomId(A, C));
  });

  it('round-trips through dmParties', () => {
    expect(dmParties(dmRoomId(B, A))).toEqual([A, B]);
    expect(isDmRoom(dmRoomId(A, B))).toBe(true);
  });
});

describe('dmParties', () => {
  it('returns both user ids of a well-formed DM id', () => {
    expect(dmParties(`dm:${A}:${B}`)).toEqual([A, B]);
  });

  it('refuses ids listed in the wrong order or the same id twice', () => {
    // Only the canonical form is accepted, so one conversation has exactly one id.
    expect(dmParties(`dm:${B}:${A}`)).toBeNull();
    expect(dmParties(`dm:${A}:${A}`)).toBeNull();
  });

  it('refuses a wrong or missing prefix', () => {
    expect(dmParties(`${A}:${B}`)).toBeNull();
    expect(dmParties(`DM:${A}:${B}`)).toBeNull();
    expect(dmParties(`dm-${A}:${B}`)).toBeNull();
    expect(dmParties(`xdm:${A}:${B}`)).toBeNull();
  });

  it('refuses the wrong number of parts', () => {
    expect(dmParties(`dm:${A}`)).toBeNull();
    expect(dmParties(`dm:${A}:${B}:`)).toBeNull();
    expect(dmParties(`dm:${A}:${B}:CCCCCCCCCCCCCCCCCC`)).toBeNull();
    expect(dmParties('dm:')).toBeNull();
    expect(dmParties(`dm::${A}`)).toBeNull();
  });

  it('refuses parts that are not user ids', () => {
    expect(dmParties('dm:alice:bob')).toBeNull(); // too short
    expect(dmParties(`dm:${A}:${'B'.repeat(65)}`)).toBeNull(); // too long
    expect(dmParties(`dm:${A}:BBBBBBBBBBBBBBBBBBBB+B`)).toBeNull(); // not base64url
    expect(dmParties(`dm:${A}:BBBBBBBBBBBBBBBB BBBBB`)).toBeNull();
  });
});

describe('isUserId', () => {
  it('accepts 16–64 base64url characters only', () => {
    expect(isUserId('a'.repeat(16))).toBe(true);
    expect(isUserId('a'.repeat(64))).toBe(true);
    expect(isUserId('Az09_-Az09_-Az09')).toBe(true);
    expect(isUserId('a'.repeat(15))).toBe(false);
    expect(isUserId('a'.repeat(65))).toBe(false);
    expect(isUserId('a'.repeat(15) + '=')).toBe(false);
    expect(isUserId(1234567890123456)).toBe(false);
  });
});

describe('isRoomAddress', () => {
  it('accepts public room names and well-formed DM ids', () => {
    expect(isRoomAddress('lobby')).toBe(true);
    expect(isRoomAddress('design-review')).toBe(true);
    expect(isRoomAddress(dmRoomId(A, B))).toBe(true);
  });

  it('refuses malformed rooms and DM ids', () => {
    for (const value of ['', 'Lobby', '#lobby', `dm:${B}:${A}`, 'dm:alice:bob', `dm:${A}`, 'dm:']) {
      expect(isRoomAddress(value)).toBe(false);
    }
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 0, { room: 'lobby' }]) expect(isRoomAddress(value)).toBe(false);
  });
});
