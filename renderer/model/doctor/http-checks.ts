/**
 * What a page can learn of a relay over plain HTTP (fetch): whether the address makes sense here,
 * /healthz, the Engine.IO long-polling handshake, and session affinity (several requests on one
 * session). A browser hides why a request failed: a refused connection, an unknown host, an untrusted
 * certificate and a CORS refusal all look alike. So a failed request is tried again in `no-cors` mode,
 * which resolves whenever the server answered at all: that tells "nothing answered" from "the relay
 * answered but does not let this page read it" (its ALLOWED_ORIGINS).
 */
import { schemeProblem } from '../../../protocol/index';
import { EIO_PATH, PACKET_SEPARATOR, PROBE, cacheBuster, duration, isProbeAnswer, parseOpen, receivePolled, type EngineSession, type OpenInfo } from './engine-io';
import { ok, problem, skip, type Outcome } from './report';

export interface Target {
  /** scheme://host[:port]: the base of every request. */
  origin: string;
  /** ws(s)://host[:port] */
  wsOrigin: string;
  secure: boolean;
  host: string;
}

export interface DateSample {
  /** The relay's Date header, ms since epoch (1 s resolution). */
  server: number;
  sent: number;
  received: number;
}

/** What the checks share: how to fetch, the page's own origin, and the Date headers seen on the way. */
export class DoctorHttp {
  readonly dates: DateSample[] = [];
  constructor(
    readonly fetch: typeof globalThis.fetch,
    readonly target: Target,
    readonly pageOrigin: string | undefined,
  ) {}

  async request(path: string, init: { method?: 'GET' | 'POST'; body?: string; timeoutMs?: number } = {}): Promise<Reach> {
    const timeoutMs = init.timeoutMs ?? 10_000;
    const url = `${this.target.origin}${path}`;
    const sent = Date.now();
    try {
      const res = await this.fetch(url, {
        method: init.method ?? 'GET',
        ...(init.body === undefined ? {} : { body: init.body }),
        cache: 'no-store',
        credentials: 'omit',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await res.text()).slice(0, 64 * 1024);
      const date = Date.parse(res.headers.get('date') ?? '');
      if (Number.isFinite(date)) this.dates.push({ server: date, sent, received: Date.now() });
      return { kind: 'answer', status: res.status, body };
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return { kind: 'timeout', ms: timeoutMs };
      const message = err instanceof Error ? err.message : String(err);
      try {
        await this.fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) });
        return { kind: 'unreadable' };
      } catch {
        return { kind: 'network', message };
      }
    }
  }
}

/** How a request went: an answer the page can read, one it may not (CORS), none, or none in time. */
export type Reach = { kind: 'answer'; status: number; body: string } | { kind: 'unreadable' } | { kind: 'network'; message: string } | { kind: 'timeout'; ms: number };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function checkUrl(input: string, pageOrigin: string | undefined): { outcome: Outcome; target?: Target } {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    const noScheme = !/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim());
    return { outcome: problem('url', 'fail', 'This is not a URL the doctor can read.', noScheme ? 'Write the whole address with its scheme, e.g. https://chat.example.com or http://192.168.1.20:3000.' : 'Check the address for typos.') };
  }
  const wrongScheme = schemeProblem(u);
  if (wrongScheme) return { outcome: wrongScheme };
  const secure = u.protocol === 'https:';
  const target: Target = { origin: u.origin, wsOrigin: `${secure ? 'wss' : 'ws'}://${u.host}`, secure, host: u.host };
  const notes: string[] = [];
  if (u.pathname !== '/' && u.pathname !== '') notes.push(`the path ${u.pathname} is not used: the app connects to ${u.origin}${EIO_PATH}`);
  if (u.search || u.hash) notes.push('the query and fragment are left out');
  const detail = `${secure ? 'HTTPS' : 'Plain HTTP (not encrypted)'} to ${u.host}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
  // A page served over HTTPS may not talk to a plain http:// relay (mixed content), loopback excepted.
  if (pageOrigin?.startsWith('https:') && !secure && !LOOPBACK.test(u.hostname)) {
    return { target, outcome: problem('url', 'fail', `${detail} This page was served over HTTPS, and a browser refuses plain http:// connections from it (mixed content).`, 'Serve the relay over HTTPS (a TLS-terminating proxy in front of it), or use the desktop app.') };
  }
  if (u.username || u.password) {
    return { target, outcome: problem('url', 'warn', `${detail} The URL carries a user name or password: Parley does not use them, and they are left out of this report.`, 'Remove the credentials from the address you share.') };
  }
  return { target, outcome: ok(detail) };
}

