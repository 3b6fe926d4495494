/**
 * A stand-in for Electron's contextBridge that copies values between the preload's world and the page's
 * as Electron does (PassValueToOtherContext in shell/renderer/api/electron_api_context_bridge.cc), so
 * tests see what the page really gets:
 *
 * - an Error (of any realm) is re-created as a plain `new Error(message)`: its class, `name`, `code` and
 *   any other property are lost (electron/electron#28346), whether it is thrown or a promise rejects
 *   with it; anything else thrown synchronously keeps only a string `message` too;
 * - functions are proxied (their arguments cross the other way, their results and throws cross back);
 * - promises are proxied: what they resolve or reject with crosses;
 * - arrays and plain objects are copied member by member, other values structurally (structuredClone);
 * - the exposed API is deep-frozen.
 */
import { types } from 'node:util';

const UNKNOWN_THROW = 'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.';

/** `value` as the other world receives it. */
export function crossBridge(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (typeof value === 'function') return proxyFunction(value as (...args: unknown[]) => unknown);
  if (types.isPromise(value)) return new Promise((resolve, reject) => void value.then((v) => resolve(crossBridge(v)), (e: unknown) => reject(crossBridge(e))));
  if (types.isNativeError(value)) return new Error(typeof value.message === 'string' ? value.message : UNKNOWN_THROW);
  if (Array.isArray(value)) return value.map(crossBridge);
  if (Object.prototype.toString.call(value) === '[object Object]') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, crossBridge(member)]));
  }
  return structuredClone(value);
}

function proxyFunction(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    let result: unknown;
    try {
      result = fn(...args.map(crossBridge));
    } catch (err) {
      const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
      // eslint-disable-next-line preserve-caught-error -- dropping the original is what Electron does
      throw new Error(typeof message === 'string' ? message : UNKNOWN_THROW);
    }
    return crossBridge(result);
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** A contextBridge whose exposeInMainWorld puts the copy on `world` (the page's window). */
export function fakeContextBridge(world: Record<string, unknown>) {
  return {
    exposeInMainWorld(key: string, api: unknown): void {
      if (key in world) throw new Error('Cannot bind an API on top of an existing property on the window object');
      Object.defineProperty(world, key, { value: deepFreeze(crossBridge(api)), enumerable: true });
    },
  };
}
