/**
 * Per-worker accounting of deliveries: unique and duplicate counts per (receiver, sender) and the
 * latency histogram. Socket.IO and WebSockets keep order per connection and each server relays a
 * sender's messages in order, so a message number at or below the last one seen from that sender is a
 * duplicate; gaps are losses, counted by the coordinator as expected minus unique deliveries.
 */
import { LatencyHistogram } from '../lib/histogram';
import { readDelivery, readDeliveryText, type Delivery } from '../lib/payload';
import { nowUs } from '../lib/time';
import type { ReceiveStatsData } from './protocol';

export class ReceiveStats {
  private last: Int32Array;
  private histogram = new LatencyHistogram();
  private unique = 0;
  private duplicates = 0;
  private unparsed = 0;
  private firstAt = 0;
  private lastAt = 0;
  private readonly scratch: Delivery = { sender: 0, n: 0, sentUs: 0 };
  /** Called for every delivery to `watcher` (paces closed-loop senders). */
  onWatched: ((sender: number, n: number) => void) | undefined;
  watcher = -1;

  constructor(
    private readonly clients: number,
    private readonly senders: number,
  ) {
    this.last = new Int32Array(clients * Math.max(1, senders));
  }

  frame(local: number, frame: Buffer): void {
    if (!readDelivery(frame, this.scratch)) {
      this.unparsed++;
      return;
    }
    this.record(local);
  }

  text(local: number, text: string): void {
    if (!readDeliveryText(text, this.scratch)) {
      this.unparsed++;
      return;
    }
    this.record(local);
  }

  private record(local: number): void {
    const { sender, n, sentUs } = this.scratch;
    if (sender >= this.senders || local >= this.clients) {
      this.unparsed++;
      return;
    }
    const now = nowUs();
    const slot = local * this.senders + sender;
    if (n <= this.last[slot]!) {
      this.duplicates++;
      return;
    }
    this.last[slot] = n;
    this.unique++;
    this.histogram.record(now - sentUs);
    const ms = now / 1000;
    if (this.firstAt === 0) this.firstAt = ms;
    this.lastAt = ms;
    if (local === this.watcher) this.onWatched?.(sender, n);
  }

  get progress(): { unique: number; duplicates: number } {
    return { unique: this.unique, duplicates: this.duplicates };
  }

  toData(): ReceiveStatsData {
    return {
      unique: this.unique,
      duplicates: this.duplicates,
      unparsed: this.unparsed,
      histogram: this.histogram.toData(),
      firstAt: this.firstAt,
      lastAt: this.lastAt,
    };
  }
}
