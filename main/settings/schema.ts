/**
 * What settings.json holds, field by field. Each field has its own schema and default, so one bad
 * field (a hand edit, a downgrade) costs that field only, not the whole file. Unknown fields are
 * kept as they are: a newer Parley may have written them, and an older one must not drop them.
 */
import * as z from 'zod';
import { cleanNickname, UI_LANGUAGES, type DesktopSettings } from '../../protocol/index';

/**
 * Fields added since version 1 (notificationSound, updates for the renderer, startAtLogin, language, a saved
 * server's notifications) take their default when absent, so they needed no migration. An older
 * Parley keeps the unknown top-level ones, but its strict saved-server schema refuses an entry with
 * `notifications` and resets that list (with a backup and a notice) after a downgrade.
 */
export const SETTINGS_VERSION = 1;
export const MAX_SAVED_SERVERS = 50;

export const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

/** Empty (not chosen yet) or a nickname the relay would accept, as cleanNickname displays it. */
const nickname = z
  .string()
  .max(256)
  .refine(isStoredNickname, 'not a valid nickname');

const label = z
  .string()
  .min(1)
  .max(64)
  .refine((value) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value) && value.trim() === value, 'not a valid label');

/** `notifications` absent means on, as in files written before it existed. */
export const SavedServerSchema = z.strictObject({ name: label, url: httpUrl, notifications: z.boolean().optional() });

export const windowBoundsSchema = z.strictObject({
  x: z.number().int().min(-100_000).max(100_000).optional(),
  y: z.number().int().min(-100_000).max(100_000).optional(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean().optional(),
});

/** The fields the renderer may read and change (protocol DesktopSettings), one schema each. */
export const desktopFields = {
  nickname,
  savedServers: z.array(SavedServerSchema).max(MAX_SAVED_SERVERS),
  lastServer: httpUrl.nullable(),
  theme: z.enum(['system', 'light', 'dark']),
  notifications: z.boolean(),
  notificationSound: z.boolean(),
  /**
   * Auto-update checks (electron-updater); off unless the user or an admin turns them on. The
   * renderer's settings screen switches it; PARLEY_UPDATES still overrides it (main/updater.ts).
   */
  updates: z.boolean(),
  /** Applied to the OS's login items where Electron can (main/login-item.ts). */
  startAtLogin: z.boolean(),
  /** The settings screen's language, so the tray and notices speak it too; null follows the OS. */
  language: z.enum(UI_LANGUAGES).nullable(),
} satisfies { [K in keyof DesktopSettings]: z.ZodType<DesktopSettings[K]> };

/** At most this many LAN hosts' certificates are pinned (the oldest pin goes first). */
export const MAX_PINS = 200;
export const PinSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  pinnedAt: z.number().int().min(0),
});
/** `https://host:port` of a LAN session → the certificate it proved itself with (main/security/pins.ts). */
export const pinsSchema = z
  .record(z.string().regex(/^https:\/\/[^/\s]{1,300}$/), PinSchema)
  .refine((r) => Object.keys(r).length <= MAX_PINS, `at most ${MAX_PINS} pinned certificates`);

/** Fields only the main process uses: never sent to or accepted from the renderer. */
export const internalFields = {
  window: windowBoundsSchema.nullable(),
  /** Changed only by a proved pairing (tls:pair) and tls:forget, never through a settings patch. */
  pins: pinsSchema,
};

export const settingsFields = { ...desktopFields, ...internalFields };

/**
 * Fields earlier versions wrote that mean nothing now: dropped when read (no notice, whatever their
 * value), so the next write leaves them out, without a version bump an older Parley would not know.
 * `lastRoom` was one room for every server and identity and was never read; the conversation last
 * open is now kept per server and identity by the chat client itself (renderer/model/last-conversation.ts).
 */
export const RETIRED_FIELDS: ReadonlySet<string> = new Set(['lastRoom']);

export type StoredSettings = DesktopSettings & {
  window: z.infer<typeof windowBoundsSchema> | null;
  pins: z.infer<typeof pinsSchema>;
};

export const DEFAULT_SETTINGS: StoredSettings = {
  nickname: '',
  savedServers: [],
  lastServer: null,
  theme: 'system',
  notifications: true,
  notificationSound: true,
  updates: false,
  startAtLogin: false,
  language: null,
  window: null,
  pins: {},
};

/** What the renderer may send to updateSettings: a partial DesktopSettings, nothing else. */
export const DesktopSettingsPatchSchema = z.strictObject(desktopFields).partial();

export function toDesktopSettings(s: StoredSettings): DesktopSettings {
  return {
    nickname: s.nickname,
    savedServers: s.savedServers.map((x) => ({ ...x })),
    lastServer: s.lastServer,
    theme: s.theme,
    notifications: s.notifications,
    notificationSound: s.notificationSound,
    updates: s.updates,
    startAtLogin: s.startAtLogin,
    language: s.language,
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Older files, step by step up to SETTINGS_VERSION. Version 1 is the first; files without a
 * version predate versioning and have the same shape. A file from a newer version is read as far as
 * its fields are understood, and keeps its version number so the newer app does not re-migrate it.
 */
export const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  0: (raw) => ({ ...raw, version: 1 }),
};

export function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let current = { ...raw };
  let version = typeof current.version === 'number' && Number.isInteger(current.version) ? current.version : 0;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no settings migration from version ${version}`);
    current = step(current);
    version += 1;
    current.version = version;
  }
  return current;
}

/**
 * Reads a parsed settings object field by field. Returns the settings (defaults for missing or bad
 * fields), the unknown fields to keep, and the problems found (missing fields are not problems).
 */
export function readSettings(raw: Record<string, unknown>): { settings: StoredSettings; extra: Record<string, unknown>; problems: FieldProblem[]; version: number } {
  const migrated = migrate(raw);
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const problems: FieldProblem[] = [];
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(migrated)) {
    if (key === 'version' || RETIRED_FIELDS.has(key)) continue;
    const schema = (settingsFields as Record<string, z.ZodType>)[key];
    if (!schema) {
      if (!isUnsafeKey(key)) extra[key] = value;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) settings[key] = parsed.data;
    else problems.push({ field: key, message: parsed.error.issues[0]?.message ?? 'invalid' });
  }
  return { settings: settings as unknown as StoredSettings, extra, problems, version: Math.max(SETTINGS_VERSION, migrated.version as number) };
}

function isStoredNickname(value: string): boolean {
  if (value === '') return true;
  const result = cleanNickname(value);
  return result.ok && result.nickname === value;
}

function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}
