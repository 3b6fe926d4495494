/**
 * Conversations have a lifecycle: a public room nobody is in, and a DM conversation whose two
 * parties are both away, expire after a while without a message, so rooms cannot pile up to the
 * room limit and DM logs do not outlive their users forever (each costs memory, and Redis keys).
 *
 *  - A room that never had a message expires `unusedRoomMs` after it was last seen empty (a room
 *    made and left at once, or a client filling the room list); one with history, `expiryMs` after
 *    its last message or its last member left, whichever is later. The lobby never expires.
 *  - A DM conversation expires `expiryMs` after its last message or after its parties were last
 *    seen present, whichever is later.
 *
 * A sweep runs on every instance every `intervalMs`. "Last seen empty" is what this instance saw:
 * a restarted instance starts counting again (later, never earlier). The store deletes atomically
 * and only if the conversation is still as judged (no member, same presence version, same last
 * seq), so a room someone joined or wrote to between the look and the delete survives. A client that
 * had the room saved re-creates it at its next login (subject to the room limits); its history is gone.
 */
import { dmParties, isDmRoom } from '../../protocol/index';
import type { ChatContext } from './context';

export interface ExpiryPolicy {
  expiryMs: number;
  unusedRoomMs: number;
  intervalMs: number;
}

/** A week: a room used on workdays keeps its history over a long weekend and a holiday week. */
export const DEFAULT_EXPIRY_MS = 7 * 24 * 3600 * 1000;
const UNUSED_ROOM_MS = 10 * 60 * 1000;

export function expiryPolicy(expiryMs = DEFAULT_EXPIRY_MS): ExpiryPolicy {
  return { expiryMs, unusedRoomMs: Math.min(UNUSED_ROOM_MS, expiryMs), intervalMs: Math.max(250, Math.min(60_000, Math.floor(expiryMs / 4))) };
}

interface Idle {
  since: number;
  /** Presence version when first seen idle: a join and leave in between start the count again. */
  pv: number;
}

export class ConversationExpiry {
  private readonly idle = new Map<string, Idle>();
  private running: Promise<string[]> | undefined;

  constructor(
    private readonly ctx: Pick<ChatContext, 'stores' | 'lobby' | 'log'>,
    private readonly policy: ExpiryPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** One sweep; resolves with the conversations it deleted. Overlapping calls share one sweep. */
  sweep(): Promise<string[]> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<string[]> {
    const { stores, lobby } = this.ctx;
    if (stores.health() !== 'ok') return [];
    const rooms = (await stores.rooms.list()).filter((r) => r !== lobby);
    const dms = await stores.dmConversations();
    const alive = new Set([...rooms, ...dms]);
    for (const key of this.idle.keys()) if (!alive.has(key)) this.idle.delete(key);
    const expired: string[] = [];
    for (const conv of [...rooms, ...dms]) {
      if (await this.due(conv)) expired.push(conv);
    }
    if (expired.length > 0) this.ctx.log.info({ expired: expired.length, rooms: expired.filter((c) => !isDmRoom(c)) }, 'expired idle conversations');
    return expired;
  }

  /** Looks at one conversation, deletes it if it has been idle long enough; true if it did. */
  private async due(conv: string): Promise<boolean> {
    const { stores } = this.ctx;
    const now = this.now();
    let pv = 0;
    if (isDmRoom(conv)) {
      const parties = dmParties(conv);
      if (parties && (await Promise.all(parties.map((p) => stores.presence.user(p)))).some((u) => u !== undefined)) {
        this.idle.delete(conv);
        return false;
      }
    } else {
      const snapshot = await stores.presence.snapshot(conv);
      if (snapshot.numUsers > 0) {
        this.idle.delete(conv);
        return false;
      }
      pv = snapshot.pv;
    }
    let idle = this.idle.get(conv);
    if (!idle || idle.pv !== pv) {
      idle = { since: now, pv };
      this.idle.set(conv, idle);
    }
    const page = await stores.history.page(conv, { limit: 1 });
    const last = page.messages[0]?.ts ?? 0;
    const used = page.lastSeq > 0;
    const ttl = used || isDmRoom(conv) ? this.policy.expiryMs : this.policy.unusedRoomMs;
    if (now - Math.max(idle.since, last) < ttl) return false;
    const done = await stores.expire(conv, isDmRoom(conv) ? { lastSeq: page.lastSeq } : { lastSeq: page.lastSeq, pv });
    if (done) this.idle.delete(conv);
    return done;
  }
}
