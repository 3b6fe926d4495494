/**
 * Checks over a Socket.IO session: latency (round trips), the Parley handshake (protocol) and whether
 * the relay wants a join code. The doctor connects with Parley auth and a throwaway key but never
 * logs in: a login would show a user joining and leaving in everyone's lobby. So it learns the
 * relay's PROTOCOL_VERSION only where the relay states it without a login (/healthz details, when
 * public), and otherwise whether the relay accepts this client's protocol.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, PROTOCOL_VERSION } from '../../protocol/index';
import { parseSio, roundTrip, type EngineSession } from './engine';
import type { HealthSeen } from './http-checks';
import { refusalAdvice } from './polling';
import { duration, ok, problem, skip, type Outcome } from './report';

const ROUND_TRIPS = 10;
/** A p95 above this is a warning: typing and delivery start to feel slow. */
export const LATENCY_WARN_MS = 1000;

const via = (s: EngineSession) => (s.transport === 'websocket' ? 'WebSocket' : 'HTTP long-polling');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function checkLatency(session: EngineSession): Promise<Outcome> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < ROUND_TRIPS; i++) samples.push(await roundTrip(session));
  } catch (err) {
    return problem('latency', 'fail', `Round trip ${samples.length + 1} of ${ROUND_TRIPS} over ${via(session)} got no answer: ${(err as Error).message}.`, 'The connection opens but then stalls: a proxy that buffers, a network that drops packets, or a relay too busy to answer.');
  }
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const detail = `p50 ${duration(p50)}, p95 ${duration(p95)} over ${ROUND_TRIPS} Socket.IO round trips (${via(session)}).`;
  if (p95 > LATENCY_WARN_MS) {
    return problem('latency', 'warn', `${detail} Messages and typing will feel slow.`, 'A slow or lossy network, a VPN or proxy far from the relay, or a relay short of CPU (see its /healthz details and host metrics).');
  }
  return ok(detail);
}

/** How the relay answered a Parley handshake without a join code. */
export interface HandshakeAnswer {
  connected: boolean;
  code?: string;
  message?: string;
  retryAfterMs?: number;
}

export async function parleyHandshake(session: EngineSession, timeoutMs = 5000): Promise<HandshakeAnswer> {
  // A fresh identity each run: the key is the user's secret, so the doctor never uses a real one.
  const auth = { client: 'parley', protocol: PROTOCOL_VERSION, key: randomBytes(18).toString('base64url') };
  await session.send(`40${JSON.stringify(auth)}`);
  for (;;) {
    const p = parseSio(await session.receive(timeoutMs));
    if (!p || p.nsp !== '/') continue;
    if (p.type === 0) return { connected: true };
    if (p.type !== 4) continue;
    const body = (p.data ?? {}) as { message?: unknown; data?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } };
    const data = body.data ?? {};
    return {
      connected: false,
      ...(typeof data.code === 'string' ? { code: data.code } : {}),
      ...(typeof data.message === 'string' ? { message: data.message } : typeof body.message === 'string' ? { message: body.message } : {}),
      ...(typeof data.retryAfterMs === 'number' ? { retryAfterMs: data.retryAfterMs } : {}),
    };
  }
}

const JOIN_CODES: readonly string[] = [ErrorCode.JOIN_CODE_REQUIRED, ErrorCode.JOIN_CODE_INVALID, ErrorCode.LOCKED_OUT];

export function judgeProtocol(answer: HandshakeAnswer, transport: EngineSession['transport'], health: HealthSeen | undefined): Outcome {
  const over = transport === 'websocket' ? 'WebSocket' : 'HTTP long-polling';
  const stated = health?.protocol;
  if (answer.connected || (answer.code && JOIN_CODES.includes(answer.code))) {
    const then = answer.connected ? 'accepted' : 'understood (it asks for a join code next)';
    if (stated !== undefined && stated !== PROTOCOL_VERSION) {
      return problem('protocol', 'warn', `The relay ${then} a protocol ${PROTOCOL_VERSION} Parley handshake over ${over}, but it speaks protocol ${stated}.`, `Update the ${stated > PROTOCOL_VERSION ? 'app (this doctor is older than the relay)' : 'relay (it is older than this app)'} so both speak the same protocol.`);
    }
    const version = stated === undefined ? 'its own version is stated only to clients that log in, or in /healthz details' : `it speaks protocol ${stated} too`;
    return ok(`The relay ${then} a protocol ${PROTOCOL_VERSION} Parley handshake over ${over}; ${version}.`);
  }
  const said = `${answer.code ?? 'no code'}${answer.message ? ` ("${answer.message.slice(0, 120)}")` : ''}`;
  if (answer.code === ErrorCode.INVALID_PAYLOAD) {
    return problem('protocol', 'fail', `The relay refused the Parley handshake as malformed: ${said}. It is from another release than this app, or not a Parley relay.`, 'Run the same Parley release on the relay and in the app.');
  }
  if (answer.code === ErrorCode.TOO_MANY_CONNECTIONS) return problem('protocol', 'warn', `The relay refused the connection: ${said}.`, refusalAdvice('too many connections'));
  if (answer.code === ErrorCode.SHUTTING_DOWN) return problem('protocol', 'warn', `The relay is shutting down: ${said}.`, 'Try again in a moment.');
  return problem('protocol', 'fail', `The relay refused the Parley handshake: ${said}.`, answer.code ? "Read the relay's log for the reason." : 'A Socket.IO server answered, but not the way a Parley relay does: check the address.');
}

export function judgeJoinCode(answer: HandshakeAnswer | undefined): Outcome {
  if (!answer) return skip('Not known: the Parley handshake did not get an answer.');
  if (answer.connected) return ok('Not required: anyone who can reach this address can join.');
  if (answer.code === ErrorCode.JOIN_CODE_REQUIRED || answer.code === ErrorCode.JOIN_CODE_INVALID) {
    return ok('Required: the app asks for the code the host shows when joining (the doctor sends none, and never reports one).');
  }
  if (answer.code === ErrorCode.LOCKED_OUT) {
    const wait = answer.retryAfterMs === undefined ? '' : ` for ${duration(answer.retryAfterMs)}`;
    return problem('join-code', 'warn', `Required, and this address is locked out${wait} after too many wrong codes.`, 'Wait, then type the code exactly as the host panel shows it; behind a shared address (NAT, proxy) someone else\'s wrong guesses count too.');
  }
  return skip('Not known: the handshake was refused before the join code (see protocol).');
}
