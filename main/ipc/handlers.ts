/**
 * The main-process side of the IPC registry (protocol/ipc.ts). Every handler first checks that the
 * message comes from our renderer's top frame, then validates its arguments with the channel's zod
 * schema (schemas.ts), and answers with an IpcResult: a value or a typed error, never a raw exception.
 * `ipcMain` is injected so the whole thing runs under Vitest with fake events.
 */
import type * as z from 'zod';
import type { DesktopApiChannels, IpcArgs, IpcEventChannel, IpcFailure, IpcInvokeChannel, IpcInvokeMap, IpcRequestChannel, IpcResult, IpcSendChannel, IpcValue } from '../../protocol/index';
import type { RendererOrigins } from '../app-origin';
import { HostError } from '../host/host-service';
import { DoctorBusyError } from '../diagnostics/doctor-service';
import { NotLanError } from '../security/pins';
import { fail, ok } from './result';
import { IPC_ARG_SCHEMAS, type IpcArgsSchema } from './schemas';
import { isTrustedSender, type SenderEvent } from './sender';

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: Listener): void;
  on(channel: string, listener: Listener): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel?: string): void;
}

/** What main runs for a renderer → main channel: its arguments in, its value (or nothing for a send) out. */
export type IpcHandler<C extends IpcRequestChannel> = C extends IpcInvokeChannel
  ? (...args: IpcArgs<C>) => IpcValue<C> | Promise<IpcValue<C>>
  : (...args: IpcArgs<C>) => void;

/**
 * What the shell implements: one service per DesktopApi operation that reaches main (events go the
 * other way), named as in the DesktopApi and typed by the registry entry of its channel.
 */
export type IpcServices = {
  [M in keyof DesktopApiChannels as DesktopApiChannels[M] extends IpcEventChannel ? never : M]: IpcHandler<Exclude<DesktopApiChannels[M], IpcEventChannel>>;
};

/** Channels whose registry entry declares codes of its own. */
type ChannelWithErrors = { [C in IpcInvokeChannel]: [IpcInvokeMap[C]['errors']] extends [never] ? never : C }[IpcInvokeChannel];

/**
 * How each declared code arises: a service error it recognises becomes that code and message; anything
 * else is INTERNAL. Declaring a code in the registry makes an entry here required.
 */
type DeclaredErrors = { [C in ChannelWithErrors]: (err: unknown) => IpcFailure<IpcInvokeMap[C]['errors']> | undefined };

export interface IpcOptions {
  ipcMain: IpcMainLike;
  origins: RendererOrigins;
  services: IpcServices;
  log?: (msg: string, detail?: object) => void;
}

// Mapped rather than conditional (like IpcHandler), so that indexed by a channel type parameter they
// still give that channel's own types inside the generic helpers below.
type Answers = { [C in IpcInvokeChannel]: (...args: IpcArgs<C>) => IpcValue<C> | Promise<IpcValue<C>> };
type Receivers = { [C in IpcSendChannel]: (...args: IpcArgs<C>) => void };
type Schemas = { [C in IpcRequestChannel]: IpcArgsSchema<C> };
type Translators = { [C in IpcInvokeChannel]?: (err: unknown) => IpcFailure<IpcInvokeMap[C]['errors']> | undefined };

const schemas: Schemas = IPC_ARG_SCHEMAS;

const declaredErrors: DeclaredErrors = {
  'relay:host': (err) => (err instanceof HostError ? fail(err.code, err.message) : undefined),
  'doctor:run': (err) => (err instanceof DoctorBusyError ? fail('DOCTOR_BUSY', err.message) : undefined),
  'doctor:lan': (err) => (err instanceof DoctorBusyError ? fail('DOCTOR_BUSY', err.message) : undefined),
  'relay:rotate-certificate': (err) => (err instanceof HostError ? fail(err.code, err.message) : undefined),
  'tls:pair': (err) => (err instanceof NotLanError ? fail('NOT_LAN', err.message) : undefined),
};
const translators: Translators = declaredErrors;

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers({ ipcMain, origins, services, log }: IpcOptions): () => void {
  // One entry per channel of the registry, checked both ways by the types of these two tables.
  const answers: Answers = {
    'settings:get': () => services.getSettings(),
    'settings:update': (patch) => services.updateSettings(patch),
    'app:capabilities': () => services.getCapabilities(),
    'lan:list': () => services.listLanSessions(),
    'relay:host': (options) => services.hostSession(options),
    'relay:stop': () => services.stopHosting(),
    'relay:get': () => services.getHostedSession(),
    'app:open-external': (url) => services.openExternal(url),
    'doctor:run': (url, options) => services.runDoctor(url, options),
    'doctor:lan': () => services.checkLan(),
    'notify:test': () => services.testNotification(),
    'relay:rotate-certificate': () => services.rotateCertificate(),
    'tls:pair': (origin, code, fingerprint, options) => services.pairWithLanHost(origin, code, fingerprint, options),
    'tls:forget': (origin) => services.forgetCertificate(origin),
    'tls:pins': () => services.listPinnedCertificates(),
  };
  const receivers: Receivers = {
    'app:notify': (notification) => services.notify(notification),
    'app:unread': (count) => services.setUnreadCount(count),
  };

  function invoke<C extends IpcInvokeChannel>(channel: C): void {
    const schema: z.ZodType<IpcArgs<C>> = schemas[channel];
    const run: Answers[C] = answers[channel];
    const expected: Translators[C] = translators[channel];
    ipcMain.handle(channel, async (event, ...args): Promise<IpcResult<C>> => {
      if (!isTrustedSender(event, origins)) {
        log?.('refused IPC from untrusted sender', { channel, url: event.senderFrame?.url?.slice(0, 200) });
        return fail('FORBIDDEN_SENDER', 'This page may not use the desktop API.');
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) return fail('INVALID_ARGUMENT', describeIssue(parsed.error));
      try {
        return ok(await run(...parsed.data));
      } catch (err) {
        const known = expected?.(err);
        if (known) return known;
        log?.('IPC handler failed', { channel, err: err instanceof Error ? err.message : String(err) });
        return fail('INTERNAL', 'Something went wrong in the desktop app.');
      }
    });
  }

  function receive<C extends IpcSendChannel>(channel: C): void {
    const schema: z.ZodType<IpcArgs<C>> = schemas[channel];
    const run: Receivers[C] = receivers[channel];
    ipcMain.on(channel, (event, ...args) => {
      if (!isTrustedSender(event, origins)) return log?.('refused IPC from untrusted sender', { channel });
      const parsed = schema.safeParse(args);
      if (!parsed.success) return log?.('dropped invalid IPC message', { channel, issue: describeIssue(parsed.error) });
      try {
        run(...parsed.data);
      } catch (err) {
        log?.('IPC handler failed', { channel, err: err instanceof Error ? err.message : String(err) });
      }
    });
  }

  const invokeChannels = keysOf(answers);
  const sendChannels = keysOf(receivers);
  for (const channel of invokeChannels) invoke(channel);
  for (const channel of sendChannels) receive(channel);

  return () => {
    for (const channel of invokeChannels) ipcMain.removeHandler(channel);
    for (const channel of sendChannels) ipcMain.removeAllListeners(channel);
  };
}

// Object.keys types its result as string[]; these tables are typed by the registry, so their keys are its channels.
function keysOf<T extends object>(table: T): (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid arguments.';
  const where = issue.path.length > 1 ? `${issue.path.slice(1).join('.')}: ` : '';
  return `Invalid arguments: ${where}${issue.message}`;
}
