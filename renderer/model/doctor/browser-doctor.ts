/**
 * The connection doctor in a page (issue 25): the checks of protocol/diagnostics.ts that fetch and
 * WebSocket can make, reported in the same shape as `parley-server doctor` and the desktop app. DNS,
 * TCP and TLS are out of a page's reach and say so. Checks run in an order that gets answers to the
 * screen early (the idle check, which waits, comes last); the report lists them in DOCTOR_CHECKS order.
 *
 * fetch and WebSocket come in as arguments: the page passes its own, the Node tests undici's fetch and
 * the `ws` package's WebSocket against real relays.
 */
import type { CheckResult, DoctorCheckId, DoctorOptions, DoctorReport } from '../../../protocol/index';
import { DoctorHttp, checkAffinity, checkHealth, checkPolling, checkUrl, type DateSample, type PollingSession } from './http-checks';
import { ok, problem, reportableUrl, skip, inCheckOrder, type Outcome } from './report';
import { checkIdle, checkLatency, checkProtocol, checkWebSocket, type OpenWebSocket, type WsSession } from './socket-checks';
import { duration } from './engine-io';

export interface BrowserDoctorEnv {
  fetch: typeof globalThis.fetch;
  openWebSocket: OpenWebSocket;
  /** The page's origin (location.origin): for mixed content and for what the relay's CORS allows. */
  pageOrigin?: string | undefined;
}

export interface BrowserDoctorOptions extends DoctorOptions {
  /** Each check as it finishes. */
  onCheck?: (result: CheckResult) => void;
}

export const BROWSER_CANNOT = 'A browser cannot check this; the desktop app and `parley-server doctor` can.';

/** The page's own fetch and WebSocket. */
export function pageEnvironment(): BrowserDoctorEnv {
  return {
    fetch: (input, init) => fetch(input, init),
    openWebSocket: (url) => new WebSocket(url),
    pageOrigin: typeof location === 'undefined' ? undefined : location.origin,
  };
}

export async function runBrowserDoctor(url: string, options: BrowserDoctorOptions, env: BrowserDoctorEnv): Promise<DoctorReport> {
  const report: DoctorReport = { url: reportableUrl(url), at: Date.now(), from: 'browser', checks: [] };
  const done = new Set<DoctorCheckId>();
  const emit = (id: DoctorCheckId, outcome: Outcome, started?: number) => {
    if (done.has(id)) return;
    done.add(id);
    const result: CheckResult = { id, ...outcome, ...(started === undefined ? {} : { ms: Math.round(performance.now() - started) }) };
    report.checks.push(result);
    options.onCheck?.(result);
  };
  const timed = async (id: DoctorCheckId, run: () => Promise<Outcome>) => {
    const started = performance.now();
    emit(id, await run(), started);
  };
  const skipRest = (why: string) => {
    for (const id of ['health', 'polling', 'affinity', 'websocket', 'latency', 'clock', 'protocol', 'join-code', 'idle'] as const) emit(id, skip(why));
  };

  const started = performance.now();
  const { outcome, target } = checkUrl(url, env.pageOrigin);
  emit('url', outcome, started);
  emit('dns', skip(BROWSER_CANNOT));
  emit('tcp', skip(BROWSER_CANNOT));
  emit('tls', skip(target && !target.secure ? 'Plain http://: no TLS to check.' : BROWSER_CANNOT));
  if (!target || outcome.status === 'fail') {
    skipRest('Not run: the address is not usable (see url).');
    return finish(report);
  }

  const http = new DoctorHttp(env.fetch, target, env.pageOrigin);
  let polling: PollingSession | undefined;
  let ws: WsSession | undefined;
  try {
    const healthStarted = performance.now();
    const health = await checkHealth(http);
    emit('health', health.outcome, healthStarted);
    if (!health.reachable) {
      skipRest('Not run: nothing answered (see health).');
      return finish(report);
    }

    const pollStarted = performance.now();
    const poll = await checkPolling(http);
    emit('polling', poll.outcome, pollStarted);
    polling = poll.session;
    let pollingWorks = false;
    if (polling) {
      const affinityStarted = performance.now();
      const affinity = await checkAffinity(polling);
      emit('affinity', affinity.outcome, affinityStarted);
      pollingWorks = affinity.outcome.status === 'ok';
    } else emit('affinity', skip('Not run: no long-polling session (see polling).'));

    const wsStarted = performance.now();
    const socket = await checkWebSocket(env.openWebSocket, target, pollingWorks, poll.originRefused === true);
    emit('websocket', socket.outcome, wsStarted);
    ws = socket.session;

    // Round trips and the handshake go over the WebSocket when it opened, as the app's would.
    const session = ws ?? (pollingWorks ? polling : undefined);
    if (session) {
      await timed('latency', () => checkLatency(session));
      const protocolStarted = performance.now();
      const answers = await checkProtocol(session);
      emit('protocol', answers.protocol, protocolStarted);
      emit('join-code', answers.joinCode);
    } else {
      emit('latency', skip('Not run: no working session (see polling and websocket).'));
      emit('protocol', skip('Not run: no working session (see polling and websocket).'));
      emit('join-code', skip('Not run: no working session (see polling and websocket).'));
    }
    emit('clock', checkClock(http.dates));
    ws?.close();
    ws = undefined;
    polling?.close();
    polling = undefined;

    const idleSeconds = options.idleSeconds ?? 0;
    if (idleSeconds <= 0) emit('idle', skip('Not run: turn on the idle check to hold a quiet connection for a while.'));
    else if (!socket.session) emit('idle', skip('Not run: no WebSocket opened (see websocket).'));
    else await timed('idle', () => checkIdle(env.openWebSocket, target, idleSeconds));
  } catch (err) {
    // A check that threw is a bug of the doctor, not a finding about the relay: said as such.
    skipRest(`Not run: the doctor itself failed (${err instanceof Error ? err.message : String(err)}).`);
  } finally {
    ws?.close();
    polling?.close();
  }
  return finish(report);
}

function finish(report: DoctorReport): DoctorReport {
  return { ...report, checks: inCheckOrder(report.checks) };
}

/**
 * The relay's clock against this one, from the Date headers of answers the page could read. A Date
 * header has one-second resolution: the relay's time lay within [date, date + 1 s) at some moment
 * between sending and receiving, which bounds the difference from both sides.
 */
export function checkClock(dates: readonly DateSample[]): Outcome {
  if (dates.length === 0) return skip("A page from another origin cannot read the relay's Date header, so the clocks cannot be compared here.");
  let low = -Infinity;
  let high = Infinity;
  for (const d of dates) {
    low = Math.max(low, d.server - d.received);
    high = Math.min(high, d.server + 1000 - d.sent);
  }
  // Bounds that cross come from a relay behind several instances with different clocks: take the middle.
  const skew = low <= 0 && high >= 0 ? 0 : low > high ? (low + high) / 2 : low > 0 ? low : high;
  const ahead = skew > 0 ? 'ahead of' : 'behind';
  if (Math.abs(skew) < 5000) return ok(skew === 0 ? "The relay's clock and this computer's agree (to the second)." : `The relay's clock is ${duration(Math.abs(skew))} ${ahead} this computer's.`);
  return problem('clock', 'warn', `The relay's clock is about ${duration(Math.abs(skew))} ${ahead} this computer's.`, 'Message times will look off. Turn on automatic time (NTP) on whichever of the two is wrong.');
}
