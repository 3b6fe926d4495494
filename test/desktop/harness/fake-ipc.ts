/**
 * Electron's ipcMain, and the sender that Electron attaches to each message. The sender frame is the
 * real Chromium frame that made the call (Playwright tells which), so the handlers' sender checks
 * (main/ipc/sender.ts) judge a real URL and a real frame tree.
 */
import type { Frame } from '@playwright/test';

type Listener = (event: IpcEvent, ...args: unknown[]) => unknown;

export interface IpcEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

export function ipcEvent(sender: unknown, frame: Frame): IpcEvent {
  return { sender, senderFrame: { url: frame.url(), parent: frame.parentFrame() } };
}

export class FakeIpcMain {
  private readonly handlers = new Map<string, Listener>();
  private readonly listeners = new Map<string, Listener[]>();

  handle(channel: string, listener: Listener): void {
    // Electron refuses a second handler for a channel; so does this.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  removeAllListeners(channel?: string): this {
    if (channel === undefined) this.listeners.clear();
    else this.listeners.delete(channel);
    return this;
  }

  /** ipcRenderer.invoke arriving: the handler's value, or Electron's error for an unhandled channel. */
  async invoke(event: IpcEvent, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return handler(event, ...args);
  }

  /** ipcRenderer.send arriving. */
  emit(event: IpcEvent, channel: string, args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}
