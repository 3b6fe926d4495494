/**
 * The settings file in the user data folder. Loading never throws and never loses data silently: a
 * file that is not JSON (or not an object) is moved aside as `settings.json.corrupt-<time>` and
 * replaced by defaults; a file with some bad fields keeps its good ones and is also backed up first.
 * Either way the user gets a notice. Writes are atomic and serialised, and a failed write keeps the
 * settings in memory and says so rather than crashing the app.
 */
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { DesktopNotice, DesktopSettings } from '../../protocol/index';
import { english, sentences, type MainMessageKey, type Translate } from '../i18n/index';
import { removeStaleTemps, writeFileAtomic, type AtomicFs } from './atomic-file';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_VERSION, toDesktopSettings, type StoredSettings } from './schema';

export const SETTINGS_FILE = 'settings.json';
const CORRUPT_MARK = '.corrupt-';
/** Backups kept; older ones are deleted so a crash loop cannot fill the disk. */
const MAX_BACKUPS = 5;

export interface SettingsFs extends AtomicFs {
  readFile: typeof nodeFs.readFile;
  mkdir: typeof nodeFs.mkdir;
}

export interface SettingsStoreOptions {
  /** The user data folder (app.getPath('userData')). */
  dir: string;
  onNotice: (notice: DesktopNotice) => void;
  fs?: SettingsFs;
  now?: () => Date;
  /** The notices' language (the OS's: main/i18n); English by default. */
  t?: Translate;
}

export interface SettingsStore {
  /** Reads the file (once, at start-up). Never throws. */
  load(): Promise<StoredSettings>;
  get(): StoredSettings;
  desktop(): DesktopSettings;
  /** Applies a validated patch and saves it. Resolves with the new settings even if saving failed (a notice says so). */
  update(patch: Partial<StoredSettings>): Promise<StoredSettings>;
  /** Waits for pending writes. */
  flush(): Promise<void>;
  readonly path: string;
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const fs = options.fs ?? nodeFs;
  const now = options.now ?? (() => new Date());
  const t = options.t ?? english;
  const keptAs = (saved: string | null) => (saved ? t('settings.keptAs', { path: saved }) : '');
  const path = join(options.dir, SETTINGS_FILE);
  let current: StoredSettings = cloneDefaults();
  let extra: Record<string, unknown> = {};
  let version = SETTINGS_VERSION;
  let queue: Promise<void> = Promise.resolve();

  const serialize = () => `${JSON.stringify({ ...extra, version, ...current }, null, 2)}\n`;

  const save = (): Promise<void> => {
    const data = serialize();
    queue = queue
      .then(() => fs.mkdir(options.dir, { recursive: true }))
      .then(() => writeFileAtomic(path, data, fs))
      .catch((err: unknown) => {
        options.onNotice({ level: 'error', message: t('settings.saveFailed', { error: describe(err) }) });
      });
    return queue;
  };

  /** `failed`: the notice if the file cannot be moved aside either. */
  const backup = async (failed: MainMessageKey): Promise<string | null> => {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const target = `${path}${CORRUPT_MARK}${stamp}`;
    try {
      await fs.rename(path, target);
      await pruneBackups();
      return target;
    } catch (err) {
      options.onNotice({ level: 'error', message: t(failed, { error: describe(err) }) });
      return null;
    }
  };

  const pruneBackups = async () => {
    const names = (await fs.readdir(options.dir)).filter((n) => n.startsWith(`${SETTINGS_FILE}${CORRUPT_MARK}`)).sort();
    for (const name of names.slice(0, Math.max(0, names.length - MAX_BACKUPS))) await fs.rm(join(options.dir, name), { force: true });
  };

  return {
    path,
    async load() {
      await removeStaleTemps(path, fs);
      let text: string;
      try {
        text = await fs.readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          options.onNotice({ level: 'warning', message: t('settings.readFailed', { error: describe(err) }) });
        }
        current = cloneDefaults();
        return current;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = undefined;
      }
      if (!isPlainObject(raw)) {
        const saved = await backup('settings.backupDamaged');
        current = cloneDefaults();
        extra = {};
        options.onNotice({
          level: 'warning',
          message: sentences(t, [t('settings.damaged'), keptAs(saved)]),
        });
        await save();
        return current;
      }
      let read: ReturnType<typeof readSettings>;
      try {
        read = readSettings(raw);
      } catch (err) {
        const saved = await backup('settings.backupNotUpgraded');
        current = cloneDefaults();
        extra = {};
        options.onNotice({ level: 'warning', message: sentences(t, [t('settings.notUpgraded', { error: describe(err) }), keptAs(saved)]) });
        await save();
        return current;
      }
      current = read.settings;
      extra = read.extra;
      version = read.version;
      if (read.problems.length > 0) {
        const saved = await backup('settings.backupInvalid');
        const fields = read.problems.map((p) => p.field).join(', ');
        options.onNotice({
          level: 'warning',
          message: sentences(t, [t('settings.invalid', { fields }), keptAs(saved)]),
        });
        await save();
      }
      return current;
    },
    get: () => current,
    desktop: () => toDesktopSettings(current),
    async update(patch) {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      current = { ...current, ...defined };
      await save();
      return current;
    },
    flush: () => queue,
  };
}

function cloneDefaults(): StoredSettings {
  return { ...DEFAULT_SETTINGS, savedServers: [] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (err instanceof Error ? err.message : String(err));
}
