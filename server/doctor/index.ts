/**
 * The connection doctor (issue 25, contract in protocol/diagnostics.ts): runs every check of
 * DOCTOR_CHECKS in order against one relay URL and reports each as it finishes. A check whose
 * prerequisite failed is skipped and says which one. Used by `parley-server doctor` and by the
 * desktop app's main process; nothing here prints, reads the environment or exits.
 */
import { DOCTOR_CHECKS, type CheckResult, type DoctorCheckId, type DoctorOptions, type DoctorReport } from '../../protocol/diagnostics';
import { PollingSession, type EngineSession } from './engine';
import { DoctorHttp } from './http';
import { checkClock, checkHealth, type HealthSeen } from './http-checks';
import { checkDns, checkTcp } from './network';
import { checkAffinity, checkPolling } from './polling';
import { problem, skip, type Outcome } from './report';
import { checkLatency, judgeJoinCode, judgeProtocol, parleyHandshake, type HandshakeAnswer } from './socketio';
import { checkUrl, reportableUrl, type Target } from './target';
import { checkTls, type Trust } from './tls';
import { checkIdle, checkWebsocket } from './websocket';
import { WsSession } from './ws-session';

export { formatCheck, formatHeader, formatReport, hasFailure, summary } from './report';
export { reportableUrl } from './target';
export { MAX_IDLE_SECONDS } from './websocket';
export { normalizeFingerprint } from './tls';

export interface RunDoctorOptions extends DoctorOptions {
  from: 'cli' | 'desktop';
  /** Called with each result as soon as it is known, in DOCTOR_CHECKS order (for a live screen). */
  onCheck?: (result: CheckResult) => void;
}

/** What the checks learn and hand on to later ones. */
interface State {
  /** Every finished check's status so far. */
  status: Map<DoctorCheckId, CheckResult['status']>;
  target?: Target;
  addresses?: string[];
  trust?: Trust;
  http?: DoctorHttp;
  health?: HealthSeen;
  polling?: PollingSession;
  survivor?: WsSession;
  handshake?: HandshakeAnswer;
}

/** What each check needs to have passed (or at least not failed) before it can run. */
const NEEDS: Record<DoctorCheckId, DoctorCheckId[]> = {
  url: [],
  dns: ['url'],
  tcp: ['dns'],
  tls: ['tcp'],
  health: ['tls'],
  polling: ['tls'],
  affinity: ['polling'],
  websocket: ['tls'],
  idle: ['websocket'],
  latency: ['tls'],
  clock: ['tls'],
  protocol: ['tls'],
  'join-code': ['protocol'],
};

export async function runDoctor(url: string, opts: RunDoctorOptions): Promise<DoctorReport> {
  const report: DoctorReport = { url: reportableUrl(url), at: Date.now(), from: opts.from, checks: [] };
  const state: State = { status: new Map() };
  const { status } = state;
  /** Checks that failed or could not run, each with the failed check at the root of it: their dependents are skipped. */
  const blocked = new Map<DoctorCheckId, DoctorCheckId>();
  const open: EngineSession[] = [];
  try {
    for (const id of DOCTOR_CHECKS) {
      const started = performance.now();
      const missing = NEEDS[id].find((n) => blocked.has(n));
      let outcome: Outcome;
      if (missing) {
        const root = blocked.get(missing)!;
        outcome = skip(`Not run: the ${root} check failed.`);
        blocked.set(id, root);
      } else {
        try {
          outcome = await run(id, url, opts, state, open);
        } catch (err) {
          // A check that throws is a bug or an unforeseen answer: report it rather than lose the report.
          outcome = problem(id, 'fail', `The check itself failed: ${(err as Error).message}.`, 'Please report this with the rest of the report.');
        }
        if (outcome.status === 'fail') blocked.set(id, id);
      }
      status.set(id, outcome.status);
      const result: CheckResult = { id, ...outcome, ms: Math.round(performance.now() - started) };
      report.checks.push(result);
      opts.onCheck?.(result);
    }
  } finally {
    state.polling?.close();
    for (const s of open) s.close();
  }
  return report;
}

async function run(id: DoctorCheckId, url: string, opts: RunDoctorOptions, state: State, open: EngineSession[]): Promise<Outcome> {
  switch (id) {
    case 'url': {
      const { outcome, target } = checkUrl(url);
      state.target = target;
      return outcome;
    }
    case 'dns': {
      const { outcome, addresses } = await checkDns(state.target!);
      state.addresses = addresses;
      return outcome;
    }
    case 'tcp':
      return checkTcp(state.target!, state.addresses!);
    case 'tls': {
      const target = state.target!;
      let outcome: Outcome;
      if (!target.secure) {
        outcome = skip(`Plain http://: no TLS to check${opts.fingerprint ? ' (a pinned fingerprint applies to https:// only)' : ''}.`);
      } else {
        const checked = await checkTls(target, opts.fingerprint);
        state.trust = checked.trust;
        outcome = checked.outcome;
      }
      state.http = new DoctorHttp(target, state.trust);
      return outcome;
    }
    case 'health': {
      const { outcome, health } = await checkHealth(state.http!);
      state.health = health;
      return outcome;
    }
    case 'polling': {
      const { outcome, session } = await checkPolling(state.http!);
      state.polling = session;
      return outcome;
    }
    case 'affinity':
      return checkAffinity(state.http!, state.polling!);
    case 'websocket':
      return checkWebsocket(state.http!);
    case 'idle': {
      const { outcome, survivor } = await checkIdle(state.http!, opts.idleSeconds ?? 0, opts.from);
      if (survivor) open.push((state.survivor = survivor));
      return outcome;
    }
    case 'latency': {
      const s = state.survivor?.isOpen ? state.survivor : await newSession(state, open);
      return s ? checkLatency(s) : skip('Not run: it needs a WebSocket, or polling with session affinity.');
    }
    case 'clock':
      return checkClock(state.http!);
    case 'protocol': {
      const s = await newSession(state, open);
      if (!s) return skip('Not run: it needs a WebSocket, or polling with session affinity.');
      try {
        state.handshake = await parleyHandshake(s);
      } catch (err) {
        return problem('protocol', 'fail', `No answer to the Parley handshake: ${(err as Error).message}.`, "The relay's Socket.IO server does not answer connects: read its log; a relay overloaded or stuck in start-up ends here too.");
      } finally {
        // Its own session: the Parley connection ends here instead of waiting for the relay's login deadline.
        s.close();
      }
      return judgeProtocol(state.handshake, s.transport, state.health);
    }
    case 'join-code':
      return judgeJoinCode(state.handshake);
  }
}

/** A new Engine.IO session on the transport that works: WebSocket first, as Parley clients do. */
async function newSession(state: State, open: EngineSession[]): Promise<EngineSession | undefined> {
  const http = state.http!;
  const passed = (id: DoctorCheckId) => state.status.get(id) === 'ok' || state.status.get(id) === 'warn';
  let s: EngineSession | undefined;
  if (passed('websocket')) s = await WsSession.connect(http);
  else if (passed('affinity')) {
    const started = await PollingSession.start(http);
    s = 'session' in started ? started.session : undefined;
  }
  if (s) open.push(s);
  return s;
}
