/**
 * HTTP long-polling, the transport every Socket.IO client can fall back to, and session affinity:
 * a polling session lives in one relay process, so every request of it must reach that process.
 * Behind a load balancer without sticky sessions the requests spread over instances, and those that
 * land elsewhere are answered `400 {"code":1,"message":"Session ID unknown"}` (socket.io #4433).
 */
import { EIO_PATH, PollingSession, roundTrip, SessionUnknownError } from './engine';
import { engineError, type Answer, type DoctorHttp } from './http';
import { duration, ok, problem, type Outcome } from './report';
import type { DoctorCheckId } from '../../protocol/diagnostics';

/** Round trips on the session in the polling check, then in the affinity check (two requests each). */
const POLLING_ROUNDS = 2;
const AFFINITY_ROUNDS = 3;

/** What to do about a refusal the relay's allowRequest gives (server/relay.ts), by its message. */
export function refusalAdvice(message: string): string {
  if (/host not allowed/i.test(message)) return 'The relay accepts IP addresses, localhost and the names in ALLOWED_HOSTS only: add this host name to ALLOWED_HOSTS.';
  if (/origin not allowed/i.test(message)) return "Add the page's origin to ALLOWED_ORIGINS on the relay.";
  if (/not ready/i.test(message)) return 'The relay is misconfigured (see the health check and its log).';
  if (/too many connections/i.test(message)) return 'This address holds as many connections as one address may (CONNECTIONS_PER_ADDRESS): close other sessions, or raise the limit; behind a proxy, set TRUST_PROXY so clients are told apart.';
  return "Read the relay's log for the reason.";
}

/** Why a handshake was refused, for a person. */
export function refusal(id: DoctorCheckId, answer: Answer, what: string): Outcome {
  const err = engineError(answer);
  if (answer.status === 403 && err) return problem(id, 'fail', `The relay refused the ${what}: "${err.message}" (HTTP 403).`, refusalAdvice(err.message));
  if (answer.status === 400 && err?.code === 5) {
    return problem(id, 'fail', `The server does not speak Engine.IO 4 (HTTP 400 "${err.message}"): it is an older Socket.IO server, not a Parley relay.`, 'Check the address: Parley relays run Socket.IO 4.');
  }
  if (answer.status === 404) {
    return problem(id, 'fail', `No Socket.IO at ${EIO_PATH} (HTTP 404): a proxy in front sends only some paths to the relay, or this is not a Parley relay.`, `Forward ${EIO_PATH} (and /healthz) to the relay as well as /.`);
  }
  if (answer.status === 429) return problem(id, 'fail', `Too many requests (HTTP 429): a rate limit or a connection cap in front of the relay.`, "On App Service, the plan's WebSocket and connection limits (Free: 5 WebSockets); otherwise the proxy's rate limit.");
  return problem(id, 'fail', `The ${what} got HTTP ${answer.status}${err ? ` "${err.message}"` : ''} instead of an Engine.IO answer.`, 'Check that the address leads to a Parley relay, through proxies that pass /socket.io/ unchanged.');
}

export async function checkPolling(http: DoctorHttp): Promise<{ outcome: Outcome; session?: PollingSession }> {
  const started = performance.now();
  let handshake;
  try {
    handshake = await PollingSession.start(http);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { outcome: problem('polling', 'fail', `No answer to the Engine.IO handshake (GET ${EIO_PATH}?EIO=4&transport=polling): ${e.code ?? e.message}.`, 'Check that a proxy in front forwards /socket.io/ to the relay and does not hold or buffer its answers.') };
  }
  if (!('session' in handshake)) return { outcome: refusal('polling', handshake.answer, 'polling handshake') };
  const { session } = handshake;
  const { pingInterval, pingTimeout, upgrades } = session.open;
  const heartbeat = `the relay pings every ${duration(pingInterval)} and drops a client silent for ${duration(pingTimeout)} more`;
  const offers = upgrades.includes('websocket') ? '' : '; it offers no WebSocket upgrade';
  let rounds = 0;
  try {
    for (; rounds < POLLING_ROUNDS; rounds++) await roundTrip(session);
  } catch (err) {
    if (err instanceof SessionUnknownError) {
      return {
        session,
        outcome: problem(
          'polling',
          'warn',
          `Session opened (${heartbeat}${offers}), but a later request on it was answered "Session ID unknown": the requests of one session reach more than one instance (see the affinity check).`,
          'Clients that poll (the classic page, and Parley clients where WebSocket is blocked) fail until session affinity is on.',
        ),
      };
    }
    return { session, outcome: problem('polling', 'fail', `Session opened, but a poll failed: ${(err as Error).message}.`, 'A proxy in front may buffer or cut long-poll answers: turn off response buffering for /socket.io/ and allow requests of at least the ping interval.') };
  }
  const ms = performance.now() - started;
  return { session, outcome: ok(`Session opened and ${rounds * 2} polls answered in ${duration(ms)}: ${heartbeat}${offers}.`) };
}

export async function checkAffinity(http: DoctorHttp, session: PollingSession): Promise<Outcome> {
  let other: string | undefined;
  for (let i = 0; i < AFFINITY_ROUNDS; i++) {
    try {
      await roundTrip(session);
    } catch (err) {
      // A request that reached another instance is what this check counts; anything else ends it.
      if (!(err instanceof SessionUnknownError)) {
        other = (err as Error).message;
        break;
      }
    }
  }
  session.close();
  const total = session.requests.length;
  const lost = session.requests.filter((r) => r.unknownSession).length;
  const cookie = http.cookieNames().length ? ` (the balancer's cookie${http.cookieNames().length > 1 ? 's' : ''} ${http.cookieNames().join(', ')} sent back, as a browser does)` : '';
  if (lost > 0) {
    return problem(
      'affinity',
      'fail',
      `${lost} of ${total} requests on one polling session, each on a new connection, were answered "Session ID unknown"${cookie}: they reached an instance that does not hold the session. A load balancer spreads this URL over several relays without session affinity.`,
      "Turn on session affinity. App Service: Configuration → General settings → ARR affinity On (behind Application Gateway also clientAffinityProxyEnabled). Application Gateway: cookie-based affinity in the backend settings. HAProxy: `balance source`, or `cookie SERVERID insert indirect nocache` with a cookie per server. nginx: `ip_hash;` (or `hash $remote_addr consistent;`) in the upstream. Clients on WebSocket only do not need it; polling ones do.",
    );
  }
  if (other) return problem('affinity', 'fail', `A request on the session failed: ${other}.`, 'See the polling check; a proxy that cuts or buffers long-poll answers also ends here.');
  return ok(`${total} requests on one polling session, each on a new connection, all reached the instance holding it${cookie}: one instance, or sticky sessions.`);
}
