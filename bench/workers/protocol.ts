/** Messages between the coordinator and its load-generator workers (over the fork IPC channel). */
import type { HistogramData } from '../lib/histogram';
import type { ClientKind } from '../clients/types';

export interface ConnectCommand {
  type: 'connect';
  kind: ClientKind;
  url: string;
  /**
   * When present, client `local` connects to `urlPerClient[local]` instead of `url`: a multi-instance
   * run spreads its clients over the instances itself (the coordinator knows which ones send).
   */
  urlPerClient?: string[];
  /** Global index of this worker's first client (usernames are unique across workers). */
  base: number;
  count: number;
  /** Connections in flight at once within this worker; `count` for a storm. */
  concurrency: number;
  reconnect: boolean;
  timeoutMs: number;
  /** Watch for every client seeing this many users (the storms); see CountWatch. */
  countTarget?: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError?: string;
  /** Epoch ms when the last client of this worker was logged in. */
  doneAt: number;
  /**
   * Epoch ms when 95 % of them were. Seeing the right count needs every login, so a few stuck
   * clients hold everyone's count back; this separates such stragglers from a slow crowd.
   */
  mostDoneAt: number;
}

export interface SendPlan {
  /** The senders living in this worker: their number in the message text and their local client. */
  senders: { sender: number; local: number }[];
  /** Messages per second per sender; 0 = closed loop, at most `window` undelivered messages each. */
  ratePerSender: number;
  totalSenders: number;
  window: number;
  durationMs: number;
  /** Epoch ms; every worker starts at the same moment. */
  startAt: number;
  size: number;
  /** Local index of a receiver (not a sender) whose deliveries pace the closed loop. */
  watcher: number;
}

export interface SendResult {
  sent: number;
  accepted: number;
  rejected: number;
  /** Acks still missing when the worker stopped waiting for them. */
  unacked: number;
}

export interface ReceiveStatsData {
  unique: number;
  duplicates: number;
  /** `new message` frames without a benchmark marker (should stay 0). */
  unparsed: number;
  histogram: HistogramData;
  firstAt: number;
  lastAt: number;
}

export interface CpuData {
  cpuMs: number;
  wallMs: number;
}

export interface CountResult {
  /** Epoch ms when every client of this worker saw the target count, or null on timeout. */
  reachedAt: number | null;
  atTarget: number;
  total: number;
}

export type Command =
  | ConnectCommand
  | { type: 'reset-stats'; senders: number }
  | { type: 'send'; plan: SendPlan }
  | { type: 'progress' }
  | { type: 'stats' }
  | { type: 'arm-count'; target: number }
  | { type: 'await-count'; timeoutMs: number }
  | { type: 'close' };

export interface Replies {
  connect: ConnectResult;
  'reset-stats': null;
  send: SendResult;
  progress: { unique: number; duplicates: number };
  stats: ReceiveStatsData & { cpu: CpuData };
  'arm-count': null;
  'await-count': CountResult;
  close: null;
}

export interface Request {
  id: number;
  command: Command;
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
