/**
 * Parley Desktop's main process entry: hands Electron's real objects and this process to the shell
 * (desktop.ts). The desktop test harness calls startDesktop with stand-ins instead; this file is the
 * only one it does not run.
 */
import { app, BrowserWindow, ipcMain, Menu, nativeImage, nativeTheme, Notification, powerMonitor, protocol, screen, session, shell, Tray } from 'electron';
import { startDesktop } from './desktop';

startDesktop(
  { app, BrowserWindow, ipcMain, Menu, nativeImage, nativeTheme, Notification, powerMonitor, protocol, screen, session, shell, Tray },
  { env: process.env, argv: process.argv, platform: process.platform, execPath: process.execPath, resourcesPath: process.resourcesPath },
);
