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

/**
 * The relay in Redis mode as 1, 2, 3... instances sharing one redis-server, next to memory mode, each
 * measured with the saturation and latency methods. Opt-in (`--scenarios redis`): it needs
 * redis-server and takes minutes at full size.
 */
export interface RedisScenario {
  /** Instance counts to measure in Redis mode; memory mode (1 instance) is always measured too. */
  instances: number[];
  saturation: MessageScenario;
  latency: MessageScenario;
  /**
   * Runs of each deployment per method, interleaved like the other message scenarios (median
   * reported): the Redis ÷ memory ratio moved from 1.17× to 1.26× between single runs.
   */
  rounds: number;
}

export interface Preset {
  name: 'smoke' | 'full';
  workers: number;
  saturation: MessageScenario;
  latency: MessageScenario;
  connections: { clients: number; concurrency: number };
  storm: { clients: number; timeoutMs: number };
  startup: { runs: number };
  /**
   * Runs of each message measurement per server, interleaved (every server once per round, the order
   * rotating): one 10 s run's p99 moves by 2× between runs on a shared 2-core machine, so the report
   * takes the median run's figures (see bench/report/runs.ts). The storms likewise: a reconnect
   * storm's time hangs on where the clients' random backoff delays fall.
   */
  rounds: { latency: number; saturation: number; storms: number };
  redis: RedisScenario;
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
    rounds: { latency: 1, saturation: 1, storms: 1 },
    // Not in the default smoke run (it would double the run time); `--scenarios redis` checks the harness.
    redis: {
      instances: [1, 2, 3],
      saturation: { clients: 30, senders: 3, ratePerSender: 0, window: 10, durationMs: 500, size: CHAT_SIZE },
      latency: { clients: 30, senders: 3, ratePerSender: 20, window: 0, durationMs: 500, size: CHAT_SIZE },
      rounds: 1,
    },
    settleMs: 100,
    idleMs: 0,
    maxRunMs: 90_000,
  },
  full: {
    name: 'full',
    workers: 2,
    saturation: { clients: 1000, senders: 10, ratePerSender: 0, window: 3, durationMs: 10_000, size: CHAT_SIZE },
    latency: { clients: 500, senders: 10, ratePerSender: 10, window: 0, durationMs: 10_000, size: CHAT_SIZE },
    connections: { clients: 1000, concurrency: 100 },
    storm: { clients: 1000, timeoutMs: 120_000 },
    startup: { runs: 5 },
    rounds: { latency: 5, saturation: 3, storms: 3 },
    // The saturation and latency targets above; 3 rounds of 8 measurements of 10 s take 6–7 minutes.
    redis: {
      instances: [1, 2, 3],
      saturation: { clients: 1000, senders: 10, ratePerSender: 0, window: 3, durationMs: 10_000, size: CHAT_SIZE },
      latency: { clients: 500, senders: 10, ratePerSender: 10, window: 0, durationMs: 10_000, size: CHAT_SIZE },
      rounds: 3,
    },
    settleMs: 500,
    idleMs: 2000,
    maxRunMs: 40 * 60_000,
  },
};
