/**
 * The preload of Parley's window (sandboxed, context-isolated). It exposes exactly the DesktopBridge of
 * protocol/desktop-api.ts as `window.parley` and nothing else; see api.ts for how, and why a failed
 * call rejects with data rather than an Error.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { appVersionFromArgv, createDesktopApi } from './api';

contextBridge.exposeInMainWorld(
  'parley',
  createDesktopApi(ipcRenderer, { platform: process.platform, appVersion: appVersionFromArgv(process.argv) }),
);
