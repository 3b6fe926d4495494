/**
 * When a retry of an already stored message is delivered again. The instance that stored it may have
 * died before broadcasting it, so the repeat goes out (clients drop a copy they have by id), unless
 * this instance broadcast the message itself (the usual retry: only the ack was lost), and only once
 * per message and while it is recent: a client repeating a clientId cannot turn duplicates, which
 * take no rate-limit token, into free fan-out.
 */
import { RecencyMap } from '../recency-map';

const REMEMBERED = 4096;
/** Outboxes retry within seconds to minutes; a copy older than this was delivered or is history. */
const RECENT_MS = 10 * 60_000;

export class Redelivery {
  private readonly done: RecencyMap<string, true>;

  constructor(
    private readonly now: () => number = Date.now,
    max = REMEMBERED,
  ) {
    this.done = new RecencyMap(max);
  }

  /** This instance broadcast the message (its first copy). */
  sent(id: string): void {
    this.remember(id);
  }

  /** True the first time a recent message id not sent from here is asked about; false afterwards or when it is old. */
  claim(id: string, ts: number): boolean {
    if (this.now() - ts > RECENT_MS || this.done.has(id)) return false;
    this.remember(id);
    return true;
  }

  private remember(id: string): void {
    this.done.set(id, true);
  }
}
