/**
 * The relay's own view (GET /healthz: server/http/health.ts) and the clock skew read from the Date
 * headers of the answers the checks got anyway. Anonymous /healthz says only the status; details
 * (the protocol version among them) come only when the relay shows them to everyone.
 */
import { jsonBody, type DoctorHttp } from './http';
import { duration, ok, problem, skip, type Outcome } from './report';

export interface HealthSeen {
  status: string;
  /** The relay's PROTOCOL_VERSION, when its details are public. */
  protocol?: number;
}

/** Skew above this is a warning: message times and certificate validity start to look wrong. */
export const CLOCK_WARN_MS = 5000;

export async function checkHealth(http: DoctorHttp): Promise<{ outcome: Outcome; health?: HealthSeen }> {
  let answer;
  try {
    answer = await http.request('GET', '/healthz');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { outcome: problem('health', 'fail', `No answer to GET /healthz: ${e.code ?? e.message}.`, 'The connection opens but nothing answers HTTP: check that this port serves the relay (and not another service), and that a proxy in front has a backend it can reach.') };
  }
  const body = jsonBody(answer);
  const status = typeof body?.status === 'string' ? body.status : undefined;
  const health: HealthSeen | undefined = status ? { status, ...(typeof body?.protocol === 'number' ? { protocol: body.protocol } : {}) } : undefined;
  const withProtocol = health?.protocol === undefined ? '' : `, protocol ${health.protocol}`;
  if (answer.status === 421) {
    return {
      outcome: problem('health', 'fail', `The relay refuses the host name ${http.target.hostname} (HTTP 421 Misdirected Request).`, `A relay accepts IP addresses, localhost and the names in ALLOWED_HOSTS only (a defence against DNS rebinding): set ALLOWED_HOSTS=${http.target.hostname} on the relay.`),
    };
  }
  switch (status) {
    case 'ok':
      return { health, outcome: ok(`ok (HTTP ${answer.status}${withProtocol}).`) };
    case 'degraded':
      return {
        health,
        outcome: problem('health', 'warn', `degraded (HTTP ${answer.status}${withProtocol}): the relay serves its own clients but cannot reach its shared backend (Redis); messages wait in a queue until it returns.`, 'Check that Redis is up and reachable from the relay (firewall, private endpoint, VNet integration); the relay reconnects by itself every second.'),
      };
    case 'misconfigured':
      return {
        health,
        outcome: problem('health', 'fail', `misconfigured (HTTP ${answer.status}): the relay refuses clients until its configuration is fixed (Redis refuses its password or certificate, or REDIS_URL is malformed).`, "Read the relay's log (it names the problem once a minute), fix REDIS_URL or the key, and restart it."),
      };
    case 'stopping':
      return { health, outcome: problem('health', 'warn', `stopping (HTTP ${answer.status}): this instance is shutting down (a restart, a deployment or a scale-in).`, 'Try again in a moment; if it stays so, the process is stuck in shutdown: restart it.') };
  }
  if (answer.status === 404) {
    return { outcome: problem('health', 'fail', 'No /healthz here (HTTP 404): this is not a Parley relay, or a proxy in front sends only some paths to it.', 'Check the address, and that the proxy forwards every path (/, /healthz, /socket.io/) to the relay.') };
  }
  if (answer.status === 502 || answer.status === 503 || answer.status === 504) {
    return {
      outcome: problem('health', 'fail', `The proxy in front answered HTTP ${answer.status}: the relay behind it is down, or the proxy cannot reach it.`, "Check that the relay runs, the proxy's backend address and port, and its health probe (GET /healthz, healthy on 200)."),
    };
  }
  return { outcome: problem('health', 'fail', `Unexpected answer to GET /healthz: HTTP ${answer.status}${body ? '' : ', not JSON'}.`, 'Check that this address is a Parley relay (or a proxy in front of one).') };
}

export function checkClock(http: DoctorHttp): Outcome {
  if (http.dates.length === 0) return skip('No answer carried a Date header.');
  // The quickest exchange bounds the error best: the server stamped it somewhere between sent and received.
  const best = http.dates.reduce((a, b) => (b.received - b.sent < a.received - a.sent ? b : a));
  const rtt = best.received - best.sent;
  // Date has whole seconds, cut off: the server's moment lay within the second after it.
  const skew = best.server + 500 - (best.sent + best.received) / 2;
  const margin = 500 + rtt / 2;
  const size = Math.abs(skew);
  if (size <= margin) return ok(`The relay's clock agrees with this machine's, as far as its Date header tells (±${duration(margin)}).`);
  const way = `${duration(size)} ${skew > 0 ? 'ahead of' : 'behind'} this machine's`;
  if (size <= CLOCK_WARN_MS) return ok(`The relay's clock is about ${way} (±${duration(margin)}): close enough.`);
  const words = size >= 120_000 ? `${Math.round(size / 60_000)} min` : duration(size);
  return problem(
    'clock',
    'warn',
    `The relay's clock is ${words} ${skew > 0 ? 'ahead of' : 'behind'} this machine's (from its Date header, ±${duration(margin)}). Either clock may be the wrong one.`,
    'Turn on automatic time (NTP) on both machines. A wrong clock makes message times look wrong, and far off, certificates look expired or not yet valid.',
  );
}
