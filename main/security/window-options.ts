/**
 * The one place BrowserWindows are configured. Every switch of Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security) is set explicitly, even where it is
 * the default, so a future default change or a careless spread cannot weaken it silently.
 */
import type { WindowBounds } from '../window-state';

/** The subset of Electron's BrowserWindowConstructorOptions that Parley sets. */
export interface ParleyWindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
    safeDialogs: true;
    disableBlinkFeatures: string;
    additionalArguments: string[];
    devTools: boolean;
  };
}

export interface WindowOptionsInput {
  /** Absolute path of the CommonJS preload bundle. */
  preloadPath: string;
  bounds: WindowBounds;
  appVersion: string;
  /** Dev tools only in development builds. */
  devTools: boolean;
  dark: boolean;
}

export const MIN_WIDTH = 480;
export const MIN_HEIGHT = 360;
/** The preload reads the app version from this switch (a sandboxed preload cannot ask `app`). */
export const APP_VERSION_SWITCH = '--parley-app-version=';

/** Electron's BrowserWindow class, or a fake that records its options in tests. */
export type WindowConstructor<W> = new (options: ParleyWindowOptions) => W;

/**
 * Creates the window. The options are written out as a literal right at the constructor, not
 * assembled elsewhere and passed in: that keeps one source of truth that static scanners
 * (Electronegativity reads only literals at `new BrowserWindow(…)`) and tests (a fake constructor)
 * both see. main/shell calls this and never constructs a BrowserWindow itself.
 */
export function createSecureWindow<W>(BrowserWindow: WindowConstructor<W>, input: WindowOptionsInput): W {
  if (!input.preloadPath.endsWith('.cjs')) {
    // Sandboxed preloads are classic scripts: an ESM bundle would fail at load, silently for the user.
    throw new Error(`preload must be a CommonJS bundle (.cjs), got ${input.preloadPath}`);
  }
  const { x, y, width, height } = input.bounds;
  return new BrowserWindow({
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    width,
    height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown on ready-to-show, so the user never sees an unstyled flash.
    show: false,
    title: 'Parley',
    backgroundColor: input.dark ? '#1e1f22' : '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      safeDialogs: true,
      // Auxclick would let a middle click open links outside the window-open handler's view.
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: [`${APP_VERSION_SWITCH}${sanitizeVersion(input.appVersion)}`],
      devTools: input.devTools,
    },
  });
}

/** The options createSecureWindow passes to the constructor, for inspection. */
export function windowOptionsFor(input: WindowOptionsInput): ParleyWindowOptions {
  let seen: ParleyWindowOptions | undefined;
  createSecureWindow(
    class {
      constructor(options: ParleyWindowOptions) {
        seen = options;
      }
    },
    input,
  );
  return seen as ParleyWindowOptions;
}

function sanitizeVersion(version: string): string {
  return /^[0-9A-Za-z.+-]{1,64}$/.test(version) ? version : '0.0.0';
}
