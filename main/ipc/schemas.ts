/**
 * Runtime schemas for every IPC argument the renderer sends. The renderer is web content: trust nothing.
 * IPC_ARG_SCHEMAS holds one per renderer → main channel of the registry (protocol/ipc.ts); each must
 * parse to exactly that channel's argument list (test/main/ipc/contract.types.test.ts). They live in
 * main, not protocol/, because they build on main's own rules (settings fields, mDNS labels) and zod
 * must stay out of the preload and renderer bundles.
 */
import * as z from 'zod';
import { isRoomAddress, type IpcArgs, type IpcRequestChannel } from '../../protocol/index';
import { DesktopSettingsPatchSchema, httpUrl } from '../settings/schema';
import { cleanLabel } from '../discovery/txt';

export { DesktopSettingsPatchSchema };

export const HostOptionsSchema = z.strictObject({
  name: z
    .string()
    .max(256)
    .transform((value, ctx) => {
      const label = cleanLabel(value);
      if (label === null) {
        ctx.addIssue({ code: 'custom', message: 'session name is empty' });
        return z.NEVER;
      }
      return label;
    }),
  lan: z.boolean(),
  // 0 = any free port; privileged ports (< 1024) are refused up front rather than failing on bind.
  port: z.union([z.literal(0), z.number().int().min(1024).max(65535)]).optional(),
});

export const ChatNotificationSchema = z.strictObject({
  title: z.string().max(1024),
  body: z.string().max(8192),
  room: z.string().max(200).refine(isRoomAddress, 'not a room'),
  // Sent back unchanged in the focus target when the notification is clicked; an http(s) URL like
  // any saved server's, so nothing else (javascript:, file:) can come back to the page as one.
  server: httpUrl,
});

export const UnreadCountSchema = z.number().int().min(0).max(1_000_000);

export const ExternalUrlSchema = z.string().min(1).max(4096);
/** Which origins may be pinned is main/security/pins.ts's call (NOT_LAN); here only the shape. */
export const PinOriginSchema = z.string().min(1).max(512);
export const FingerprintSchema = z.string().min(64).max(200);

/**
 * What the person typed as the relay's address, as typed: reading it (and saying what is wrong with
 * it) is the doctor's first check, so only its size is bounded here.
 */
export const DoctorUrlSchema = z.string().max(4096);

export const DoctorOptionsSchema = z.strictObject({
  // Ten minutes at most: the page waits for the whole run.
  idleSeconds: z.number().int().min(0).max(600).optional(),
  // SHA-256: 32 bytes in hex, colons optional.
  fingerprint: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, 'not a SHA-256 fingerprint')
    .optional(),
});

/** Invoke channels without arguments accept none: extra arguments are a sign of a confused or hostile caller. */
export const NoArgs = z.tuple([]);

/** A schema whose output is the argument list of channel `C`. */
export type IpcArgsSchema<C extends IpcRequestChannel> = z.ZodType<IpcArgs<C>>;

/** The argument list of every renderer → main channel, as the handlers validate it. */
export const IPC_ARG_SCHEMAS = {
  'settings:get': NoArgs,
  'settings:update': z.tuple([DesktopSettingsPatchSchema]),
  'app:capabilities': NoArgs,
  'lan:list': NoArgs,
  'relay:host': z.tuple([HostOptionsSchema]),
  'relay:stop': NoArgs,
  'relay:get': NoArgs,
  'app:open-external': z.tuple([ExternalUrlSchema]),
  'app:notify': z.tuple([ChatNotificationSchema]),
  'app:unread': z.tuple([UnreadCountSchema]),
  'doctor:run': z.tuple([DoctorUrlSchema, DoctorOptionsSchema]),
  'doctor:lan': NoArgs,
  'notify:test': NoArgs,
  'relay:rotate-certificate': NoArgs,
  'tls:pair': z.tuple([PinOriginSchema, z.string().min(1).max(32), FingerprintSchema, z.strictObject({ replace: z.boolean().optional() })]),
  'tls:forget': z.tuple([PinOriginSchema]),
  'tls:pins': NoArgs,
} satisfies { [C in IpcRequestChannel]: IpcArgsSchema<C> };
