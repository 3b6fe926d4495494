/**
 * The main-process side of the DesktopApi contract (protocol/desktop-api.ts). Every handler first
 * checks that the message comes from our renderer's top frame, then validates its arguments with
 * zod, and answers with an IpcResult: a value or a typed error, never a raw exception.
 * `ipcMain` is injected so the whole thing runs under Vitest with fake events.
 */
import * as z from 'zod';
import { IpcChannel, type ChatNotification, type DesktopSettings, type HostedSession, type HostOptions, type LanSession } from '../../protocol/index';
import type { RendererOrigins } from '../app-origin';
import { HostError } from '../host/host-service';
import { fail, ok, type IpcResult } from './result';
import { ChatNotificationSchema, DesktopSettingsPatchSchema, ExternalUrlSchema, HostOptionsSchema, NoArgs, UnreadCountSchema } from './schemas';
import { isTrustedSender, type SenderEvent } from './sender';

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown;

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: Listener): void;
  on(channel: string, listener: Listener): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel?: string): void;
}

export interface IpcServices {
  getSettings(): DesktopSettings;
  updateSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettings>;
  listLanSessions(): LanSession[];
  hostSession(options: HostOptions): Promise<HostedSession>;
  stopHosting(): Promise<void>;
  getHostedSession(): HostedSession | null;
  notify(notification: ChatNotification): void;
  setUnreadCount(count: number): void;
  openExternal(url: string): Promise<boolean>;
}

export interface IpcOptions {
  ipcMain: IpcMainLike;
  origins: RendererOrigins;
  services: IpcServices;
  log?: (msg: string, detail?: object) => void;
}

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers({ ipcMain, origins, services, log }: IpcOptions): () => void {
  const invokeChannels: string[] = [];
  const sendChannels: string[] = [];

  function invoke<S extends z.ZodType<unknown[]>, T>(channel: string, schema: S, run: (args: z.output<S>) => T | Promise<T>): void {
    invokeChannels.push(channel);
    ipcMain.handle(channel, async (event, ...args): Promise<IpcResult<T>> => {
      if (!isTrustedSender(event, origins)) {
        log?.('refused IPC from untrusted sender', { channel, url: event.senderFrame?.url?.slice(0, 200) });
        return fail('FORBIDDEN_SENDER', 'This page may not use the desktop API.');
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) return fail('INVALID_ARGUMENT', describeIssue(parsed.error));
      try {
        return ok(await run(parsed.data));
      } catch (err) {
        if (err instanceof HostError) return fail(err.code, err.message);
        log?.('IPC handler failed', { channel, err: err instanceof Error ? err.message : String(err) });
        return fail('INTERNAL', 'Something went wrong in the desktop app.');
      }
    });
  }

  function send<S extends z.ZodType<unknown[]>>(channel: string, schema: S, run: (args: z.output<S>) => void): void {
    sendChannels.push(channel);
    ipcMain.on(channel, (event, ...args) => {
      if (!isTrustedSender(event, origins)) return log?.('refused IPC from untrusted sender', { channel });
      const parsed = schema.safeParse(args);
      if (!parsed.success) return log?.('dropped invalid IPC message', { channel, issue: describeIssue(parsed.error) });
      try {
        run(parsed.data);
      } catch (err) {
        log?.('IPC handler failed', { channel, err: err instanceof Error ? err.message : String(err) });
      }
    });
  }

  invoke(IpcChannel.settingsGet, NoArgs, () => services.getSettings());
  invoke(IpcChannel.settingsUpdate, z.tuple([DesktopSettingsPatchSchema]), ([patch]) => services.updateSettings(patch));
  invoke(IpcChannel.lanList, NoArgs, () => services.listLanSessions());
  invoke(IpcChannel.relayHost, z.tuple([HostOptionsSchema]), ([options]) => services.hostSession(options));
  invoke(IpcChannel.relayStop, NoArgs, () => services.stopHosting());
  invoke(IpcChannel.relayGet, NoArgs, () => services.getHostedSession());
  invoke(IpcChannel.openExternal, z.tuple([ExternalUrlSchema]), ([url]) => services.openExternal(url));
  send(IpcChannel.notify, z.tuple([ChatNotificationSchema]), ([n]) => services.notify(n));
  send(IpcChannel.unread, z.tuple([UnreadCountSchema]), ([count]) => services.setUnreadCount(count));

  return () => {
    for (const channel of invokeChannels) ipcMain.removeHandler(channel);
    for (const channel of sendChannels) ipcMain.removeAllListeners(channel);
  };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid arguments.';
  const where = issue.path.length > 1 ? `${issue.path.slice(1).join('.')}: ` : '';
  return `Invalid arguments: ${where}${issue.message}`;
}
