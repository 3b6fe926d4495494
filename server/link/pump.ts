/**
 * One direction of a link for one pair of rooms: reads the source room after its cursor, oldest
 * first, and sends each message to the target room, one at a time (so the far side stores them in
 * the source's order), moving the cursor after each ack. Woken by a live message, by either side
 * coming up, and by a slow timer as a safety net; one run at a time.
 */
import { ErrorCode, MESSAGE_MAX, type ChatMessage, type SendRequest } from '../../protocol/index';
import { formatBytes } from '../files/bytes';
import type { Logger } from '../logger';
import type { LinkCursors, Direction } from './cursors';
import type { LinkEndpoint } from './endpoint';

export interface PumpOptions {
  direction: Direction;
  from: LinkEndpoint;
  fromRoom: string;
  to: LinkEndpoint;
  toRoom: string;
  cursors: LinkCursors;
  log: Logger;
  /** Counts what crossed (tests and /healthz). */
  onCrossed?: (m: ChatMessage) => void;
}

/** Both sides as one drain found them: ids read once, so a side dropping mid-drain cannot blank them. */
interface Sides {
  fromRelay: string;
  fromUser: string;
  toRelay: string;
}

/** Why a message is not sent at all (its cursor still moves past it). */
function skipReason(m: ChatMessage, sides: Sides): string | undefined {
  if (m.seq === 0) return 'provisional';
  // Edits and deletions do not cross yet: the far side has its own ids for the messages they name.
  if (m.change !== undefined) return 'change';
  // What this link brought to the source room from the target side, and anything that has been on the target relay.
  if (m.userId === sides.fromUser) return 'own';
  if (m.hops?.includes(sides.toRelay)) return 'been there';
  return undefined;
}

/** The text that crosses: files stay where they were sent, their names go along (as far as the text limit allows). */
function crossingText(m: ChatMessage): string {
  let text = m.message;
  for (const f of m.attachments ?? []) {
    const line = `📎 ${f.name} (${formatBytes(f.size)})`;
    const next = text === '' ? line : `${text}\n${line}`;
    if (next.length > MESSAGE_MAX) break;
    text = next;
  }
  return text || '(deleted)';
}

const MAX_PACE_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export class LinkPump {
  private running = false;
  private again = false;
  private stopped = false;
  /** Set by a RATE_LIMITED answer: every later send of this drain waits this long first. */
  private paceMs = 0;

  constructor(private readonly o: PumpOptions) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
    });
  }

  /** No more sends (the link is closing); a send under way may still finish. */
  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      this.paceMs = 0;
      try {
        await this.drain();
      } catch (err) {
        // A side went down or stopped answering: its 'up' (or the sweep) wakes this again.
        if (!this.stopped) this.o.log.warn({ direction: this.o.direction, room: this.o.fromRoom, err: (err as Error).message }, 'link pump paused');
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Both sides up, with their ids; else throws (nothing is sent, no cursor moves). */
  private sides(): Sides {
    const { from, to } = this.o;
    if (this.stopped) throw new Error('link closed');
    if (!from.state.up || !to.state.up) throw new Error('a side is down');
    return { fromRelay: from.state.relayId, fromUser: from.state.userId, toRelay: to.state.relayId };
  }

  private async drain(): Promise<void> {
    const { from, to, direction, fromRoom, toRoom, cursors } = this.o;
    const sides = this.sides();
    const after = cursors.get(direction, fromRoom);
    const messages = await from.readAfter(fromRoom, after);
    if (messages.length > 0 && messages[0]!.seq > after + 1 && after > 0) {
      this.o.log.warn({ direction, room: fromRoom, from: after + 1, to: messages[0]!.seq - 1 }, 'messages were no longer kept by the source relay and did not cross');
    }
    for (const m of messages) {
      if (m.seq <= cursors.get(direction, fromRoom)) continue;
      if (skipReason(m, sides) === undefined) await this.cross(m, to, toRoom, sides);
      cursors.advance(direction, fromRoom, m.seq);
    }
  }

  private async cross(m: ChatMessage, to: LinkEndpoint, toRoom: string, sides: Sides): Promise<void> {
    const req: SendRequest = { text: crossingText(m), room: toRoom, link: { author: m.username, origin: m.origin ?? m.id, hops: [...(m.hops ?? []), sides.fromRelay] } };
    for (;;) {
      if (this.paceMs > 0) await sleep(this.paceMs);
      // Checked before every send: a side that dropped mid-drain stops it here, cursor unmoved.
      this.sides();
      const res = await to.send(req);
      if (res.ok) {
        this.o.onCrossed?.(m);
        return;
      }
      // Not listed by the far relay (yet): nothing crosses until it is, and nothing is passed over.
      if (res.code === ErrorCode.LINK_NOT_ACCEPTED) throw new Error(`${res.code}: ${res.message}`);
      if (res.code === ErrorCode.RATE_LIMITED) {
        // From now on each send waits first, twice as long after each refusal: the wait until the
        // next token says nothing of the refill rate, and a link that kept hitting the limit would be
        // disconnected as a flooder (every refusal is a strike). A few refusals find the rate.
        this.paceMs = Math.min(MAX_PACE_MS, Math.max(50, this.paceMs * 2, res.retryAfterMs ?? 1000));
        continue;
      }
      // Refused for what it is (a loop, a nickname or text the far side does not take): it will
      // never pass, so it is logged and passed over rather than blocking the room behind it.
      const permanent: string[] = [ErrorCode.INVALID_PAYLOAD, ErrorCode.INVALID_NICKNAME, ErrorCode.TOO_LARGE, ErrorCode.EMPTY_MESSAGE];
      if (permanent.includes(res.code)) {
        this.o.log.warn({ direction: this.o.direction, room: this.o.fromRoom, id: m.id, code: res.code, reason: res.message }, 'message refused by the other relay; not crossing');
        return;
      }
      throw new Error(`${res.code}: ${res.message}`);
    }
  }
}