/** What reached nothing or could not be read, as a check's outcome. */
function unreached(id: 'health' | 'polling', reach: Exclude<Reach, { kind: 'answer' }>, what: string, http: DoctorHttp): Outcome {
  if (reach.kind === 'timeout') return problem(id, 'fail', `No answer from ${what} within ${duration(reach.ms)}.`, 'Something between here and the relay holds the request: a firewall that drops packets, or a proxy that waits on a relay that is down.');
  if (reach.kind === 'network') {
    return problem(
      id,
      'fail',
      `Nothing answered at ${http.target.origin}: the connection was refused, the name is unknown, the network is down, or ${http.target.secure ? 'its certificate is not trusted by this browser' : 'something blocked it'}.`,
      'Check the address and that the relay is running. The desktop app and `parley-server doctor` can tell these apart (DNS, TCP and TLS checks).',
    );
  }
  return problem(
    id,
    'fail',
    `The relay answered at ${what}, but does not let this page (${http.pageOrigin ?? 'unknown origin'}) read the answer: it does not accept this page's origin.`,
    `Add ${http.pageOrigin ?? "this page's origin"} to the relay's ALLOWED_ORIGINS, or open the web client the relay serves itself (${http.target.origin}).`,
  );
}

/** GET /healthz: ok / degraded / misconfigured / stopping. Its answer carries no CORS grant, so only a same-origin page can read it. */
export async function checkHealth(http: DoctorHttp): Promise<{ outcome: Outcome; reachable: boolean }> {
  const started = performance.now();
  const reach = await http.request('/healthz');
  const took = duration(performance.now() - started);
  if (reach.kind === 'unreadable') {
    return { reachable: true, outcome: skip(`Something answered at ${http.target.origin}/healthz, but a page from another origin cannot read a relay's health (it grants no CORS for it).`) };
  }
  if (reach.kind !== 'answer') return { reachable: false, outcome: unreached('health', reach, '/healthz', http) };
  let status: unknown;
  try {
    status = (JSON.parse(reach.body) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  const seen = `HTTP ${reach.status}${typeof status === 'string' ? `, "${status}"` : ''} in ${took}`;
  if (reach.status === 200 && status === 'ok') return { reachable: true, outcome: ok(`The relay is healthy (${seen}).`) };
  if (reach.status === 200 && status === 'degraded') {
    return { reachable: true, outcome: problem('health', 'warn', `The relay is degraded (${seen}): it serves its own clients but cannot reach its shared store (Redis).`, 'People on other instances get messages late until Redis is back; check the relay logs and REDIS_URL.') };
  }
  if (reach.status === 503 && status === 'misconfigured') {
    return { reachable: true, outcome: problem('health', 'fail', `The relay is misconfigured (${seen}): its store refuses it, so it accepts no connections.`, 'Check the relay logs: a wrong Redis password or an untrusted Redis certificate (REDIS_URL, REDIS_TLS_CA).') };
  }
  if (reach.status === 503 && status === 'stopping') return { reachable: true, outcome: problem('health', 'fail', `The relay is shutting down (${seen}).`, 'Wait for it to restart, or for the load balancer to send you to another instance.') };
  return {
    reachable: true,
    outcome: problem('health', 'warn', `/healthz did not answer as a Parley relay does (${seen}).`, 'A proxy in front may not pass /healthz on, or this address is not a Parley relay.'),
  };
}

/** Engine.IO over HTTP long-polling: a POST sends, a GET returns what the relay has queued. */
export class PollingSession implements EngineSession {
  readonly transport = 'polling';
  /** The requests on the session after the handshake, in order, for the affinity check. */
  readonly requests: { method: 'GET' | 'POST'; status: number; unknownSession: boolean }[] = [];
  private readonly queue: string[] = [];
  private closed = false;

  constructor(
    private readonly http: DoctorHttp,
    readonly open: OpenInfo,
    first: string[],
  ) {
    this.queue.push(...first);
  }

  private path(): string {
    return `${EIO_PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(this.open.sid)}&t=${cacheBuster()}`;
  }

  private async call(method: 'GET' | 'POST', body?: string, timeoutMs = 10_000): Promise<string> {
    const reach = await this.http.request(this.path(), { method, ...(body === undefined ? {} : { body }), timeoutMs });
    if (reach.kind !== 'answer') throw new PollingError(method, reach, this.requests.length + 1);
    const unknownSession = reach.status === 400 && /"code":\s*1\b/.test(reach.body);
    this.requests.push({ method, status: reach.status, unknownSession });
    if (reach.status !== 200) throw new PollingError(method, reach, this.requests.length);
    return reach.body;
  }

  async send(packet: string): Promise<void> {
    await this.call('POST', packet);
  }

  receive(timeoutMs: number): Promise<string> {
    return receivePolled(this.queue, timeoutMs, (packet) => this.send(packet), (left) => this.call('GET', undefined, left));
  }

  /** The close packet; best effort (without affinity it may reach an instance that never knew the session). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.http.request(this.path(), { method: 'POST', body: '1', timeoutMs: 5000 });
  }
}

export class PollingError extends Error {
  constructor(
    readonly method: 'GET' | 'POST',
    readonly reach: Reach,
    /** Which request on the session it was, from 1. */
    readonly index: number,
  ) {
    super(reach.kind === 'answer' ? `${method} was answered HTTP ${reach.status}` : `${method} got no answer (${reach.kind})`);
  }
  get unknownSession(): boolean {
    return this.reach.kind === 'answer' && this.reach.status === 400 && /"code":\s*1\b/.test(this.reach.body);
  }
}

/**
 * The handshake: a session, or why there is none. `originRefused`: the relay does not accept this
 * page's origin, which refuses its WebSockets too.
 */
export async function checkPolling(http: DoctorHttp): Promise<{ outcome: Outcome; session?: PollingSession; originRefused?: boolean }> {
  const started = performance.now();
  const reach = await http.request(`${EIO_PATH}?EIO=4&transport=polling&t=${cacheBuster()}`);
  const took = duration(performance.now() - started);
  if (reach.kind !== 'answer') return { outcome: unreached('polling', reach, `${EIO_PATH}`, http), originRefused: reach.kind === 'unreadable' };
  const packets = reach.status === 200 ? reach.body.split(PACKET_SEPARATOR) : [];
  const open = packets[0] ? parseOpen(packets[0]) : undefined;
  if (open) {
    const detail = `Engine.IO session opened over long-polling in ${took}: the relay pings every ${duration(open.pingInterval)} and waits ${duration(open.pingTimeout)} for the answer.`;
    return { outcome: ok(detail), session: new PollingSession(http, open, packets.slice(1).filter(Boolean)) };
  }
  if (reach.status === 403) {
    const message = /"message":\s*"([^"]{1,200})"/.exec(reach.body)?.[1] ?? 'Forbidden';
    const origin = /origin/i.test(message);
    return {
      originRefused: origin,
      outcome: problem(
        'polling',
        'fail',
        `The relay refused the handshake (HTTP 403: ${message}).`,
        origin ? `Add ${http.pageOrigin ?? "this page's origin"} to the relay's ALLOWED_ORIGINS.` : 'The relay refuses new connections from this address or host name: see its log for why.',
      ),
    };
  }
  if (reach.status === 404) return { outcome: problem('polling', 'fail', `Nothing is served at ${EIO_PATH} (HTTP 404).`, 'A proxy in front must pass /socket.io/ on to the relay; or this address is not a Parley relay.') };
  return { outcome: problem('polling', 'fail', `The handshake was answered HTTP ${reach.status} without an Engine.IO session (${took}).`, 'A proxy in front may answer for the relay: check that it passes /socket.io/ on unchanged.') };
}

