/** The set of public rooms: the lobby always exists, creation is idempotent and bounded. */
import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_ROOMS, ParleyError } from '../../../protocol/index';
import { MemoryRoomStore } from '../../../server/stores/memory-rooms';

describe('MemoryRoomStore', () => {
  it('starts with only the lobby', async () => {
    const store = new MemoryRoomStore('lobby');
    expect(await store.exists('lobby')).toBe(true);
    expect(await store.exists('dev')).toBe(false);
    expect(await store.list()).toEqual(['lobby']);
  });

  it('uses the lobby name it is given', async () => {
    const store = new MemoryRoomStore('hall');
    expect(await store.exists('hall')).toBe(true);
    expect(await store.exists('lobby')).toBe(false);
  });

  it('creates a room once; creating it again is a no-op', async () => {
    const store = new MemoryRoomStore('lobby');
    expect(await store.create('dev')).toEqual({ created: true });
    expect(await store.exists('dev')).toBe(true);
    expect(await store.create('dev')).toEqual({ created: false });
    expect(await store.create('lobby')).toEqual({ created: false });
    expect(await store.list()).toEqual(['lobby', 'dev']);
  });

  it('refuses a new room with ROOM_LIMIT when full (the lobby counts)', async () => {
    const store = new MemoryRoomStore('lobby', 3);
    await store.create('a');
    await store.create('b');
    const err = await store.create('c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParleyError);
    expect((err as ParleyError).code).toBe(ErrorCode.ROOM_LIMIT);
    expect((err as ParleyError).message).toMatch(/3/);
    expect(await store.exists('c')).toBe(false);
    expect(await store.list()).toHaveLength(3);
  });

  it('still accepts existing rooms when full', async () => {
    const store = new MemoryRoomStore('lobby', 2);
    await store.create('a');
    expect(await store.create('a')).toEqual({ created: false });
    expect(await store.create('lobby')).toEqual({ created: false });
  });

  it('defaults to MAX_ROOMS', async () => {
    const store = new MemoryRoomStore('lobby');
    for (let i = 1; i < MAX_ROOMS; i++) await store.create(`r${i}`);
    expect(await store.list()).toHaveLength(MAX_ROOMS);
    await expect(store.create('one-more')).rejects.toMatchObject({ code: ErrorCode.ROOM_LIMIT });
  });

  it('list returns a copy', async () => {
    const store = new MemoryRoomStore('lobby');
    (await store.list()).push('injected');
    expect(await store.exists('injected')).toBe(false);
  });
});
