/** The preload's DesktopApi over a fake ipcRenderer: exact surface, result unwrapping, listeners. */
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { IpcChannel, type DesktopApi } from '../../../protocol/index';
import { appVersionFromArgv, createDesktopApi, DesktopApiError, type IpcRendererLike } from '../../../main/preload/api';

function fakeIpc(answers: Record<string, unknown> = {}) {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const invoked: [string, unknown[]][] = [];
  const sent: [string, unknown[]][] = [];
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, args]);
      return answers[channel];
    },
    send: (channel, ...args) => void sent.push([channel, args]),
    on: (channel, listener) => {
      listeners.set(channel, listener);
      return ipc;
    },
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.({ sender: 'secret event object' }, payload);
  return { ipc, invoked, sent, emit, listeners };
}

const info = { platform: 'linux', appVersion: '1.0.0' };

describe('createDesktopApi', () => {
  it('has exactly the DesktopApi members, and no way to reach IPC', () => {
    const api = createDesktopApi(fakeIpc().ipc, info);
    expectTypeOf(api).toEqualTypeOf<DesktopApi>();
    expect(Object.keys(api).sort()).toEqual(
      ['platform', 'appVersion', 'getSettings', 'updateSettings', 'listLanSessions', 'onLanSessions', 'hostSession', 'stopHosting', 'getHostedSession', 'notify', 'setUnreadCount', 'openExternal', 'onFocusRoom', 'onJoinLink', 'onNotice'].sort(),
    );
    for (const value of Object.values(api)) expect(['string', 'function']).toContain(typeof value);
    expect(JSON.stringify(api)).not.toMatch(/invoke|ipc/i);
  });

  it('invokes one fixed channel per operation and unwraps the result', async () => {
    const fake = fakeIpc({ [IpcChannel.relayHost]: { ok: true, value: { name: 'Team' } }, [IpcChannel.settingsUpdate]: { ok: true, value: { theme: 'dark' } } });
    const api = createDesktopApi(fake.ipc, info);
    expect(await api.hostSession({ name: 'Team', lan: true })).toEqual({ name: 'Team' });
    expect(await api.updateSettings({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(fake.invoked).toEqual([
      [IpcChannel.relayHost, [{ name: 'Team', lan: true }]],
      [IpcChannel.settingsUpdate, [{ theme: 'dark' }]],
    ]);
  });

  it('turns a typed error into an Error with code and message', async () => {
    const api = createDesktopApi(fakeIpc({ [IpcChannel.relayHost]: { ok: false, code: 'PORT_IN_USE', message: 'Port 3000 is already in use.' } }).ipc, info);
    const err = await api.hostSession({ name: 'x', lan: true, port: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesktopApiError);
    expect(err).toMatchObject({ code: 'PORT_IN_USE', message: 'Port 3000 is already in use.' });
    await expect(createDesktopApi(fakeIpc().ipc, info).getSettings()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('sends notifications and unread counts without waiting', () => {
    const fake = fakeIpc();
    const api = createDesktopApi(fake.ipc, info);
    api.notify({ title: 't', body: 'b', room: 'lobby' });
    api.setUnreadCount(3);
    expect(fake.sent).toEqual([
      [IpcChannel.notify, [{ title: 't', body: 'b', room: 'lobby' }]],
      [IpcChannel.unread, [3]],
    ]);
  });

  it('listeners get the payload only, and unsubscribe exactly', () => {
    const fake = fakeIpc();
    const api = createDesktopApi(fake.ipc, info);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.onLanSessions(a);
    api.onLanSessions(b);
    fake.emit(IpcChannel.lanChanged, [{ id: 'x' }]);
    offA();
    offA();
    fake.emit(IpcChannel.lanChanged, []);
    expect(a.mock.calls).toEqual([[[{ id: 'x' }]]]);
    expect(b.mock.calls).toEqual([[[{ id: 'x' }]], [[]]]);
    // One ipcRenderer listener per channel, however many page listeners come and go.
    expect(fake.listeners.size).toBe(4);
  });

  it('keeps a join link or notice that arrives before anyone listens, but not stale LAN lists', () => {
    const fake = fakeIpc();
    const api = createDesktopApi(fake.ipc, info);
    fake.emit(IpcChannel.joinLink, { url: 'http://10.0.0.2:3000' });
    fake.emit(IpcChannel.notice, { level: 'warning', message: 'Settings were reset' });
    fake.emit(IpcChannel.lanChanged, [{ id: 'old' }]);
    const links = vi.fn();
    const notices = vi.fn();
    const lists = vi.fn();
    api.onJoinLink(links);
    api.onNotice(notices);
    api.onLanSessions(lists);
    expect(links).toHaveBeenCalledWith({ url: 'http://10.0.0.2:3000' });
    expect(notices).toHaveBeenCalledWith({ level: 'warning', message: 'Settings were reset' });
    expect(lists).not.toHaveBeenCalled();
    // Delivered once.
    api.onJoinLink(links);
    expect(links).toHaveBeenCalledTimes(1);
  });

  it('a throwing page callback does not stop the others', async () => {
    const fake = fakeIpc();
    const api = createDesktopApi(fake.ipc, info);
    const ok = vi.fn();
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      api.onFocusRoom(() => {
        throw new Error('page bug');
      });
      api.onFocusRoom(ok);
      fake.emit(IpcChannel.focusRoom, 'lobby');
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(ok).toHaveBeenCalledWith('lobby');
    expect(errors).toHaveLength(1);
  });

  it('refuses a non-function listener', () => {
    expect(() => createDesktopApi(fakeIpc().ipc, info).onNotice('x' as never)).toThrow(TypeError);
  });
});

describe('appVersionFromArgv', () => {
  it('reads the switch the main process passes', () => {
    expect(appVersionFromArgv(['/electron', '--type=renderer', '--parley-app-version=1.2.3-beta.1'])).toBe('1.2.3-beta.1');
    expect(appVersionFromArgv(['/electron'])).toBe('0.0.0');
    expect(appVersionFromArgv(['--parley-app-version=1 2'])).toBe('0.0.0');
  });
});
