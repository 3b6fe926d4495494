/**
 * Changing and finding messages (protocol/edits.ts): edit and delete one's own messages, and search
 * the relay's retained history. Unlike sends, changes do not wait in the outbox: a change made
 * offline would land later over whatever happened meanwhile, so it is refused at once instead and the
 * user can try again. Each carries a client id, so a retry after a lost ack is applied once.
 */
import type { Answer, ChangeOk, ChatMessage } from '../../protocol/index';
import type { ClientState } from './client-state';
import type { ConversationList } from './conversation-list';
import { newClientId } from './ids';
import type { RelayConnection } from './relay-connection';
import { unsendable } from './sending';

/** Attempts per change while the relay answers UNAVAILABLE or not at all. */
const RETRIES = 3;

/** What a change ends with: null when done, else why not (an ErrorCode, and English words for logs). */
export type ChangeOutcome = { code: string; message: string } | null;

export class Editing {
  constructor(
    private readonly state: ClientState,
    private readonly convs: ConversationList,
    private readonly relay: RelayConnection,
  ) {}

  /** The relay's edit window, from the last login (an older relay does not say). */
  windowMs: number | undefined;

  /** Whether the user may try to change `msg`: their own, stored, not deleted, inside the edit window. */
  mine(msg: ChatMessage, now = Date.now()): boolean {
    const inWindow = this.windowMs === undefined || now - msg.ts <= this.windowMs;
    return msg.userId === this.state.me.value?.userId && msg.seq > 0 && !msg.deleted && msg.change === undefined && inWindow;
  }

  async edit(msg: ChatMessage, text: string): Promise<ChangeOutcome> {
    const invalid = unsendable(text);
    if (invalid === null) return { code: 'EMPTY_MESSAGE', message: 'A message cannot be empty; delete it instead.' };
    if (invalid !== undefined) return { code: 'TOO_LARGE', message: invalid };
    if (text === msg.message) return null;
    const request = { room: msg.room, id: msg.id, seq: msg.seq, text, clientId: newClientId() };
    return this.applied(msg, await this.withRetries(() => this.relay.request('message:edit', request)), 'edit', text);
  }

  async remove(msg: ChatMessage): Promise<ChangeOutcome> {
    const request = { room: msg.room, id: msg.id, seq: msg.seq, clientId: newClientId() };
    return this.applied(msg, await this.withRetries(() => this.relay.request('message:delete', request)), 'delete', '');
  }

  /**
   * Sends again, with the same client id, when the answer was lost or the relay could not finish:
   * the relay applies a change once and answers a retry `duplicate`. Not when offline (the request
   * never left).
   */
  private async withRetries<A extends Answer<'message:edit'> | Answer<'message:delete'>>(send: () => Promise<A>): Promise<A> {
    let answer = await send();
    for (let tries = 1; tries < RETRIES && !answer.ok && answer.code === 'UNAVAILABLE' && this.state.status.value === 'online'; tries++) {
      answer = await send();
    }
    return answer;
  }

  /** Searches one conversation, or every one the user is in. */
  search(query: string, room?: string): Promise<Answer<'search'>> {
    return this.relay.request('search', room === undefined ? { query } : { query, room });
  }

  /** The user's own change, applied as the entry the others receive. */
  private applied(msg: ChatMessage, answer: Answer<'message:edit'> | Answer<'message:delete'>, change: 'edit' | 'delete', text: string): ChangeOutcome {
    if (!answer.ok) return { code: answer.code, message: answer.message };
    const me = this.state.me.value;
    const ok: ChangeOk = answer;
    this.convs.get(msg.room)?.timeline.add({
      username: me?.username ?? msg.username,
      message: text,
      id: ok.id,
      seq: ok.seq,
      ts: ok.ts,
      room: ok.room,
      userId: msg.userId,
      change,
      target: { id: msg.id, seq: msg.seq },
    });
    this.state.bump();
    return null;
  }
}
