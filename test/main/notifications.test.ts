import { describe, expect, it } from 'vitest';
import { BODY_MAX, notificationSpec } from '../../main/notifications';

const on = { enabled: true, windowFocused: false };

describe('notificationSpec', () => {
  it('passes title, body and room through', () => {
    expect(notificationSpec({ title: 'Ana in #lobby', body: 'hello', room: 'lobby' }, on)).toEqual({ title: 'Ana in #lobby', body: 'hello', room: 'lobby', silent: false });
  });

  it('shows nothing when notifications are off or the window has focus', () => {
    expect(notificationSpec({ title: 't', body: 'b', room: 'lobby' }, { enabled: false, windowFocused: false })).toBeNull();
    expect(notificationSpec({ title: 't', body: 'b', room: 'lobby' }, { enabled: true, windowFocused: true })).toBeNull();
  });

  it('strips control and bidi characters, keeps line breaks in the body, and clips', () => {
    const spec = notificationSpec({ title: 'A\u202Ena\u0007\nmultiline', body: `line1\nline2\u200B${'x'.repeat(1000)}`, room: 'lobby' }, on);
    expect(spec?.title).toBe('A na multiline');
    expect(spec?.body.startsWith('line1\nline2x')).toBe(true);
    expect([...(spec?.body ?? '')].length).toBe(BODY_MAX);
    expect(spec?.body.endsWith('…')).toBe(true);
  });

  it('falls back to the app name for an empty title', () => {
    expect(notificationSpec({ title: '\u0000', body: 'b', room: 'lobby' }, on)?.title).toBe('Parley');
  });
});
