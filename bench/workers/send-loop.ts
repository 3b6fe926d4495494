/**
 * The senders of one worker. Two modes:
 * - fixed rate: each sender sends `ratePerSender` messages per second, staggered so the senders do not
 *   all fire in the same millisecond (open loop, like people typing);
 * - closed loop (rate 0): each sender keeps at most `window` messages that a receiver in the same worker
 *   has not seen yet. The pacing is end-to-end delivery, identical for every server (the baselines have
 *   no acks), so "as fast as the server delivers" means the same thing for all of them.
 */
import type { BenchClient } from '../clients/types';
import { messageText } from '../lib/payload';
import { nowMs, nowUs, sleep } from '../lib/time';
import type { ReceiveStats } from './receive-stats';
import type { SendPlan, SendResult } from './protocol';

/** A closed-loop sender whose watcher saw nothing new for this long assumes its window was lost. */
const STALL_MS = 1000;
const ACK_WAIT_MS = 10_000;

interface SenderState {
  sender: number;
  client: BenchClient;
  sent: number;
  watched: number;
  progressAt: number;
  offsetMs: number;
}

export async function runSenders(plan: SendPlan, clients: BenchClient[], stats: ReceiveStats): Promise<SendResult> {
  const result: SendResult = { sent: 0, accepted: 0, rejected: 0, unacked: 0 };
  let outstanding = 0;
  const senders: SenderState[] = plan.senders.map(({ sender, local }) => ({
    sender,
    client: clients[local]!,
    sent: 0,
    watched: 0,
    progressAt: 0,
    offsetMs: plan.ratePerSender > 0 ? (sender / plan.totalSenders) * (1000 / plan.ratePerSender) : 0,
  }));
  const endAt = plan.startAt + plan.durationMs;

  const sendOne = (s: SenderState): void => {
    s.sent++;
    result.sent++;
    outstanding++;
    s.client.send(messageText(s.sender, s.sent, nowUs(), plan.size), (ok) => {
      outstanding--;
      if (ok) result.accepted++;
      else result.rejected++;
    });
  };

  const closedLoop = plan.ratePerSender <= 0;
  const pump = (s: SenderState): void => {
    while (s.sent - s.watched < plan.window && nowMs() < endAt) sendOne(s);
  };
  if (closedLoop) {
    const bySender = new Map(senders.map((s) => [s.sender, s]));
    stats.watcher = plan.watcher;
    stats.onWatched = (sender, n) => {
      const s = bySender.get(sender);
      if (!s || n <= s.watched) return;
      s.watched = n;
      s.progressAt = nowMs();
      pump(s);
    };
  }

  await sleep(Math.max(0, plan.startAt - nowMs()));
  const startedAt = nowMs();
  for (const s of senders) s.progressAt = startedAt;
  if (closedLoop) for (const s of senders) pump(s);

  await new Promise<void>((resolve) => {
    // 1 ms ticks: fine enough for per-sender rates up to a few hundred msg/s, cheap otherwise.
    const timer = setInterval(() => {
      const now = nowMs();
      if (now >= endAt) {
        clearInterval(timer);
        resolve();
        return;
      }
      for (const s of senders) {
        if (closedLoop) {
          if (now - s.progressAt > STALL_MS) {
            s.watched = s.sent;
            s.progressAt = now;
            pump(s);
          }
          continue;
        }
        const elapsed = now - startedAt - s.offsetMs;
        const due = elapsed < 0 ? 0 : Math.floor((elapsed * plan.ratePerSender) / 1000) + 1;
        while (s.sent < due) sendOne(s);
      }
    }, 1);
  });
  stats.onWatched = undefined;

  const ackDeadline = nowMs() + ACK_WAIT_MS;
  while (outstanding > 0 && nowMs() < ackDeadline) await sleep(10);
  result.unacked = outstanding;
  return result;
}
