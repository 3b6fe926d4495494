import { describe, expect, it } from 'vitest';
import type { ChatNotification } from '../../protocol/index';
import { BODY_MAX, notificationSpec, serverNotificationsOn } from '../../main/notifications';

const server = 'https://chat.example.com';
const on = { notifications: true, notificationSound: true, savedServers: [], windowFocused: false };
const note = (extra: Partial<ChatNotification> = {}): ChatNotification => ({ title: 't', body: 'b', room: 'lobby', server, ...extra });

describe('notificationSpec', () => {
  it('passes title and body through, and targets the server and room it came from', () => {
    expect(notificationSpec(note({ title: 'Ana in #lobby', body: 'hello' }), on)).toEqual({ title: 'Ana in #lobby', body: 'hello', target: { server, room: 'lobby' }, silent: false });
  });

  it('is silent when the notification sound is off', () => {
    expect(notificationSpec(note(), { ...on, notificationSound: false })?.silent).toBe(true);
  });

  it('shows nothing when notifications are off or the window has focus', () => {
    expect(notificationSpec(note(), { ...on, notifications: false })).toBeNull();
    expect(notificationSpec(note(), { ...on, windowFocused: true })).toBeNull();
  });

  it('shows nothing for a saved server whose notifications are off; others still notify', () => {
    const savedServers = [
      { name: 'Quiet', url: 'https://chat.example.com/', notifications: false },
      { name: 'Loud', url: 'http://10.0.0.2:3000', notifications: true },
      { name: 'Default', url: 'http://10.0.0.3:3000' },
    ];
    expect(notificationSpec(note(), { ...on, savedServers })).toBeNull();
    expect(notificationSpec(note({ server: 'http://10.0.0.2:3000' }), { ...on, savedServers })).not.toBeNull();
    expect(notificationSpec(note({ server: 'http://10.0.0.3:3000' }), { ...on, savedServers })).not.toBeNull();
    expect(notificationSpec(note({ server: 'https://other.example.com' }), { ...on, savedServers })).not.toBeNull();
  });

  it('strips control and bidi characters, keeps line breaks in the body, and clips', () => {
    const spec = notificationSpec(note({ title: 'A\u202Ena\u0007\nmultiline', body: `line1\nline2\u200B${'x'.repeat(1000)}` }), on);
    expect(spec?.title).toBe('A na multiline');
    expect(spec?.body.startsWith('line1\nline2x')).toBe(true);
    expect([...(spec?.body ?? '')].length).toBe(BODY_MAX);
    expect(spec?.body.endsWith('…')).toBe(true);
  });

  it('falls back to the app name for an empty title', () => {
    expect(notificationSpec(note({ title: '\u0000' }), on)?.title).toBe('Parley');
  });
});

describe('serverNotificationsOn', () => {
  it('matches saved servers by origin: scheme, host and port', () => {
    const saved = [{ name: 'Quiet', url: 'https://chat.example.com/parley', notifications: false }];
    expect(serverNotificationsOn(saved, 'https://chat.example.com')).toBe(false);
    expect(serverNotificationsOn(saved, 'https://CHAT.example.com:443/')).toBe(false);
    expect(serverNotificationsOn(saved, 'http://chat.example.com')).toBe(true);
    expect(serverNotificationsOn(saved, 'https://chat.example.com:8443')).toBe(true);
    expect(serverNotificationsOn(saved, 'not a url')).toBe(true);
    expect(serverNotificationsOn([], 'https://chat.example.com')).toBe(true);
  });
});
