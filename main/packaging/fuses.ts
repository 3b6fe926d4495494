/**
 * Electron fuses for packaged builds, in electron-builder's `electronFuses` shape (FuseOptionsV1 of
 * app-builder-lib), so the packaging config can use them as they are:
 *
 *   import fuses from './main/packaging/fuses.json' with { type: 'json' };
 *   export default { …, electronFuses: fuses };
 *
 * Why each one:
 * - runAsNode off: ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
 * - enableNodeOptionsEnvironmentVariable off: NODE_OPTIONS=--require=… would inject code at start.
 * - enableNodeCliInspectArguments off: --inspect would open a debugger into the main process.
 * - enableCookieEncryption on: cookies on disk encrypted with the OS keychain.
 * - onlyLoadAppFromAsar + enableEmbeddedAsarIntegrityValidation on: only the shipped, hashed app.asar runs.
 * - grantFileProtocolExtraPrivileges off: the renderer is served from app://, file:// needs no extra rights.
 * - loadBrowserProcessSpecificV8Snapshot off: no custom snapshot is built.
 */
import fuses from './fuses.json' with { type: 'json' };

export interface ParleyFuses {
  runAsNode: boolean;
  enableCookieEncryption: boolean;
  enableNodeOptionsEnvironmentVariable: boolean;
  enableNodeCliInspectArguments: boolean;
  enableEmbeddedAsarIntegrityValidation: boolean;
  onlyLoadAppFromAsar: boolean;
  loadBrowserProcessSpecificV8Snapshot: boolean;
  grantFileProtocolExtraPrivileges: boolean;
}

export const ELECTRON_FUSES: Readonly<ParleyFuses> = Object.freeze(fuses satisfies ParleyFuses);
