/**
 * What Electron's renderer side provides, rebuilt for a Chromium page: the sandboxed preload
 * environment (a `require` that knows only `electron`, and `process.platform` / `argv`), the IPC
 * transport (`ipcRenderer` over two Playwright bindings), `contextBridge.exposeInMainWorld`, and the
 * window's focus and visibility (headless Chromium has no OS windows, so the adapter sets them).
 *
 * The real preload bundle (dist/preload/index.cjs) runs unchanged inside this script, before any
 * script of the page. It is pasted in as source rather than evaluated, because the page's CSP
 * forbids eval, as in the app.
 *
 * What crosses the bridge is copied as Electron copies it (PassValueToOtherContext): an Error, thrown or
 * rejected, arrives as a new Error with its message only (no class, name or `code`; electron/electron
 * #28346); anything else thrown keeps only a string `message`; functions and promises are proxied, and
 * plain data passes as it is.
 *
 * Not emulated: the isolated world. Electron runs the preload in its own JavaScript world; here it
 * runs in the page's world. The bindings are taken off `window` before the page's scripts run, and
 * the exposed API is frozen, but a page script could still see what the preload leaves on globals.
 */

export interface BridgeNames {
  /** Playwright binding: (channel, args[]) → ipcMain.handle result. */
  invoke: string;
  /** Playwright binding: (channel, args[]) → ipcMain.on listeners. */
  send: string;
  /** Global through which the adapter delivers main → renderer events and sets focus/visibility. */
  control: string;
}

export interface BridgeOptions {
  names: BridgeNames;
  preloadSource: string;
  platform: string;
  /** process.argv of the renderer: Electron appends webPreferences.additionalArguments. */
  argv: string[];
}

/** Page-side API of `names.control`, for page.evaluate calls from the adapter. */
export interface BridgeControl {
  deliver(channel: string, payload: unknown): void;
  attention(focused: boolean, visible: boolean): void;
}

export function bridgeScript(options: BridgeOptions): string {
  const config = JSON.stringify({ names: options.names, platform: options.platform, argv: options.argv });
  return `(() => {
  const config = ${config};
  const invokeBinding = window[config.names.invoke];
  const sendBinding = window[config.names.send];
  delete window[config.names.invoke];
  delete window[config.names.send];
  if (window.top !== window) return;
  if (typeof invokeBinding !== 'function' || typeof sendBinding !== 'function') throw new Error('desktop harness: IPC bindings missing');

  const attention = { focused: true, visible: true };
  Object.defineProperty(document, 'hasFocus', { value: () => attention.focused });
  Object.defineProperty(document, 'visibilityState', { get: () => (attention.visible ? 'visible' : 'hidden') });
  Object.defineProperty(document, 'hidden', { get: () => !attention.visible });

  const listeners = new Map();
  const control = {
    deliver(channel, payload) {
      for (const listener of [...(listeners.get(channel) || [])]) listener({ sender: null }, payload);
    },
    attention(focused, visible) {
      const before = { ...attention };
      attention.focused = focused;
      attention.visible = visible;
      if (before.visible !== visible) document.dispatchEvent(new Event('visibilitychange'));
      if (before.focused !== focused) window.dispatchEvent(new Event(focused ? 'focus' : 'blur'));
    },
  };
  Object.defineProperty(window, config.names.control, { value: Object.freeze(control) });

  const ipcRenderer = {
    invoke: (channel, ...args) => invokeBinding(channel, args),
    send: (channel, ...args) => {
      void sendBinding(channel, args);
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, []);
      listeners.get(channel).push(listener);
      return ipcRenderer;
    },
  };
  // Electron's copy of a value into the other world, as far as errors are concerned: an Error keeps its
  // message only; functions and promises are proxied so that what they throw or reject with is copied
  // too; other values pass (both worlds are one here, so they need no copy).
  const UNKNOWN_THROW = 'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.';
  const isError = (value) => Object.prototype.toString.call(value) === '[object Error]';
  const cross = (value) => {
    if (typeof value === 'function') {
      return (...args) => {
        let result;
        try {
          result = value(...args.map(cross));
        } catch (err) {
          throw new Error(err !== null && typeof err === 'object' && typeof err.message === 'string' ? err.message : UNKNOWN_THROW);
        }
        return cross(result);
      };
    }
    if (value instanceof Promise) return new Promise((resolve, reject) => void value.then((v) => resolve(cross(v)), (e) => reject(cross(e))));
    if (isError(value)) return new Error(typeof value.message === 'string' ? value.message : UNKNOWN_THROW);
    return value;
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      // Electron copies the object into the page's world; functions stay callable, nothing is writable.
      const copy = {};
      for (const [name, member] of Object.entries(api)) copy[name] = cross(member);
      Object.defineProperty(window, key, { value: Object.freeze(copy), enumerable: true });
    },
  };
  const electron = Object.freeze({ ipcRenderer, contextBridge });
  const module = { exports: {} };
  const require = (id) => {
    if (id === 'electron') return electron;
    throw new Error("module not found: " + id);
  };
  const process = Object.freeze({ platform: config.platform, argv: config.argv });
  (function (require, module, exports, process) {
${options.preloadSource}
  })(require, module, module.exports, process);
})();`;
}
