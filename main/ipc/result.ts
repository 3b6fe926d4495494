/**
 * What an invoke handler sends back: a value, or a typed error. Errors travel as data rather than as
 * thrown exceptions, because Electron flattens a thrown error into "Error invoking remote method …"
 * text; the preload turns `{ ok: false }` back into an Error with a readable message and a `code`.
 */
export type DesktopErrorCode =
  | 'FORBIDDEN_SENDER'
  | 'INVALID_ARGUMENT'
  | 'ALREADY_HOSTING'
  | 'PORT_IN_USE'
  | 'PORT_FORBIDDEN'
  | 'HOST_FAILED'
  | 'INTERNAL';

export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: DesktopErrorCode; message: string };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: DesktopErrorCode, message: string): IpcResult<never> {
  return { ok: false, code, message };
}

export function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.ok === true ? 'value' in v : v.ok === false && typeof v.code === 'string' && typeof v.message === 'string';
}
