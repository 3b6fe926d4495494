import { describe, expect, it } from 'vitest';
import { titleWithUnread, UnreadCounter } from '../../../renderer/model/unread';

describe('UnreadCounter', () => {
  it('counts messages per room while the user is not viewing it', () => {
    const u = new UnreadCounter();
    u.bump('lobby', false);
    u.bump('lobby', false);
    u.bump('dev', false);
    expect(u.get('lobby')).toBe(2);
    expect(u.get('dev')).toBe(1);
    expect(u.get('other')).toBe(0);
    expect(u.total()).toBe(3);
  });

  it('does not count while the user is viewing the room', () => {
    const u = new UnreadCounter();
    u.bump('lobby', true);
    expect(u.get('lobby')).toBe(0);
    u.bump('lobby', false);
    u.bump('lobby', true);
    expect(u.get('lobby')).toBe(1);
  });

  it('clear() and forget() reset one room only', () => {
    const u = new UnreadCounter();
    u.bump('lobby', false);
    u.bump('dev', false);
    u.bump('ops', false);
    u.clear('lobby');
    expect(u.get('lobby')).toBe(0);
    expect(u.total()).toBe(2);
    u.forget('dev');
    expect(u.get('dev')).toBe(0);
    expect(u.total()).toBe(1);
    u.clear('never-seen');
    expect(u.total()).toBe(1);
  });

  it('has a zero total when empty', () => {
    expect(new UnreadCounter().total()).toBe(0);
  });
});

describe('titleWithUnread', () => {
  it('leaves the title alone with nothing unread', () => {
    expect(titleWithUnread('Parley', 0)).toBe('Parley');
    expect(titleWithUnread('Parley', -1)).toBe('Parley');
  });

  it('prefixes the count, capped at 99+', () => {
    expect(titleWithUnread('Parley', 1)).toBe('(1) Parley');
    expect(titleWithUnread('Parley', 99)).toBe('(99) Parley');
    expect(titleWithUnread('Parley', 100)).toBe('(99+) Parley');
    expect(titleWithUnread('#dev · Parley', 12_345)).toBe('(99+) #dev · Parley');
  });
});
