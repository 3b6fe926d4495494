/**
 * What each preset runs. `full` holds the targets (1,000 clients, 10 senders, 500 clients at
 * 10 msg/s each, ...); `smoke` is the same suite with small numbers, to check the harness in < 30 s.
 */
export interface MessageScenario {
  clients: number;
  senders: number;
  /** msg/s per sender; 0 = closed loop (as fast as deliveries allow, `window` in flight per sender). */
  ratePerSender: number;
  window: number;
  durationMs: number;
  /** Characters of message text. */
  size: number;
}

export interface Preset {
  name: 'smoke' | 'full';
  workers: number;
  saturation: MessageScenario;
  latency: MessageScenario;
  connections: { clients: number; concurrency: number };
  storm: { clients: number; timeoutMs: number };
  startup: { runs: number };
  /** After logins, measuring waits for server and clients to be idle over windows this long. */
  settleMs: number;
  /** How long clients sit idle before the memory reading. */
  idleMs: number;
  /** Hard cap on the whole run: a hung scenario must not hang CI. */
  maxRunMs: number;
}

const CHAT_SIZE = 64;

export const PRESETS: Record<Preset['name'], Preset> = {
  smoke: {
    name: 'smoke',
    workers: 2,
    saturation: { clients: 30, senders: 3, ratePerSender: 0, window: 10, durationMs: 500, size: CHAT_SIZE },
    latency: { clients: 30, senders: 3, ratePerSender: 20, window: 0, durationMs: 500, size: CHAT_SIZE },
    connections: { clients: 40, concurrency: 20 },
    storm: { clients: 30, timeoutMs: 15_000 },
    startup: { runs: 1 },
    settleMs: 100,
    idleMs: 0,
    maxRunMs: 55_000,
  },
  full: {
    name: 'full',
    workers: 2,
    saturation: { clients: 1000, senders: 10, ratePerSender: 0, window: 3, durationMs: 10_000, size: CHAT_SIZE },
    latency: { clients: 500, senders: 10, ratePerSender: 10, window: 0, durationMs: 10_000, size: CHAT_SIZE },
    connections: { clients: 1000, concurrency: 100 },
    storm: { clients: 1000, timeoutMs: 120_000 },
    startup: { runs: 5 },
    settleMs: 500,
    idleMs: 2000,
    maxRunMs: 15 * 60_000,
  },
};
