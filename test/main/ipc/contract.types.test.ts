/**
 * The IPC registry (protocol/ipc.ts) and what derives from it must agree exactly: the renderer's
 * DesktopApi and its adapter of the preload's bridge, the preload that implements the bridge, main's services and handlers, the zod schemas of the
 * arguments, and the main → renderer posts. The expectTypeOf and @ts-expect-error lines are checked by
 * `tsc` (npm run typecheck); the runtime tests check that each operation rides on its channel.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  IpcChannel,
  type ChatNotification,
  type DesktopApi,
  type DesktopApiChannels,
  type DesktopBridge,
  type DesktopBridgeFailure,
  type DesktopCapabilities,
  type DesktopApiErrorCode,
  type DesktopOperations,
  type DesktopSettings,
  type FocusTarget,
  type HostedSession,
  type HostOptions,
  type IpcArgs,
  type IpcChannelName,
  type IpcErrorCode,
  type IpcEventChannel,
  type IpcFailure,
  type IpcInvokeChannel,
  type IpcRequestChannel,
  type IpcResult,
  type IpcSendChannel,
  type JoinLink,
  type LanSession,
  type CheckResult,
  type DoctorOptions,
  type DoctorReport,
  type LanCheckId,
  type NotificationTestClick,
  type NotificationTestResult,
} from '../../../protocol/index';
import type { IpcHandler, IpcServices } from '../../../main/ipc/handlers';
import { fail } from '../../../main/ipc/result';
import { IPC_ARG_SCHEMAS, NoArgs, type IpcArgsSchema } from '../../../main/ipc/schemas';
import { createDesktopApi, type IpcRendererLike } from '../../../main/preload/api';
import { adaptDesktopBridge, DesktopApiError } from '../../../renderer/platform/desktop-api';
import { createRendererChannel } from '../../../main/shell/renderer-channel';

type Operation = keyof DesktopApiChannels;
type ServiceOperation = { [M in Operation]: DesktopApiChannels[M] extends IpcEventChannel ? never : M }[Operation];
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/** The operations riding on channel C: exactly one for every channel. */
type OperationsOn<C> = { [M in Operation]: DesktopApiChannels[M] extends C ? M : never }[Operation];

type SchemaOutputs = { [C in IpcRequestChannel]: z.output<(typeof IPC_ARG_SCHEMAS)[C]> };
type RegistryArgs = { [C in IpcRequestChannel]: IpcArgs<C> };

