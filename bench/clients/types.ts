/** What the load generator needs from a chat client, whatever protocol or library is underneath. */

/**
 * - `*-lite`: a minimal client on `ws` (Engine.IO/Socket.IO framing done by hand for the Socket.IO
 *   servers): cheap per delivery, for the message and connection scenarios, where the load generator
 *   must cost as little as possible.
 * - `*-io`: the real socket.io-client, for the join and reconnect storms, where the client's own
 *   behaviour (polling first, upgrade, reconnection backoff) is part of what is measured.
 */
export type ClientKind = 'parley-lite' | 'classic-lite' | 'ws-lite' | 'parley-io' | 'classic-io' | 'classic-io-ws';

/** Where clients report what they receive. `local` is the client's index within its worker. */
export interface ClientSink {
  /** A raw `new message` frame (lite clients). */
  frame(local: number, frame: Buffer): void;
  /** A `new message` text (library clients). */
  text(local: number, text: string): void;
  /** The number of users this client now believes are present; -1 while it does not know (disconnected). */
  count(local: number, count: number): void;
}

export interface ClientSpec {
  local: number;
  username: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Reconnect like the library does by default (only the `*-io` kinds reconnect). */
  reconnect: boolean;
}

export interface BenchClient {
  /** Connects and logs in; resolves once the server confirmed the login. */
  start(): Promise<void>;
  /** Sends a chat message; `done(true)` once the server accepted it (at once when the protocol has no acks). */
  send(text: string, done: (accepted: boolean) => void): void;
  close(): void;
}
