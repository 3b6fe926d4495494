/** IPC handlers with a fake ipcMain and fake events: sender checks, argument validation, typed errors. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcChannel, type DesktopCapabilities, type DesktopSettings, type HostedSession } from '../../../protocol/index';
import { HostError } from '../../../main/host/host-service';
import { DoctorBusyError } from '../../../main/diagnostics/doctor-service';
import { registerIpcHandlers, type IpcMainLike, type IpcServices } from '../../../main/ipc/handlers';
import { isIpcResult } from '../../../main/ipc/result';
import type { SenderEvent } from '../../../main/ipc/sender';
import { NotLanError } from '../../../main/security/pins';

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Listener>();
  listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  removeAllListeners(channel?: string) {
    if (channel) this.listeners.delete(channel);
  }
  invoke(channel: string, event: SenderEvent, ...args: unknown[]) {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h(event, ...args));
  }
  send(channel: string, event: SenderEvent, ...args: unknown[]) {
    this.listeners.get(channel)?.(event, ...args);
  }
}

const fromApp: SenderEvent = { senderFrame: { url: 'app://parley/index.html', parent: null } };
const fromWeb: SenderEvent = { senderFrame: { url: 'https://evil.example/', parent: null } };
const fromIframe: SenderEvent = { senderFrame: { url: 'app://parley/index.html', parent: {} } };
const fromGone: SenderEvent = { senderFrame: null };

const settings: DesktopSettings = { nickname: 'Ana', savedServers: [], lastServer: null, theme: 'system', notifications: true, notificationSound: true, updates: false, startAtLogin: false, language: null };
const capabilities: DesktopCapabilities = { startAtLogin: true, updates: false };
const server = 'https://chat.example.com';
const hosted: HostedSession = { name: 'Team', localUrl: 'http://127.0.0.1:4000', lanUrls: ['http://192.168.1.2:4000'], joinCode: 'ABC234', port: 4000, fingerprint: null };

function services(): IpcServices & { [K in keyof IpcServices]: ReturnType<typeof vi.fn> } {
  return {
    getSettings: vi.fn(() => settings),
    updateSettings: vi.fn(async (patch: Partial<DesktopSettings>) => ({ ...settings, ...patch })),
    getCapabilities: vi.fn(() => capabilities),
    listLanSessions: vi.fn(() => []),
    hostSession: vi.fn(async () => hosted),
    stopHosting: vi.fn(async () => undefined),
    getHostedSession: vi.fn(() => null),
    notify: vi.fn(),
    setUnreadCount: vi.fn(),
    openExternal: vi.fn(async () => true),
    runDoctor: vi.fn(async (url: string) => ({ url, at: 0, from: 'desktop', checks: [] })),
    checkLan: vi.fn(async () => []),
    testNotification: vi.fn(() => ({ id: 'n1', supported: true, shown: true })),
    rotateCertificate: vi.fn(async () => {
      throw new HostError('ALREADY_HOSTING', 'Stop it first.');
    }),
    pairWithLanHost: vi.fn(async (origin: string) => {
      if (!origin.startsWith('https://192.168.')) throw new NotLanError('LAN addresses only.');
      return { ok: false, reason: 'WRONG_CODE_OR_HOST' };
    }),
    forgetCertificate: vi.fn(async () => undefined),
    listPinnedCertificates: vi.fn(() => []),
  } as never;
}

describe('IPC handlers', () => {
  let ipc: FakeIpcMain;
  let svc: ReturnType<typeof services>;
  let logs: string[];
  beforeEach(() => {
    ipc = new FakeIpcMain();
    svc = services();
    logs = [];
    registerIpcHandlers({ ipcMain: ipc, origins: { devServer: null }, services: svc, log: (m) => logs.push(m) });
  });

  it('registers every channel of the contract except main → renderer events', () => {
    const events = [IpcChannel.lanChanged, IpcChannel.focusRoom, IpcChannel.joinLink, IpcChannel.notice, IpcChannel.powerResumed, IpcChannel.doctorProgress, IpcChannel.notifyTestClicked, IpcChannel.tlsRefused];
    const expected = Object.values(IpcChannel).filter((c) => !(events as string[]).includes(c));
    expect([...ipc.handlers.keys(), ...ipc.listeners.keys()].sort()).toEqual([...expected].sort());
  });

  it('answers the certificate channels, with their typed refusals', async () => {
    const fp = 'ab'.repeat(32);
    expect(await ipc.invoke(IpcChannel.tlsPair, fromApp, 'https://192.168.1.20:4000', 'K7M2QX', fp, {})).toEqual({ ok: true, value: { ok: false, reason: 'WRONG_CODE_OR_HOST' } });
    expect(await ipc.invoke(IpcChannel.tlsPair, fromApp, 'https://chat.example.com', 'K7M2QX', fp, {})).toMatchObject({ ok: false, code: 'NOT_LAN' });
    expect(await ipc.invoke(IpcChannel.tlsPair, fromApp, 'https://192.168.1.20:4000', 'K7M2QX', 'short', {})).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await ipc.invoke(IpcChannel.tlsPair, fromApp, 'https://192.168.1.20:4000', 'K7M2QX', fp, { replace: true, extra: 1 })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await ipc.invoke(IpcChannel.relayRotateCertificate, fromApp)).toMatchObject({ ok: false, code: 'ALREADY_HOSTING' });
    expect(await ipc.invoke(IpcChannel.tlsPins, fromApp, 'extra')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('answers our renderer with a value', async () => {
    expect(await ipc.invoke(IpcChannel.settingsGet, fromApp)).toEqual({ ok: true, value: settings });
    expect(await ipc.invoke(IpcChannel.capabilities, fromApp)).toEqual({ ok: true, value: capabilities });
    expect(await ipc.invoke(IpcChannel.relayHost, fromApp, { name: 'Team', lan: true })).toEqual({ ok: true, value: hosted });
    expect(svc.hostSession).toHaveBeenCalledWith({ name: 'Team', lan: true });
    expect(await ipc.invoke(IpcChannel.relayStop, fromApp)).toEqual({ ok: true, value: undefined });
    expect(await ipc.invoke(IpcChannel.relayGet, fromApp)).toEqual({ ok: true, value: null });
    expect(await ipc.invoke(IpcChannel.lanList, fromApp)).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke(IpcChannel.openExternal, fromApp, 'https://example.com')).toEqual({ ok: true, value: true });
  });

  it.each([
    ['a foreign page', fromWeb],
    ['an iframe of ours', fromIframe],
    ['a frame that is gone', fromGone],
  ])('refuses %s on every invoke channel, without calling the service', async (_what, event) => {
    for (const channel of ipc.handlers.keys()) {
      const result = await ipc.invoke(channel, event, { name: 'x', lan: true });
      expect(result, channel).toEqual({ ok: false, code: 'FORBIDDEN_SENDER', message: expect.any(String) });
    }
    for (const fn of Object.values(svc)) expect(fn).not.toHaveBeenCalled();
  });

  it('ignores fire-and-forget messages from untrusted senders', () => {
    ipc.send(IpcChannel.notify, fromWeb, { title: 't', body: 'b', room: 'lobby', server });
    ipc.send(IpcChannel.unread, fromIframe, 3);
    expect(svc.notify).not.toHaveBeenCalled();
    expect(svc.setUnreadCount).not.toHaveBeenCalled();
    expect(logs.filter((l) => l.includes('untrusted'))).toHaveLength(2);
  });

  it.each([
    [IpcChannel.relayHost, [{ name: 'x', lan: 'yes' }]],
    [IpcChannel.relayHost, [{ name: '', lan: true }]],
    [IpcChannel.relayHost, [{ name: '\u202E\u0000', lan: true }]],
    [IpcChannel.relayHost, [{ name: 'x', lan: true, port: 80 }]],
    [IpcChannel.relayHost, [{ name: 'x', lan: true, port: 70000 }]],
    [IpcChannel.relayHost, [{ name: 'x', lan: true, host: '0.0.0.0' }]],
    [IpcChannel.relayHost, []],
    [IpcChannel.settingsUpdate, [{ updates: 'yes' }]],
    [IpcChannel.settingsUpdate, [{ updates: 1 }]],
    [IpcChannel.settingsUpdate, [{ startAtLogin: 'true' }]],
    [IpcChannel.settingsUpdate, [{ startAtLogin: null }]],
    [IpcChannel.settingsUpdate, [{ notificationSound: 0 }]],
    [IpcChannel.settingsUpdate, [{ savedServers: [{ name: 'x', url: 'https://x.example.com', notifications: 'off' }] }]],
    [IpcChannel.capabilities, ['all']],
    [IpcChannel.settingsUpdate, [{ window: { width: 1, height: 1 } }]],
    [IpcChannel.settingsUpdate, [{ theme: 'neon' }]],
    [IpcChannel.settingsUpdate, ['nickname']],
    [IpcChannel.settingsGet, ['extra']],
    [IpcChannel.openExternal, [42]],
    [IpcChannel.openExternal, ['x'.repeat(5000)]],
    [IpcChannel.doctorRun, ['https://chat.example.com']],
    [IpcChannel.doctorRun, ['https://chat.example.com', { idleSeconds: -1 }]],
    [IpcChannel.doctorRun, ['https://chat.example.com', { idleSeconds: 601 }]],
    [IpcChannel.doctorRun, ['https://chat.example.com', { idleSeconds: 1.5 }]],
    [IpcChannel.doctorRun, ['https://chat.example.com', { joinCode: 'ABC234' }]],
    [IpcChannel.doctorRun, ['https://chat.example.com', { fingerprint: 'not hex' }]],
    [IpcChannel.doctorRun, [{ url: 'https://chat.example.com' }, {}]],
    [IpcChannel.doctorLan, ['now']],
    [IpcChannel.notifyTest, [{ title: 'phishing' }]],
  ])('refuses invalid arguments on %s: %j', async (channel, args) => {
    expect(await ipc.invoke(channel, fromApp, ...args)).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringContaining('Invalid arguments') });
  });

  it('accepts the settings screen\'s fields: update checks, start at login, notification sound, per-server notifications', async () => {
    const patch = { updates: true, startAtLogin: true, notificationSound: false, savedServers: [{ name: 'Quiet', url: server, notifications: false }] };
    expect(await ipc.invoke(IpcChannel.settingsUpdate, fromApp, patch)).toEqual({ ok: true, value: { ...settings, ...patch } });
    expect(svc.updateSettings).toHaveBeenCalledWith(patch);
  });

  it('cleans the session name and passes only known fields', async () => {
    await ipc.invoke(IpcChannel.relayHost, fromApp, { name: '  Team\u200B  ', lan: false, port: 0 });
    expect(svc.hostSession).toHaveBeenCalledWith({ name: 'Team', lan: false, port: 0 });
  });

  it('runs the doctor with its options, and says DOCTOR_BUSY when a run is going', async () => {
    const fingerprint = 'AB:'.repeat(31) + 'AB';
    expect(await ipc.invoke(IpcChannel.doctorRun, fromApp, 'http://127.0.0.1:9', { idleSeconds: 5, fingerprint })).toMatchObject({ ok: true, value: { url: 'http://127.0.0.1:9' } });
    expect(svc.runDoctor).toHaveBeenCalledWith('http://127.0.0.1:9', { idleSeconds: 5, fingerprint });
    svc.runDoctor.mockRejectedValueOnce(new DoctorBusyError('doctor'));
    expect(await ipc.invoke(IpcChannel.doctorRun, fromApp, 'x', {})).toEqual({ ok: false, code: 'DOCTOR_BUSY', message: 'The connection doctor is already running.' });
    svc.checkLan.mockRejectedValueOnce(new DoctorBusyError('lan'));
    expect(await ipc.invoke(IpcChannel.doctorLan, fromApp)).toEqual({ ok: false, code: 'DOCTOR_BUSY', message: 'The network checks are already running.' });
    expect(await ipc.invoke(IpcChannel.notifyTest, fromApp)).toEqual({ ok: true, value: { id: 'n1', supported: true, shown: true } });
  });

  it('turns a HostError into its typed error', async () => {
    svc.hostSession.mockRejectedValueOnce(new HostError('ALREADY_HOSTING', 'Already hosting "Team".'));
    expect(await ipc.invoke(IpcChannel.relayHost, fromApp, { name: 'x', lan: true })).toEqual({ ok: false, code: 'ALREADY_HOSTING', message: 'Already hosting "Team".' });
  });

  it('passes on only the codes a channel declares: elsewhere a HostError is INTERNAL too', async () => {
    svc.stopHosting.mockRejectedValueOnce(new HostError('HOST_FAILED', 'relay would not close'));
    expect(await ipc.invoke(IpcChannel.relayStop, fromApp)).toEqual({ ok: false, code: 'INTERNAL', message: 'Something went wrong in the desktop app.' });
    expect(logs).toContain('IPC handler failed');
  });

  it('hides unexpected errors behind INTERNAL and logs them', async () => {
    svc.updateSettings.mockRejectedValueOnce(new Error('secret path /home/ana/.config'));
    const result = await ipc.invoke(IpcChannel.settingsUpdate, fromApp, { theme: 'dark' });
    expect(result).toEqual({ ok: false, code: 'INTERNAL', message: 'Something went wrong in the desktop app.' });
    expect(isIpcResult(result)).toBe(true);
    expect(logs).toContain('IPC handler failed');
  });

  it('validates fire-and-forget messages', () => {
    ipc.send(IpcChannel.notify, fromApp, { title: 'Ana', body: 'hi', room: 'lobby', server });
    ipc.send(IpcChannel.notify, fromApp, { title: 'Ana', body: 'hi', room: '../../etc', server });
    ipc.send(IpcChannel.unread, fromApp, 5);
    ipc.send(IpcChannel.unread, fromApp, -1);
    ipc.send(IpcChannel.unread, fromApp, '5');
    expect(svc.notify).toHaveBeenCalledTimes(1);
    expect(svc.notify).toHaveBeenCalledWith({ title: 'Ana', body: 'hi', room: 'lobby', server });
    expect(svc.setUnreadCount).toHaveBeenCalledTimes(1);
    expect(svc.setUnreadCount).toHaveBeenCalledWith(5);
  });

  it.each([
    ['no server', undefined],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a URL with credentials', 'https://ana:secret@chat.example.com'],
    ['not a URL', 'chat.example.com'],
    ['a number', 42],
    ['an overlong URL', `https://chat.example.com/${'x'.repeat(3000)}`],
  ])('drops a notification with %s as its server', (_what, bad) => {
    ipc.send(IpcChannel.notify, fromApp, { title: 'Ana', body: 'hi', room: 'lobby', server: bad });
    expect(svc.notify).not.toHaveBeenCalled();
    expect(logs).toContain('dropped invalid IPC message');
  });

  it('can be unregistered', () => {
    const ipc2 = new FakeIpcMain();
    const off = registerIpcHandlers({ ipcMain: ipc2, origins: { devServer: null }, services: svc });
    off();
    expect(ipc2.handlers.size + ipc2.listeners.size).toBe(0);
  });

  it('accepts the dev server in development only', async () => {
    const ipc2 = new FakeIpcMain();
    registerIpcHandlers({ ipcMain: ipc2, origins: { devServer: 'http://localhost:5173' }, services: svc });
    expect(await ipc2.invoke(IpcChannel.settingsGet, { senderFrame: { url: 'http://localhost:5173/', parent: null } })).toMatchObject({ ok: true });
    expect(await ipc.invoke(IpcChannel.settingsGet, { senderFrame: { url: 'http://localhost:5173/', parent: null } })).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' });
  });
});
