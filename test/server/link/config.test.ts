/** LINK_* settings: read together, each refused with a message naming it. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../server/config';
import { parseLinkRooms } from '../../../server/link/rooms';

describe('LINK_ROOMS', () => {
  it('pairs rooms, a bare name meaning the same on both sides', () => {
    expect(parseLinkRooms('ops:site-a, lobby')).toEqual([
      { local: 'ops', remote: 'site-a' },
      { local: 'lobby', remote: 'lobby' },
    ]);
  });

  it('refuses a room linked twice on either side, a bad name, or nothing', () => {
    expect(() => parseLinkRooms('ops:a,ops:b')).toThrow(/"ops" of this relay is linked twice/);
    expect(() => parseLinkRooms('a:x,b:x')).toThrow(/"x" of the other relay is linked twice/);
    expect(() => parseLinkRooms('Ops Room')).toThrow(/not a room name/);
    expect(() => parseLinkRooms('a:b:c')).toThrow(/more than one ':'/);
    expect(() => parseLinkRooms(' , ')).toThrow(/names no room/);
  });
});

describe('resolveConfig: a link', () => {
  it('reads LINK_URL, LINK_ROOMS, LINK_KEY, LINK_JOIN_CODE and LINK_NAME', () => {
    const key = 'k'.repeat(32);
    const config = resolveConfig({}, { LINK_URL: 'https://chat.example.com', LINK_ROOMS: 'ops:site-a', LINK_KEY: key, LINK_NAME: 'Ship 7' });
    expect(config).toMatchObject({ linkUrl: 'https://chat.example.com', linkRooms: 'ops:site-a', linkKey: key, linkName: 'Ship 7' });
  });

  it('reads LINK_ACCEPT: any by default, or the ids of the links taken', () => {
    expect(resolveConfig({}, {}).linkAccept).toBe('any');
    const id = 'A'.repeat(22);
    expect(resolveConfig({}, { LINK_ACCEPT: `${id}, ${'b'.repeat(22)}` }).linkAccept).toEqual([id, 'b'.repeat(22)]);
    expect(() => resolveConfig({}, { LINK_ACCEPT: 'not-an-id' })).toThrow(/LINK_ACCEPT: link ids are 22 characters/);
  });

  it('names what is wrong', () => {
    expect(() => resolveConfig({}, { LINK_URL: 'https://chat.example.com' })).toThrow(/LINK_URL and LINK_ROOMS go together/);
    expect(() => resolveConfig({}, { LINK_URL: 'chat.example.com', LINK_ROOMS: 'a' })).toThrow(/LINK_URL: the other relay's address/);
    expect(() => resolveConfig({}, { LINK_URL: 'http://h', LINK_ROOMS: 'a:b,c:b' })).toThrow(/LINK_ROOMS: the room "b" of the other relay is linked twice/);
    expect(() => resolveConfig({}, { LINK_URL: 'http://h', LINK_ROOMS: 'a', LINK_KEY: 'short' })).toThrow(/LINK_KEY/);
    expect(() => resolveConfig({}, { LINK_URL: 'https://h', LINK_ROOMS: 'a', LINK_JOIN_CODE: 'abcdef' })).toThrow(/pairing, which links cannot do yet/);
  });
});
