/**
 * Latency histogram with log-spaced buckets (1 % wide). Receivers see up to millions of deliveries per
 * run; keeping every sample would cost the load generator memory and IPC time, while 1 % buckets are
 * finer than the run-to-run noise. Merging is adding counts, so workers ship only their counts.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Two minutes in microseconds: anything slower is clamped into the last bucket (and still counts as max). */
const MAX_US = 120e6;
const BUCKETS = Math.ceil(Math.log(MAX_US) / LOG_GROWTH) + 1;

export interface HistogramData {
  counts: number[];
  total: number;
  maxUs: number;
  sumUs: number;
}

export class LatencyHistogram {
  private counts = new Float64Array(BUCKETS);
  total = 0;
  maxUs = 0;
  sumUs = 0;

  record(us: number): void {
    // Clocks of different processes can disagree by a few microseconds; a negative latency is zero.
    const v = us < 1 ? 1 : us;
    const index = Math.min(BUCKETS - 1, Math.ceil(Math.log(v) / LOG_GROWTH));
    this.counts[index]! += 1;
    this.total++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  add(data: HistogramData): void {
    data.counts.forEach((c, i) => {
      if (c > 0 && i < BUCKETS) this.counts[i]! += c;
    });
    this.total += data.total;
    this.sumUs += data.sumUs;
    this.maxUs = Math.max(this.maxUs, data.maxUs);
  }

  /** The upper edge of the bucket holding the p-th percentile, in ms (never above the true max). */
  percentileMs(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(GROWTH ** i, this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  get maxMs(): number {
    return this.total === 0 ? Number.NaN : this.maxUs / 1000;
  }

  toData(): HistogramData {
    return { counts: Array.from(this.counts), total: this.total, maxUs: this.maxUs, sumUs: this.sumUs };
  }
}
