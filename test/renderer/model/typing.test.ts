import { describe, expect, it } from 'vitest';
import { TYPING_TIMEOUT_MS } from '../../../protocol/index';
import { TypingTracker, typingLabel } from '../../../renderer/model/typing';

describe('TypingTracker', () => {
  it('lists a typist until TYPING_TIMEOUT_MS has passed', () => {
    const t = new TypingTracker();
    t.start('u1', 'Ana', 1000);
    expect(t.names(1000)).toEqual(['Ana']);
    expect(t.names(1000 + TYPING_TIMEOUT_MS - 1)).toEqual(['Ana']);
    expect(t.names(1000 + TYPING_TIMEOUT_MS)).toEqual([]);
  });

  it('drops an expired typist for good, even if asked about an earlier time afterwards', () => {
    const t = new TypingTracker();
    t.start('u1', 'Ana', 0);
    expect(t.names(TYPING_TIMEOUT_MS + 1)).toEqual([]);
    expect(t.names(0)).toEqual([]);
  });

  it('extends the expiry when the typist starts again', () => {
    const t = new TypingTracker();
    t.start('u1', 'Ana', 0);
    t.start('u1', 'Ana', 5000);
    expect(t.names(TYPING_TIMEOUT_MS + 1000)).toEqual(['Ana']);
    expect(t.names(5000 + TYPING_TIMEOUT_MS)).toEqual([]);
  });

  it('keeps typists by user id and sorts names', () => {
    const t = new TypingTracker();
    t.start('u3', 'cy', 0);
    t.start('u1', 'Ana', 0);
    t.start('u2', 'bob', 0);
    t.start('u1', 'Ana', 10); // same user: still one entry
    expect(t.names(100)).toEqual(['Ana', 'bob', 'cy']);
  });

  it('stop() removes one typist and says whether it was there', () => {
    const t = new TypingTracker();
    t.start('u1', 'Ana', 0);
    t.start('u2', 'Bo', 0);
    expect(t.stop('u1')).toBe(true);
    expect(t.stop('u1')).toBe(false);
    expect(t.names(1)).toEqual(['Bo']);
  });

  it('clear() removes everyone', () => {
    const t = new TypingTracker();
    t.start('u1', 'Ana', 0);
    t.start('u2', 'Bo', 0);
    t.clear();
    expect(t.names(1)).toEqual([]);
  });
});

describe('typingLabel', () => {
  it.each([
    [[], ''],
    [['Ana'], 'Ana is typing…'],
    [['Ana', 'Bo'], 'Ana and Bo are typing…'],
    [['Ana', 'Bo', 'Cy'], 'Ana, Bo and Cy are typing…'],
    [['Ana', 'Bo', 'Cy', 'Di'], 'Several people are typing…'],
    [['Ana', 'Bo', 'Cy', 'Di', 'Ed'], 'Several people are typing…'],
  ])('%j → %j', (names, label) => {
    expect(typingLabel(names)).toBe(label);
  });
});
