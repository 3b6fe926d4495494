/**
 * What an invoke handler sends back: a value, or a typed error. Errors travel as data rather than as
 * thrown exceptions, because Electron flattens a thrown error into "Error invoking remote method …"
 * text. The preload passes `{ ok: false }` on as plain data too (Electron's context bridge would keep
 * only an Error's message), and the renderer's adapter (renderer/platform/desktop-api.ts) makes it an
 * Error with a readable message and a typed `code`.
 * The shapes and the codes of each channel are the registry's (protocol/ipc.ts).
 */
import type { IpcErrorCode, IpcFailure, IpcResult } from '../../protocol/index';

export type { IpcFailure, IpcResult };
/** Every code an invoke can fail with. */
export type DesktopErrorCode = IpcErrorCode;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends IpcErrorCode>(code: Code, message: string): IpcFailure<Code> {
  return { ok: false, code, message };
}

export function isIpcResult(value: unknown): value is { ok: true; value: unknown } | IpcFailure {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.ok === true ? 'value' in v : v.ok === false && typeof v.code === 'string' && typeof v.message === 'string';
}
