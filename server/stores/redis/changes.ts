/**
 * Edits and deletions in Redis mode (protocol/edits.ts): reading an entry as it is now, applying a
 * change entry to its target, and merging the change overlay into pages. See CHANGE in
 * history-lua.ts for why changed entries move from the stream to the overlay.
 */
import type { Redis } from 'ioredis';
import type { ChatMessage } from '../../../protocol/index';
import { applyDelete, applyEdit, blank, isEditOf } from '../changes';
import { storedDedupeOwner } from '../link-fields';
import type { ParleyCommands } from './commands';

/** A stored entry and the exact JSON it was read as (the optimistic check compares it). */
interface Read {
  json: string;
  message: ChatMessage;
}

/** Changes lost to a concurrent change are read and tried again this many times. */
const ATTEMPTS = 5;

export class RedisChanges {
  constructor(
    private readonly cmd: Redis & ParleyCommands,
    private readonly prefix: string,
    private readonly limit: number,
  ) {}

  private stream(room: string): string {
    return `${this.prefix}h:${room}`;
  }

  private overlay(room: string): string {
    return `${this.prefix}h:${room}:x`;
  }

  /**
   * The entries with seq in [from, to] as they are now, by seq, within the retained window. The
   * stream is read before the overlay, in one pipeline on one connection: entries only ever move
   * from the stream to the overlay (CHANGE), so one moved in between is found in the overlay rather
   * than missed by both reads.
   */
  private async readRange(room: string, from: number, to: number): Promise<Map<number, Read>> {
    const [entries, over, last] = await Promise.all([
      this.cmd.xrange(this.stream(room), `${from}-0`, `${to}-0`),
      this.cmd.zrangebyscore(this.overlay(room), from, to),
      this.cmd.get(`${this.stream(room)}:seq`),
    ]);
    const oldest = Number(last ?? 0) - this.limit + 1;
    const out = new Map<number, Read>();
    for (const json of [...entries.map(([, fields]) => fields[1]!), ...over]) {
      const message = JSON.parse(json) as ChatMessage;
      if (message.seq >= oldest) out.set(message.seq, { json, message });
    }
    return out;
  }

  private async read(room: string, seq: number): Promise<Read | undefined> {
    return (await this.readRange(room, seq, seq)).get(seq);
  }

  async get(room: string, seq: number): Promise<ChatMessage | undefined> {
    return (await this.read(room, seq))?.message;
  }

  async apply(entry: ChatMessage): Promise<ChatMessage | undefined> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.tryApply(entry);
      if (outcome !== 'conflict') return outcome;
      if (attempt === ATTEMPTS) throw new Error('Too many concurrent changes of one message.');
    }
  }

  private async tryApply(entry: ChatMessage): Promise<ChatMessage | undefined | 'conflict'> {
    const ref = entry.target!;
    const target = await this.read(entry.room, ref.seq);
    if (!target || target.message.id !== ref.id) return undefined;
    const changed: Read[] = [];
    const updated = target.message;
    if (entry.change === 'edit') {
      if (applyEdit(updated, entry)) changed.push(target);
      else if (updated.deleted) {
        const own = await this.read(entry.room, entry.seq);
        if (own && own.message.message !== '') {
          blank(own.message);
          changed.push(own);
        }
      }
    } else {
      applyDelete(updated);
      changed.push(target);
      // Every entry since the target, in one read: its edits are blanked, each checked by CHANGE.
      for (const later of (await this.readRange(entry.room, ref.seq + 1, entry.seq)).values()) {
        if (isEditOf(later.message, ref.id) && later.message.message !== '') {
          blank(later.message);
          changed.push(later);
        }
      }
    }
    if (changed.length === 0) return updated;
    const args: (string | number)[] = [this.prefix, entry.room, this.limit];
    for (const c of changed) {
      const m = c.message;
      args.push(String(m.seq), c.json, JSON.stringify(m), m.clientId === undefined ? '' : `${storedDedupeOwner(m)}/${m.clientId}`);
    }
    return Number(await this.cmd.parleyChange(...args)) === 1 ? updated : 'conflict';
  }

}

/** Overlay entries (JSON, as read) merged over the stream's `messages`, oldest first. */
export function mergeChanged(messages: ChatMessage[], overlay: readonly string[]): ChatMessage[] {
  if (overlay.length === 0) return messages;
  const bySeq = new Map<number, ChatMessage>();
  for (const m of messages) bySeq.set(m.seq, m);
  for (const json of overlay) {
    const m = JSON.parse(json) as ChatMessage;
    bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
