/**
 * The preload's DesktopBridge over a fake ipcRenderer: exact surface, result unwrapping, listeners; and
 * through a stand-in for contextBridge that copies errors as Electron does, the renderer's adapter.
 */
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { IpcChannel, type DesktopApi, type DesktopBridge } from '../../../protocol/index';
import { appVersionFromArgv, createDesktopApi, type IpcRendererLike } from '../../../main/preload/api';
import { adaptDesktopBridge, DesktopApiError, isDesktopApiError } from '../../../renderer/platform/desktop-api';
import { crossBridge, fakeContextBridge } from './context-bridge';

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
    expectTypeOf(api).toEqualTypeOf<DesktopBridge>();
    expect(Object.keys(api).sort()).toEqual(
      ['platform', 'appVersion', 'getSettings', 'updateSettings', 'getCapabilities', 'listLanSessions', 'onLanSessions', 'hostSession', 'stopHosting', 'getHostedSession', 'notify', 'setUnreadCount', 'openExternal', 'onFocusRoom', 'onJoinLink', 'onNotice', 'onSystemResume', 'runDoctor', 'onDoctorProgress', 'checkLan', 'testNotification', 'onNotificationTestClick', 'rotateCertificate', 'pairWithLanHost', 'forgetCertificate', 'listPinnedCertificates', 'onCertificateRefused'].sort(),
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

  it('rejects a failed call with the envelope as plain data, never an Error', async () => {
    const api = createDesktopApi(fakeIpc({ [IpcChannel.relayHost]: { ok: false, code: 'PORT_IN_USE', message: 'Port 3000 is already in use.', stack: 'main only' } }).ipc, info);
    const err = await api.hostSession({ name: 'x', lan: true, port: 3000 }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(Error);
    // Exactly the three fields: nothing else main put on it.
    expect(err).toStrictEqual({ ok: false, code: 'PORT_IN_USE', message: 'Port 3000 is already in use.' });
    await expect(createDesktopApi(fakeIpc().ipc, info).getSettings()).rejects.toStrictEqual({ ok: false, code: 'INTERNAL', message: 'The desktop app gave no answer.' });
  });

  it('turns a rejected invoke (no handler in main) into INTERNAL data', async () => {
    const fake = fakeIpc();
    fake.ipc.invoke = async (channel) => {
      throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    };
    await expect(createDesktopApi(fake.ipc, info).stopHosting()).rejects.toStrictEqual({ ok: false, code: 'INTERNAL', message: expect.stringContaining('No handler registered') });
  });

  it('sends notifications and unread counts without waiting', () => {
    const fake = fakeIpc();
    const api = createDesktopApi(fake.ipc, info);
    api.notify({ title: 't', body: 'b', room: 'lobby', server: 'http://10.0.0.5:3000' });
    api.setUnreadCount(3);
    expect(fake.sent).toEqual([
      [IpcChannel.notify, [{ title: 't', body: 'b', room: 'lobby', server: 'http://10.0.0.5:3000' }]],
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
    expect(fake.listeners.size).toBe(8);
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
    // A wake before the page listens is not replayed: a page that is only starting connects afresh.
    fake.emit(IpcChannel.powerResumed, { cause: 'resume' });
    const wakes = vi.fn();
    api.onSystemResume(wakes);
    expect(wakes).not.toHaveBeenCalled();
    fake.emit(IpcChannel.powerResumed, { cause: 'unlock-screen' });
    expect(wakes.mock.calls).toEqual([[{ cause: 'unlock-screen' }]]);
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
      fake.emit(IpcChannel.focusRoom, { server: 'http://10.0.0.5:3000', room: 'lobby' });
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(ok).toHaveBeenCalledWith({ server: 'http://10.0.0.5:3000', room: 'lobby' });
    expect(errors).toHaveLength(1);
  });

  it('refuses a non-function listener', () => {
    expect(() => createDesktopApi(fakeIpc().ipc, info).onNotice('x' as never)).toThrow(TypeError);
  });
});

describe('through the context bridge, as the page gets it', () => {
  /** The preload's API exposed through the stand-in contextBridge, and the renderer's adapter of it. */
  function page(answers: Record<string, unknown>) {
    const world: { parley?: DesktopBridge } = {};
    fakeContextBridge(world).exposeInMainWorld('parley', createDesktopApi(fakeIpc(answers).ipc, info));
    if (!world.parley) throw new Error('nothing exposed');
    return { bridge: world.parley, api: adaptDesktopBridge(world.parley) };
  }

  it('the stand-in keeps only the message of an error, thrown or rejected, as Electron does', async () => {
    class CodedError extends Error {
      code = 'PORT_IN_USE';
    }
    const crossed = crossBridge({
      rejects: async () => {
        throw new CodedError('Port 3000 is already in use.');
      },
      throws: () => {
        throw new CodedError('sync');
      },
      data: async () => ({ ok: false, code: 'PORT_IN_USE', message: 'm' }),
    }) as Record<string, () => Promise<unknown>>;
    const rejected = await crossed.rejects?.().catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(Error);
    expect(rejected).not.toBeInstanceOf(CodedError);
    expect(rejected).toMatchObject({ name: 'Error', message: 'Port 3000 is already in use.' });
    expect(rejected).not.toHaveProperty('code');
    let thrown: unknown;
    try {
      void crossed.throws?.();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'Error', message: 'sync' });
    expect(thrown).not.toHaveProperty('code');
    expect(await crossed.data?.()).toStrictEqual({ ok: false, code: 'PORT_IN_USE', message: 'm' });
  });

  it("a relay:host error code reaches the renderer's caller as a typed DesktopApiError", async () => {
    const { bridge, api } = page({ [IpcChannel.relayHost]: { ok: false, code: 'PORT_IN_USE', message: 'Port 3000 is already in use.' } });
    // What window.parley itself rejects with: the code survived the bridge.
    await expect(bridge.hostSession({ name: 'x', lan: true, port: 3000 })).rejects.toMatchObject({ code: 'PORT_IN_USE' });

    const err = await api.hostSession({ name: 'x', lan: true, port: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesktopApiError);
    expect(err).toMatchObject({ name: 'DesktopApiError', operation: 'hostSession', code: 'PORT_IN_USE', message: 'Port 3000 is already in use.' });
    if (!isDesktopApiError(err, 'hostSession')) throw new Error('expected a hostSession failure');
    expectTypeOf(err.code).toEqualTypeOf<'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL' | 'ALREADY_HOSTING' | 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'HOST_FAILED'>();
    expect(isDesktopApiError(err, 'getSettings')).toBe(false);
  });

  it('every hosting code and the common ones arrive intact', async () => {
    for (const code of ['ALREADY_HOSTING', 'PORT_IN_USE', 'PORT_FORBIDDEN', 'HOST_FAILED', 'INVALID_ARGUMENT', 'FORBIDDEN_SENDER', 'INTERNAL'] as const) {
      const { api } = page({ [IpcChannel.relayHost]: { ok: false, code, message: `failed: ${code}` } });
      await expect(api.hostSession({ name: 'x', lan: false })).rejects.toMatchObject({ code, message: `failed: ${code}` });
    }
  });

  it('values, sends and subscriptions pass through the adapter unchanged', async () => {
    const fake = fakeIpc({ [IpcChannel.relayHost]: { ok: true, value: { name: 'Team', lanUrls: ['http://10.0.0.2:3000'] } }, [IpcChannel.openExternal]: { ok: true, value: false } });
    const world: { parley?: DesktopBridge } = {};
    fakeContextBridge(world).exposeInMainWorld('parley', createDesktopApi(fake.ipc, info));
    const api: DesktopApi = adaptDesktopBridge(world.parley as DesktopBridge);
    expect(Object.keys(api).sort()).toEqual(Object.keys(world.parley ?? {}).sort());
    expect(await api.hostSession({ name: 'Team', lan: true })).toEqual({ name: 'Team', lanUrls: ['http://10.0.0.2:3000'] });
    expect(await api.openExternal('javascript:alert(1)')).toBe(false);
    api.setUnreadCount(2);
    const rooms = vi.fn();
    const off = api.onFocusRoom(rooms);
    fake.emit(IpcChannel.focusRoom, { server: 'http://10.0.0.5:3000', room: 'lobby' });
    off();
    fake.emit(IpcChannel.focusRoom, { server: 'http://10.0.0.5:3000', room: 'other' });
    expect(rooms.mock.calls).toEqual([[{ server: 'http://10.0.0.5:3000', room: 'lobby' }]]);
    expect(fake.sent).toEqual([[IpcChannel.unread, [2]]]);
    expect(api).toMatchObject({ platform: 'linux', appVersion: '1.0.0' });
  });

  it('an error that was not the preload envelope becomes INTERNAL, with its message', async () => {
    const bridge = { ...createDesktopApi(fakeIpc().ipc, info), getSettings: () => Promise.reject(new Error('Error invoking remote method')) };
    await expect(adaptDesktopBridge(bridge).getSettings()).rejects.toMatchObject({ code: 'INTERNAL', message: 'Error invoking remote method' });
  });
});

describe('appVersionFromArgv', () => {
  it('reads the switch the main process passes', () => {
    expect(appVersionFromArgv(['/electron', '--type=renderer', '--parley-app-version=1.2.3-beta.1'])).toBe('1.2.3-beta.1');
    expect(appVersionFromArgv(['/electron'])).toBe('0.0.0');
    expect(appVersionFromArgv(['--parley-app-version=1 2'])).toBe('0.0.0');
  });
});
