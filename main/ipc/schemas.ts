/** Runtime schemas for every IPC argument the renderer sends. The renderer is web content: trust nothing. */
import * as z from 'zod';
import { isRoomAddress } from '../../protocol/index';
import { DesktopSettingsPatchSchema } from '../settings/schema';
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
});

export const UnreadCountSchema = z.number().int().min(0).max(1_000_000);

export const ExternalUrlSchema = z.string().min(1).max(4096);

/** Invoke channels without arguments accept none: extra arguments are a sign of a confused or hostile caller. */
export const NoArgs = z.tuple([]);