const AFFINITY_ROUNDS = 5;

/**
 * Several round trips on the one session (a POST and a GET each): behind a load balancer that deals
 * requests round robin without sticky sessions, one of them reaches an instance that does not know
 * the session and is answered "Session ID unknown" (HTTP 400).
 */
export async function checkAffinity(session: PollingSession): Promise<{ outcome: Outcome; samples: number[] }> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < AFFINITY_ROUNDS; i++) {
      const started = performance.now();
      await session.send(PROBE);
      for (;;) if (isProbeAnswer(await session.receive(5000))) break;
      samples.push(performance.now() - started);
    }
  } catch (err) {
    if (err instanceof PollingError && err.unknownSession) {
      return {
        samples,
        outcome: problem(
          'affinity',
          'fail',
          `Request ${err.index} on one session (a ${err.method}) was answered "Session ID unknown": the requests of a session reach different relay instances.`,
          'Turn on session affinity (sticky sessions) in the load balancer: ARR affinity on Azure App Service, cookie-based affinity on Application Gateway, `ip_hash` or `hash $remote_addr` in nginx, `balance source` or a cookie in HAProxy.',
        ),
      };
    }
    const why = err instanceof Error ? err.message : String(err);
    return { samples, outcome: problem('affinity', 'fail', `A request on the session failed: ${why}.`, 'Something between here and the relay interrupts long-polling requests: a proxy with a short request timeout or buffering turned on.') };
  }
  return { samples, outcome: ok(`${session.requests.length} requests on one session all reached the same relay instance.`) };
}
