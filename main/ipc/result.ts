/**
 * What an invoke handler sends back: a value, or a typed error. Errors travel as data rather than as
 * thrown exceptions, because Electron flattens a thrown error into "Error invoking remote method …"
 * text; the preload turns `{ ok: false }` back into an Error with a readable message and a `code`.
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
