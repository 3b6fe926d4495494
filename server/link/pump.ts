/**
 * One direction of a link for one pair of rooms: reads the source room after its cursor, oldest
 * first, and sends each message to the target room, one at a time (so the far side stores them in
 * the source's order), moving the cursor after each ack. Woken by a live message, by either side
 * coming up, and by a slow timer as a safety net; one run at a time.
 */
import { ErrorCode, type ChatMessage, type SendRequest } from '../../protocol/index';
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

/** Why a message is not sent at all (its cursor still moves past it). */
function skipReason(m: ChatMessage, o: PumpOptions): string | undefined {
  if (m.seq === 0) return 'provisional';
  // Edits and deletions do not cross yet: the far side has its own ids for the messages they name.
  if (m.change !== undefined) return 'change';
  // What this link brought to the source room from the target side, and anything that has been on the target relay.
  if (m.userId === o.from.userId) return 'own';
  if (o.to.relayId !== undefined && m.hops?.includes(o.to.relayId)) return 'been there';
  return undefined;
}

/** The text that crosses: files stay where they were sent, their names go along. */
function crossingText(m: ChatMessage): string {
  const files = (m.attachments ?? []).map((f) => `📎 ${f.name} (${formatBytes(f.size)})`);
  return [m.message, ...files].filter((line) => line !== '').join('\n') || '(deleted)';
}

export class LinkPump {
  private running = false;
  private again = false;

  constructor(private readonly o: PumpOptions) {}

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
    });
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const { from, to } = this.o;
      if (!from.state.up || !to.state.up) return;
      try {
        await this.drain();
      } catch (err) {
        // A side went down or stopped answering: its 'up' wakes this again.
        this.o.log.warn({ direction: this.o.direction, room: this.o.fromRoom, err: (err as Error).message }, 'link pump paused');
        return;
      }
    } while (this.again);
  }

  private async drain(): Promise<void> {
    const { from, to, direction, fromRoom, toRoom, cursors } = this.o;
    const after = cursors.get(direction, fromRoom);
    const messages = await from.readAfter(fromRoom, after);
    if (messages.length > 0 && messages[0]!.seq > after + 1 && after > 0) {
      this.o.log.warn({ direction, room: fromRoom, from: after + 1, to: messages[0]!.seq - 1 }, 'messages were no longer kept by the source relay and did not cross');
    }
    for (const m of messages) {
      if (m.seq <= cursors.get(direction, fromRoom)) continue;
      const skip = skipReason(m, this.o);
      if (skip === undefined) await this.cross(m, to, toRoom);
      cursors.advance(direction, fromRoom, m.seq);
    }
  }

  private async cross(m: ChatMessage, to: LinkEndpoint, toRoom: string): Promise<void> {
    const hops = [...(m.hops ?? []), this.o.from.relayId!];
    const req: SendRequest = { text: crossingText(m), room: toRoom, link: { author: m.username, origin: m.origin ?? m.id, hops } };
    for (;;) {
      const res = await to.send(req);
      if (res.ok) {
        this.o.onCrossed?.(m);
        return;
      }
      // Not listed by the far relay (yet): nothing crosses until it is, and nothing is passed over.
      if (res.code === ErrorCode.LINK_NOT_ACCEPTED) throw new Error(`${res.code}: ${res.message}`);
      if (res.code === ErrorCode.RATE_LIMITED) {
        await new Promise((r) => setTimeout(r, Math.max(50, res.retryAfterMs ?? 1000)));
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
