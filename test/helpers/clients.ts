/**
 * Real socket.io-client connections for tests: Parley clients (handshake auth with a key) and
 * classic ones (no auth, polling first, like the classic example's browser client).
 */
import { io as connect, type Socket } from 'socket.io-client';
import { randomBytes } from 'node:crypto';
import type {
  AckResult,
  ClientToServerEvents,
  LoginOk,
  ServerToClientEvents,
} from '../../protocol/index';
import { PROTOCOL_VERSION } from '../../protocol/index';

/**
 * How long a test waits for an event or an ack before failing. An upper bound, not a delay: a test
 * goes on the moment the event arrives. Generous, because the suite must pass with the machine busy.
 */
export const WAIT_MS = 10_000;

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open: TestSocket[] = [];

export function newKey(): string {
  return randomBytes(18).toString('base64url');
}

export interface ParleyClientOptions {
  key?: string;
  joinCode?: string;
  transports?: ('websocket' | 'polling')[];
  extraHeaders?: Record<string, string>;
  reconnection?: boolean;
  /** More handshake auth (e.g. the pairing's joinTicket/joinTag). */
  auth?: Record<string, string>;
  /** PEM certificate(s) to trust for an https:// relay (a pinned self-signed one). */
  ca?: string;
}

export function parleyClient(url: string, opts: ParleyClientOptions = {}): TestSocket {
  const socket: TestSocket = connect(url, {
    auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: opts.key ?? newKey(), ...(opts.joinCode ? { joinCode: opts.joinCode } : {}), ...opts.auth },
    transports: opts.transports ?? ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  open.push(socket);
  return socket;
}

/** Like the classic example's `io()`: no auth, default transports (HTTP long-polling first, then upgrade). */
export function classicClient(url: string): TestSocket {
  const socket: TestSocket = connect(url, { forceNew: true, reconnection: false });
  open.push(socket);
  return socket;
}

export function closeAllClients(): void {
  for (const s of open.splice(0)) s.disconnect();
}

export function connected(socket: TestSocket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Resolves with the next payload of `event`; rejects after `ms`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  ms = WAIT_MS,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`timed out waiting for "${String(event)}"`));
    }, ms);
    const handler = (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload as never);
    };
    socket.once(event, handler as never);
  });
}

/** Collects every payload of `event` from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const list: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => list.push(payload)) as never);
  return list;
}

/** Emits with an acknowledgement and resolves with the ack's result. */
export function request<T extends object>(socket: TestSocket, event: string, ...args: unknown[]): Promise<AckResult<T>> {
  return (socket.timeout(WAIT_MS) as unknown as { emitWithAck: (e: string, ...a: unknown[]) => Promise<AckResult<T>> }).emitWithAck(event, ...args);
}

/** Connects a Parley client and logs in; throws when the login is refused. */
export async function loggedIn(url: string, username: string, opts: ParleyClientOptions & { rooms?: string[]; since?: Record<string, number> } = {}) {
  const socket = parleyClient(url, opts);
  await connected(socket);
  const res = await request<LoginOk>(socket, 'add user', { username, ...(opts.rooms ? { rooms: opts.rooms } : {}), ...(opts.since ? { since: opts.since } : {}) });
  if (!res.ok) throw new Error(`login failed: ${res.code} ${res.message}`);
  return { socket, login: res };
}

/** How a handshake ends: 'connected', or the connect_error's typed code (its message when untyped). */
export function connectOutcome(socket: TestSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
  });
}

/** Waits until `predicate` holds, polling every 10 ms. */
export async function until(predicate: () => boolean, ms = WAIT_MS, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
