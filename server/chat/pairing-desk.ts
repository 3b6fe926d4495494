/**
 * The host's side of joining over TLS (protocol/pairing.ts): `POST /pair` answers a client's start
 * and keeps a single-use ticket; the Socket.IO handshake then redeems the ticket with the client's tag.
 *
 * Every start is a guess of the code (whoever chose its generator can check the host's answer), so
 * each one counts against the address in the join-code lockout until a ticket from it is redeemed.
 * Tickets are few, short-lived and bounded in number, so a flood of starts cannot grow memory.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../protocol/index';
import { answerPairing, joinTagMatches, PAIR_PATH, PAIR_TICKET_TTL_MS, type PairStart } from '../../protocol/pairing';
import type { JoinCodeGuard, JoinVerdict } from './join-code';
import { MemoryRateLimiter, type BucketSpec } from '../stores/token-bucket';

/** Unredeemed tickets kept at most (oldest dropped first). */
export const MAX_TICKETS = 1000;
/**
 * Starts answered per second by the whole relay, whatever their addresses: each costs a few ms of
 * curve arithmetic, and addresses are cheap (a host owns a whole IPv6 /64). Enough for a room of
 * people reconnecting at once; beyond it a start waits (503 + Retry-After), it is not counted as a guess.
 */
export const PAIR_STARTS: BucketSpec = { capacity: 60, perSecond: 20 };
const MAX_BODY_BYTES = 1024;

interface Ticket {
  ip: string;
  expected: Uint8Array;
  expiresAt: number;
}

export class PairingDesk {
  private readonly tickets = new Map<string, Ticket>();
  private readonly starts: MemoryRateLimiter;

  constructor(
    private readonly code: string,
    private readonly fingerprint: string,
    private readonly guard: JoinCodeGuard,
    private readonly corsOrigin: (origin: string) => boolean,
    startRate: BucketSpec = PAIR_STARTS,
  ) {
    this.starts = new MemoryRateLimiter(startRate);
  }

  /** Answers `POST /pair` (and its CORS preflight); false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse, ip: string): boolean {
    if ((req.url ?? '').split('?', 1)[0] !== PAIR_PATH) return false;
    const origin = req.headers.origin;
    const cors = origin && this.corsOrigin(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' });
      res.end();
      return true;
    }
    const reply = (status: number, body: object, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...cors, ...extra });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') {
      reply(405, { code: ErrorCode.INVALID_PAYLOAD, message: 'POST a pairing start here.' }, { allow: 'POST, OPTIONS' });
      return true;
    }
    // JSON only: a page elsewhere cannot send it without a CORS preflight, which only listed origins pass.
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      reply(415, { code: ErrorCode.INVALID_PAYLOAD, message: 'A pairing start is JSON (Content-Type: application/json).' });
      req.resume();
      return true;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      reply(413, { code: ErrorCode.TOO_LARGE, message: 'A pairing start is a few dozen bytes.' }, { connection: 'close' });
      req.resume();
      return true;
    }
    readBody(req, MAX_BODY_BYTES).then(
      (text) => {
        const locked = this.guard.lockedFor(ip);
        if (locked > 0) {
          reply(429, { code: ErrorCode.LOCKED_OUT, message: 'Too many join attempts; try again later.', retryAfterMs: locked }, { 'retry-after': String(Math.ceil(locked / 1000)) });
          return;
        }
        const budget = this.starts.take('all');
        if (!budget.ok) {
          reply(503, { code: ErrorCode.RATE_LIMITED, message: 'Many people are joining at once; try again in a moment.', retryAfterMs: budget.retryAfterMs }, { 'retry-after': String(Math.ceil(budget.retryAfterMs / 1000)) });
          return;
        }
        const start = parseStart(text);
        const answer = start && answerPairing(this.code, this.fingerprint, start);
        if (!answer) {
          reply(400, { code: ErrorCode.INVALID_PAYLOAD, message: 'Malformed pairing start.' });
          return;
        }
        this.guard.recordFailure(ip);
        reply(200, { ticket: this.issue(ip, answer.expectedJoinTag), ...answer.reply });
      },
      () => reply(413, { code: ErrorCode.TOO_LARGE, message: 'A pairing start is a few dozen bytes.' }, { connection: 'close' }),
    );
    return true;
  }

  /** The handshake's check of `{joinTicket, joinTag}`: single use, same address, not expired. */
  redeem(ip: string, ticket: string | undefined, joinTag: string | undefined, now = Date.now()): JoinVerdict {
    const locked = this.guard.lockedFor(ip, now);
    if (locked > 0) return { ok: false, code: ErrorCode.LOCKED_OUT, message: 'Too many join attempts; try again later.', retryAfterMs: locked };
    if (!ticket || !joinTag) return { ok: false, code: ErrorCode.JOIN_CODE_REQUIRED, message: 'This session is encrypted: join with the Parley app or an invite link, which prove the code without sending it.' };
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.ip !== ip || entry.expiresAt <= now || !joinTagMatches(entry.expected, joinTag)) {
      this.guard.recordFailure(ip, now);
      return { ok: false, code: ErrorCode.JOIN_CODE_INVALID, message: 'Wrong join code, or not this host’s certificate.' };
    }
    this.guard.forgive(ip);
    return { ok: true };
  }

  private issue(ip: string, expected: Uint8Array, now = Date.now()): string {
    for (const [id, t] of this.tickets) {
      if (t.expiresAt > now && this.tickets.size < MAX_TICKETS) break;
      this.tickets.delete(id);
    }
    const id = randomBytes(18).toString('base64url');
    this.tickets.set(id, { ip, expected, expiresAt: now + PAIR_TICKET_TTL_MS });
    return id;
  }
}

function parseStart(text: string): PairStart | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return undefined;
    const { sid, a } = body as Record<string, unknown>;
    return typeof sid === 'string' && typeof a === 'string' ? { sid, a } : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.destroy();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
