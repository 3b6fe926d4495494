/**
 * Engine.IO over HTTP long-polling for the doctor, on the packet parsing it shares with the web
 * client's doctor (protocol/engine-io.ts); socket.io-client is not a production dependency of the
 * relay, and it would hide "Session ID unknown" behind a retry.
 */
import { EIO_PATH, parseOpen, receivePolled, type EngineSession, type OpenInfo } from '../../protocol/engine-io';
import type { DoctorHttp } from './http';
import { isUnknownSession, type Answer } from './http';

export { EIO_PATH, isProbeAnswer, parseOpen, parseSio, PROBE, PROBE_NAMESPACE, roundTrip, type EngineSession, type OpenInfo, type SioPacket } from '../../protocol/engine-io';

/** A request on a polling session was answered "Session ID unknown": it reached another instance. */
export class SessionUnknownError extends Error {
  constructor(readonly method: 'GET' | 'POST') {
    super(`${method} on the session was answered "Session ID unknown"`);
  }
}

export interface PollRequest {
  method: 'GET' | 'POST';
  status: number;
  unknownSession: boolean;
}

/** Engine.IO over HTTP long-polling: a POST sends, a GET waits for what the relay has queued. */
export class PollingSession implements EngineSession {
  readonly transport = 'polling';
  /** Every request on the session after the handshake: the affinity check reads them. */
  readonly requests: PollRequest[] = [];
  private readonly queue: string[] = [];
  private closed = false;

  private constructor(
    private readonly http: DoctorHttp,
    readonly open: OpenInfo,
  ) {}

  /** The handshake: a session, or the answer that refused one. */
  static async start(http: DoctorHttp, timeoutMs = 10_000): Promise<{ session: PollingSession; answer: Answer } | { answer: Answer }> {
    const answer = await http.request('GET', `${EIO_PATH}?EIO=4&transport=polling&t=${Date.now().toString(36)}`, undefined, timeoutMs);
    const packets = answer.status === 200 ? answer.body.split('\x1e') : [];
    const open = packets[0] ? parseOpen(packets[0]) : undefined;
    if (!open) return { answer };
    const session = new PollingSession(http, open);
    session.queue.push(...packets.slice(1));
    return { session, answer };
  }

  private path(): string {
    return `${EIO_PATH}?EIO=4&transport=polling&sid=${encodeURIComponent(this.open.sid)}&t=${Date.now().toString(36)}`;
  }

  private log(method: 'GET' | 'POST', answer: Answer): void {
    const unknownSession = isUnknownSession(answer);
    this.requests.push({ method, status: answer.status, unknownSession });
    if (unknownSession) throw new SessionUnknownError(method);
    if (answer.status !== 200) throw new Error(`${method} on the session was answered HTTP ${answer.status}`);
  }

  async send(packet: string): Promise<void> {
    this.log('POST', await this.http.request('POST', this.path(), packet));
  }

  receive(timeoutMs: number): Promise<string> {
    return receivePolled(this.queue, timeoutMs, (packet) => this.send(packet), async (left) => {
      const answer = await this.http.request('GET', this.path(), undefined, left);
      this.log('GET', answer);
      return answer.body;
    });
  }

  /** The close packet; best effort (on a balancer without affinity it may reach another instance). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.http.request('POST', this.path(), '1', 5000).catch(() => undefined);
  }
}

