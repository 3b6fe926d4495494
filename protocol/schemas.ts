/**
 * Runtime schemas (zod) for every client-to-server payload and the handshake. Types do not exist at
 * run time, so the relay checks each payload against these before acting on it. Built once at module
 * load, not per call.
 *
 * Shape errors become INVALID_PAYLOAD; semantic limits that deserve their own code (message too long,
 * empty message, bad nickname, unknown room) are checked by the handlers after the shape is known.
 */
import * as z from 'zod';
import { CLIENT_ID_PATTERN, CLIENT_KEY_PATTERN, HISTORY_PAGE_MAX, MAX_ROOMS_PER_SOCKET } from './limits';
import { ErrorCode, ParleyError } from './errors';
import { SEARCH_QUERY_MAX, SEARCH_RESULTS_MAX } from './edits';
import { ATTACHMENTS_MAX, FILE_ID_PATTERN } from './files';
import { LINK_HOPS_MAX, RELAY_ID_PATTERN } from './link';
import type { ClientEvent, RequestOf } from './requests';

// Upper bound for any string before the semantic checks: stops a 60 KB nickname from being
// normalised or a huge room name from being regex-tested.
const boundedString = (max: number) => z.string().max(max);
const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const roomAddress = boundedString(200);
const fileId = z.string().regex(FILE_ID_PATTERN, 'file ids are 16–64 characters of A–Z a–z 0–9 _ -');

export const LoginRequestSchema = z.object({
  username: boundedString(512),
  rooms: z.array(roomAddress).max(MAX_ROOMS_PER_SOCKET).optional(),
  since: z
    .record(roomAddress, seq)
    .refine((r) => Object.keys(r).length <= MAX_ROOMS_PER_SOCKET * 2, 'too many rooms in since')
    .optional(),
});
/** `add user` accepts the classic bare string or Parley's object. */
export const AddUserSchema = z.union([boundedString(512), LoginRequestSchema]);

export const SendRequestSchema = z.object({
  // No bound here: the handler checks the length itself so that it can answer TOO_LARGE (the
  // transport's maxHttpBufferSize already caps what can arrive at all).
  text: z.string(),
  room: roomAddress.optional(),
  to: boundedString(64).optional(),
  clientId: z.string().regex(CLIENT_ID_PATTERN, 'clientId must be 8–64 characters of A–Z a–z 0–9 _ -').optional(),
  attachments: z
    .array(fileId)
    .max(ATTACHMENTS_MAX)
    .refine((ids) => new Set(ids).size === ids.length, 'an attachment is listed twice')
    .optional(),
  link: z
    .object({
      // The nickname rules are the handler's (INVALID_NICKNAME); this only bounds the work.
      author: boundedString(512),
      origin: z.string().regex(CLIENT_ID_PATTERN, 'origin is a message id'),
      hops: z.array(z.string().regex(RELAY_ID_PATTERN, 'hops are relay ids')).min(1).max(LINK_HOPS_MAX),
    })
    .optional(),
});
export const NewMessageSchema = z.union([z.string(), SendRequestSchema]);

export const TypingSchema = z.object({ room: roomAddress.optional() }).optional();

export const RoomJoinSchema = z.object({
  room: roomAddress,
  create: z.boolean().optional(),
  since: seq.optional(),
});
export const RoomRefSchema = z.object({ room: roomAddress });

export const HistoryRequestSchema = z.object({
  room: roomAddress,
  afterSeq: seq.optional(),
  beforeSeq: seq.optional(),
  limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).optional(),
});

export const ReadRequestSchema = z.object({
  room: roomAddress,
  seq,
  kind: z.enum(['read', 'delivered']).optional(),
  private: z.boolean().optional(),
});

const messageRef = { room: roomAddress, id: boundedString(40), seq: seq.min(1) };
const clientId = z.string().regex(CLIENT_ID_PATTERN, 'clientId must be 8–64 characters of A–Z a–z 0–9 _ -');

// The edit's text, like a message's, is checked by the handler (TOO_LARGE, EMPTY_MESSAGE).
export const EditRequestSchema = z.object({ ...messageRef, text: z.string(), clientId: clientId.optional() });
export const DeleteRequestSchema = z.object({ ...messageRef, clientId: clientId.optional() });
export const SearchRequestSchema = z.object({
  query: boundedString(SEARCH_QUERY_MAX),
  room: roomAddress.optional(),
  limit: z.number().int().min(1).max(SEARCH_RESULTS_MAX).optional(),
});

/**
 * The payload schema of every client event, keyed like ClientRequests (./requests): the relay's
 * dispatcher parses each event with its entry. `satisfies` checks each schema's output fits the
 * contract; test/protocol/requests.types.test.ts checks they are exactly equal.
 */
export const REQUEST_SCHEMAS = {
  'add user': AddUserSchema,
  'new message': NewMessageSchema,
  typing: TypingSchema,
  'stop typing': TypingSchema,
  'room:join': RoomJoinSchema,
  'room:leave': RoomRefSchema,
  'room:list': z.undefined(),
  'history:fetch': HistoryRequestSchema,
  'users:list': RoomRefSchema,
  read: ReadRequestSchema,
  'receipts:list': RoomRefSchema,
  'message:edit': EditRequestSchema,
  'message:delete': DeleteRequestSchema,
  search: SearchRequestSchema,
  'upload:token': RoomRefSchema,
  'file:url': z.object({ room: roomAddress, id: fileId, variant: z.literal('thumb').optional() }),
} as const satisfies { readonly [E in ClientEvent]: z.ZodType<RequestOf<E>> };

export const HandshakeAuthSchema = z.object({
  client: z.literal('parley'),
  protocol: z.number().int().min(1),
  key: z.string().regex(CLIENT_KEY_PATTERN, 'key must be 22–64 base64url characters'),
  joinCode: boundedString(32).optional(),
  joinTicket: boundedString(64).optional(),
  joinTag: boundedString(64).optional(),
});

/** Parses or throws a ParleyError(INVALID_PAYLOAD) naming the first problem. */
export function parsePayload<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new ParleyError(ErrorCode.INVALID_PAYLOAD, `Invalid ${what}${where}: ${issue?.message ?? 'malformed'}`);
}
