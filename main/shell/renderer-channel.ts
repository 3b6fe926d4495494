/**
 * main → renderer events (the registry's IpcEventMap: lan:changed, app:focus-room, app:join-link,
 * app:notice, power:resumed), each with the payload its entry declares. Messages sent before the page has loaded are
 * queued and delivered on did-finish-load, so a deep link that started the app or a settings notice
 * from start-up is not lost.
 */
import type { BrowserWindow } from 'electron';
import type { IpcEventChannel, IpcPayload } from '../../protocol/index';

const QUEUE_MAX = 50;

export interface RendererChannel {
  attach(win: BrowserWindow): void;
  post<C extends IpcEventChannel>(channel: C, payload: IpcPayload<C>): void;
}

export function createRendererChannel(): RendererChannel {
  let target: BrowserWindow | null = null;
  let ready = false;
  const queue: [IpcEventChannel, unknown][] = [];

  const flush = () => {
    if (!target || target.isDestroyed() || !ready) return;
    for (const [channel, payload] of queue.splice(0)) target.webContents.send(channel, payload);
  };

  return {
    attach(win) {
      target = win;
      ready = false;
      win.webContents.on('did-start-loading', () => {
        ready = false;
      });
      win.webContents.on('did-finish-load', () => {
        ready = true;
        flush();
      });
      win.on('closed', () => {
        if (target === win) target = null;
      });
    },
    post(channel, payload) {
      if (target && !target.isDestroyed() && ready) {
        target.webContents.send(channel, payload);
        return;
      }
      if (queue.length >= QUEUE_MAX) queue.shift();
      queue.push([channel, payload]);
    },
  };
}