describe('the registry and its derivations agree', () => {
  it('every channel is carried by exactly one DesktopApi operation', () => {
    expectTypeOf<DesktopApiChannels[Operation]>().toEqualTypeOf<IpcChannelName>();
    expectTypeOf<{ [C in IpcChannelName]: IsUnion<OperationsOn<C>> }[IpcChannelName]>().toEqualTypeOf<false>();
    expectTypeOf<keyof DesktopApi>().toEqualTypeOf<Operation | 'platform' | 'appVersion'>();
  });

  it('DesktopApi takes each signature from the registry entry of its channel', () => {
    expectTypeOf<DesktopApi['getSettings']>().toEqualTypeOf<() => Promise<DesktopSettings>>();
    expectTypeOf<DesktopApi['updateSettings']>().toEqualTypeOf<(patch: Partial<DesktopSettings>) => Promise<DesktopSettings>>();
    expectTypeOf<DesktopApi['getCapabilities']>().toEqualTypeOf<() => Promise<DesktopCapabilities>>();
    expectTypeOf<DesktopCapabilities>().toEqualTypeOf<{ startAtLogin: boolean; updates: boolean }>();
    expectTypeOf<FocusTarget>().toEqualTypeOf<{ server: string; room: string }>();
    expectTypeOf<ChatNotification>().toEqualTypeOf<{ title: string; body: string; room: string; server: string }>();
    expectTypeOf<DesktopApi['hostSession']>().toEqualTypeOf<(options: HostOptions) => Promise<HostedSession>>();
    expectTypeOf<DesktopApi['stopHosting']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<DesktopApi['getHostedSession']>().toEqualTypeOf<() => Promise<HostedSession | null>>();
    expectTypeOf<DesktopApi['openExternal']>().toEqualTypeOf<(url: string) => Promise<boolean>>();
    expectTypeOf<DesktopApi['notify']>().toEqualTypeOf<(notification: ChatNotification) => void>();
    expectTypeOf<DesktopApi['setUnreadCount']>().toEqualTypeOf<(count: number) => void>();
    expectTypeOf<DesktopApi['onLanSessions']>().toEqualTypeOf<(callback: (payload: LanSession[]) => void) => () => void>();
    expectTypeOf<DesktopApi['onFocusRoom']>().toEqualTypeOf<(callback: (payload: FocusTarget) => void) => () => void>();
    expectTypeOf<DesktopApi['onJoinLink']>().toEqualTypeOf<(callback: (payload: JoinLink) => void) => () => void>();
    expectTypeOf<DesktopApi['runDoctor']>().toEqualTypeOf<(url: string, options: DoctorOptions) => Promise<DoctorReport>>();
    expectTypeOf<DesktopApi['onDoctorProgress']>().toEqualTypeOf<(callback: (payload: CheckResult) => void) => () => void>();
    expectTypeOf<DesktopApi['checkLan']>().toEqualTypeOf<() => Promise<CheckResult<LanCheckId>[]>>();
    expectTypeOf<DesktopApi['testNotification']>().toEqualTypeOf<() => Promise<NotificationTestResult>>();
    expectTypeOf<DesktopApi['onNotificationTestClick']>().toEqualTypeOf<(callback: (payload: NotificationTestClick) => void) => () => void>();
    expectTypeOf<NotificationTestResult>().toEqualTypeOf<{ id: string; supported: boolean; shown: boolean }>();
  });

  it('the preload implements exactly the DesktopBridge, and the renderer adapts it into the DesktopApi', () => {
    expectTypeOf(createDesktopApi).returns.toEqualTypeOf<DesktopBridge>();
    expectTypeOf(adaptDesktopBridge).parameter(0).toEqualTypeOf<DesktopBridge>();
    expectTypeOf(adaptDesktopBridge).returns.toEqualTypeOf<DesktopApi>();
    expectTypeOf<DesktopApiError['code']>().toEqualTypeOf<IpcErrorCode>();
    expectTypeOf<DesktopApiError<'hostSession'>['code']>().toEqualTypeOf<IpcErrorCode<'relay:host'>>();
    expectTypeOf<DesktopBridgeFailure<'hostSession'>>().toEqualTypeOf<IpcFailure<IpcErrorCode<'relay:host'>>>();
  });

  it("main's services are the DesktopApi operations that reach main, without the Promise", () => {
    expectTypeOf<keyof IpcServices>().toEqualTypeOf<ServiceOperation>();
    expectTypeOf<{ [M in ServiceOperation]: Parameters<IpcServices[M]> }>().toEqualTypeOf<{ [M in ServiceOperation]: Parameters<DesktopApi[M]> }>();
    expectTypeOf<{ [M in ServiceOperation]: Awaited<ReturnType<IpcServices[M]>> }>().toEqualTypeOf<{ [M in ServiceOperation]: Awaited<ReturnType<DesktopApi[M]>> }>();
    expectTypeOf<IpcServices['getSettings']>().toEqualTypeOf<() => DesktopSettings | Promise<DesktopSettings>>();
    expectTypeOf<IpcHandler<'app:unread'>>().toEqualTypeOf<(count: number) => void>();
  });

  it('the zod schema of every channel parses to exactly its registry arguments', () => {
    expectTypeOf<keyof typeof IPC_ARG_SCHEMAS>().toEqualTypeOf<IpcRequestChannel>();
    expectTypeOf<SchemaOutputs>().toEqualTypeOf<RegistryArgs>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['relay:host']>>().toEqualTypeOf<[HostOptions]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['settings:update']>>().toEqualTypeOf<[Partial<DesktopSettings>]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['app:notify']>>().toEqualTypeOf<[ChatNotification]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['settings:get']>>().toEqualTypeOf<[]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['app:capabilities']>>().toEqualTypeOf<[]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['doctor:run']>>().toEqualTypeOf<[string, DoctorOptions]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['doctor:lan']>>().toEqualTypeOf<[]>();
    expectTypeOf<z.output<(typeof IPC_ARG_SCHEMAS)['notify:test']>>().toEqualTypeOf<[]>();
  });

  it('error codes: the common three everywhere, declared ones only where declared', () => {
    expectTypeOf<DesktopApiErrorCode<'getSettings'>>().toEqualTypeOf<'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL'>();
    expectTypeOf<DesktopApiErrorCode<'hostSession'>>().toEqualTypeOf<'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL' | 'ALREADY_HOSTING' | 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'HOST_FAILED'>();
    expectTypeOf<IpcErrorCode<'relay:host'>>().toEqualTypeOf<DesktopApiErrorCode<'hostSession'>>();
    expectTypeOf<DesktopApiErrorCode<'runDoctor'>>().toEqualTypeOf<'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL' | 'DOCTOR_BUSY'>();
    expectTypeOf<DesktopApiErrorCode<'testNotification'>>().toEqualTypeOf<'FORBIDDEN_SENDER' | 'INVALID_ARGUMENT' | 'INTERNAL'>();
  });
});

