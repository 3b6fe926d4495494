/**
 * The OS-facing Electron objects, recording what the app asks of them so a test can check what a
 * person would see: the tray (icon, tooltip, menu), notifications (and clicking one), links handed
 * to the system browser, displays and the theme; and the power monitor, whose sleep and wake the test plays.
 */
import { EventEmitter } from 'node:events';

export interface FakeImage {
  bitmap: Buffer;
  width: number;
  height: number;
  addRepresentation(): void;
}

export const nativeImage = {
  createFromBitmap: (bitmap: Buffer, size: { width: number; height: number }): FakeImage => ({ bitmap, width: size.width, height: size.height, addRepresentation: () => undefined }),
};

export interface MenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export const Menu = {
  buildFromTemplate: (items: MenuItem[]) => ({ items }),
};

export class FakeTray extends EventEmitter {
  image: FakeImage;
  tooltip = '';
  title = '';
  menu: MenuItem[] = [];
  private destroyed = false;

  constructor(image: FakeImage) {
    super();
    this.image = image;
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setContextMenu(menu: { items: MenuItem[] }): void {
    this.menu = menu.items;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** A click on a menu entry, by its label. */
  clickMenu(label: string): void {
    const item = this.menu.find((i) => i.label === label);
    if (!item) throw new Error(`no tray menu entry "${label}" (have: ${this.menu.map((i) => i.label).join(', ')})`);
    if (item.enabled === false) throw new Error(`tray menu entry "${label}" is disabled`);
    item.click?.();
  }
}

export class FakeNotification extends EventEmitter {
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
  }
  /** The user clicks the notification. */
  click(): void {
    this.emit('click', {});
  }
}

/** Notification, Tray and shell for one desktop, with what they recorded. */
export function osObjects(dark: boolean) {
  const shown: FakeNotification[] = [];
  const trays: FakeTray[] = [];
  const opened: string[] = [];
  class Notification extends FakeNotification {
    static isSupported(): boolean {
      return true;
    }
    show(): void {
      shown.push(this);
    }
  }
  class Tray extends FakeTray {
    constructor(image: FakeImage) {
      super(image);
      trays.push(this);
    }
  }
  const shell = {
    openExternal: async (url: string) => {
      opened.push(url);
    },
  };
  const screen = {
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  };
  const nativeTheme = { shouldUseDarkColors: dark };
  // Sleep and wake come from the test: `powerMonitor.emit('resume')` is the laptop lid opening.
  const powerMonitor = new EventEmitter();
  return { Notification, Tray, shell, screen, nativeTheme, powerMonitor, shown, trays, opened };
}