describe('mismatches do not compile', () => {
  it('refuses a misspelt channel', () => {
    // @ts-expect-error no channel 'settings:gte'
    expectTypeOf<IpcArgs<'settings:gte'>>().toBeNever();
    // @ts-expect-error an operation table may name registry channels only
    expectTypeOf<DesktopOperations<{ getSettings: 'settings:gte' }>>().toBeObject();
    // @ts-expect-error main answers no channel 'relay:hots'
    const schemas: { [C in IpcRequestChannel]: IpcArgsSchema<C> } = { ...IPC_ARG_SCHEMAS, 'relay:hots': NoArgs };
    const posts = createRendererChannel();
    // @ts-expect-error no event 'app:notise'
    posts.post('app:notise', { level: 'info', message: 'x' });
    // @ts-expect-error invoke channels are not posted to the renderer
    posts.post(IpcChannel.settingsGet, {});
    expect(schemas).toBeDefined();
  });

  it('refuses a missing or extra argument field, and a wrong result field', () => {
    // Type-checked by tsc, never run.
    const misuse = (api: DesktopApi) => {
      // @ts-expect-error HostOptions needs `lan`
      void api.hostSession({ name: 'x' });
      // @ts-expect-error HostOptions has no `host`
      void api.hostSession({ name: 'x', lan: true, host: '0.0.0.0' });
      // @ts-expect-error settings have no `colour`
      void api.updateSettings({ colour: 'red' });
      // @ts-expect-error settings:get takes no argument
      void api.getSettings('all');
      // @ts-expect-error a ChatNotification needs a room
      api.notify({ title: 't', body: 'b', server: 'https://chat.example.com' });
      // @ts-expect-error a ChatNotification needs the server it came from
      api.notify({ title: 't', body: 'b', room: 'lobby' });
      // @ts-expect-error capabilities are read, not set
      void api.getCapabilities({ startAtLogin: true });
      // @ts-expect-error a LAN session has no `address`
      api.onLanSessions((sessions) => sessions[0]?.address);
      // @ts-expect-error the doctor needs its options, even empty ones
      void api.runDoctor('https://chat.example.com');
      // @ts-expect-error DoctorOptions has no `joinCode`: the doctor never sends one
      void api.runDoctor('https://chat.example.com', { joinCode: 'ABC123' });
      // @ts-expect-error a check's status is ok, warn, fail or skip
      api.onDoctorProgress((check) => check.status === 'error');
    };
    // @ts-expect-error relay:get answers a HostedSession, whose field is `port`, not `prot`
    const wrongField: IpcServices['getHostedSession'] = () => ({ name: 'Team', localUrl: 'http://127.0.0.1:1', lanUrls: [], joinCode: null, prot: 4000 });
    // @ts-expect-error relay:host answers a whole HostedSession
    const missingField: IpcServices['hostSession'] = async (options) => ({ name: options.name });
    // @ts-expect-error the focus-room event carries a server and a room
    createRendererChannel().post(IpcChannel.focusRoom, 'lobby');
    // @ts-expect-error ... both of them
    createRendererChannel().post(IpcChannel.focusRoom, { room: 'lobby' });
    // @ts-expect-error a schema that forgets `lan` does not fit relay:host
    const loose: IpcArgsSchema<'relay:host'> = z.tuple([z.strictObject({ name: z.string() })]);
    expect([misuse, wrongField, missingField, loose]).toHaveLength(4);
  });

  it('refuses an undeclared error code', () => {
    // @ts-expect-error settings:get declares no PORT_IN_USE
    const undeclared: IpcErrorCode<'settings:get'> = 'PORT_IN_USE';
    // @ts-expect-error notify:test declares no DOCTOR_BUSY
    const busy: IpcErrorCode<'notify:test'> = 'DOCTOR_BUSY';
    // @ts-expect-error relay:stop cannot fail with ALREADY_HOSTING
    const result: IpcResult<'relay:stop'> = fail('ALREADY_HOSTING', 'x');
    // @ts-expect-error no such code anywhere
    const unknown = fail('NOT_A_CODE', 'x');
    // @ts-expect-error no such code anywhere
    const error = new DesktopApiError('hostSession', 'NOT_A_CODE', 'x');
    // @ts-expect-error getSettings declares no PORT_IN_USE
    const elsewhere = new DesktopApiError('getSettings', 'PORT_IN_USE', 'x');
    expect([undeclared, busy, result, unknown, error, elsewhere]).toHaveLength(6);
  });
});

describe('each operation rides on the channel the registry gives it', () => {
  // Typed by DesktopApiChannels: every value is forced to that operation's channel.
  const channelOf: DesktopApiChannels = {
    getSettings: 'settings:get',
    updateSettings: 'settings:update',
    getCapabilities: 'app:capabilities',
    listLanSessions: 'lan:list',
    onLanSessions: 'lan:changed',
    hostSession: 'relay:host',
    stopHosting: 'relay:stop',
    getHostedSession: 'relay:get',
    notify: 'app:notify',
    setUnreadCount: 'app:unread',
    openExternal: 'app:open-external',
    onFocusRoom: 'app:focus-room',
    onJoinLink: 'app:join-link',
    onNotice: 'app:notice',
    onSystemResume: 'power:resumed',
    runDoctor: 'doctor:run',
    onDoctorProgress: 'doctor:progress',
    checkLan: 'doctor:lan',
    testNotification: 'notify:test',
    onNotificationTestClick: 'notify:test-clicked',
    rotateCertificate: 'relay:rotate-certificate',
    pairWithLanHost: 'tls:pair',
    forgetCertificate: 'tls:forget',
    listPinnedCertificates: 'tls:pins',
    onCertificateRefused: 'tls:refused',
  };
  // Typed by the registry: every channel's direction, forced per channel.
  const kindOf: { [C in IpcChannelName]: C extends IpcInvokeChannel ? 'invoke' : C extends IpcSendChannel ? 'send' : 'event' } = {
    'settings:get': 'invoke',
    'settings:update': 'invoke',
    'app:capabilities': 'invoke',
    'lan:list': 'invoke',
    'relay:host': 'invoke',
    'relay:stop': 'invoke',
    'relay:get': 'invoke',
    'app:open-external': 'invoke',
    'app:notify': 'send',
    'app:unread': 'send',
    'lan:changed': 'event',
    'app:focus-room': 'event',
    'app:join-link': 'event',
    'app:notice': 'event',
    'power:resumed': 'event',
    'doctor:run': 'invoke',
    'doctor:lan': 'invoke',
    'notify:test': 'invoke',
    'doctor:progress': 'event',
    'notify:test-clicked': 'event',
    'relay:rotate-certificate': 'invoke',
    'tls:pair': 'invoke',
    'tls:forget': 'invoke',
    'tls:pins': 'invoke',
    'tls:refused': 'event',
  };
  const sample: { [M in ServiceOperation]: Parameters<DesktopApi[M]> } = {
    getSettings: [],
    updateSettings: [{ theme: 'dark' }],
    getCapabilities: [],
    listLanSessions: [],
    hostSession: [{ name: 'Team', lan: true }],
    stopHosting: [],
    getHostedSession: [],
    notify: [{ title: 't', body: 'b', room: 'lobby', server: 'https://chat.example.com' }],
    setUnreadCount: [3],
    openExternal: ['https://example.com'],
    runDoctor: ['https://chat.example.com', { idleSeconds: 5 }],
    checkLan: [],
    testNotification: [],
    rotateCertificate: [],
    pairWithLanHost: ['https://192.168.1.20:4000', 'K7M2QX', 'ab'.repeat(32), {}],
    forgetCertificate: ['https://192.168.1.20:4000'],
    listPinnedCertificates: [],
  };

  it.each(Object.keys(channelOf) as Operation[])('%s', async (operation) => {
    const used: [string, string, unknown[]][] = [];
    const received = new Map<string, (event: unknown, payload: unknown) => void>();
    const ipc: IpcRendererLike = {
      invoke: async (channel, ...args) => {
        used.push(['invoke', channel, args]);
        return { ok: true, value: null };
      },
      send: (channel, ...args) => void used.push(['send', channel, args]),
      on: (channel, listener) => received.set(channel, listener),
    };
    const api = createDesktopApi(ipc, { platform: 'linux', appVersion: '1.0.0' });
    const channel = channelOf[operation];
    const method = api[operation] as (...a: unknown[]) => unknown;
    const kind = kindOf[channel];
    if (kind === 'event') {
      const got: unknown[] = [];
      method((payload: unknown) => got.push(payload));
      received.get(channel)?.({}, 'payload');
      expect(got).toEqual(['payload']);
      expect(used).toEqual([]);
    } else {
      const args = sample[operation as ServiceOperation];
      await method(...args);
      expect(used).toEqual([[kind, channel, args]]);
    }
  });
});
