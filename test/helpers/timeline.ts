/** What a ChatClient's timeline holds, for assertions (model tests, and cluster tests that use the model). */
import type { ChatMessage } from '../../protocol/index';
import type { ChatClient } from '../../renderer/model/chat-client';

/** The texts of a conversation's stored messages, oldest first. */
export const texts = (c: ChatClient, room = 'lobby'): string[] => c.conversation(room)!.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg.message] : []));

/** The stored message with this text in a client's conversation, as it is now. */
export function held(c: ChatClient, text: string, room = 'lobby'): ChatMessage {
  const found = c.conversation(room)!.timeline.entries().find((e) => e.kind === 'message' && e.msg.message === text);
  if (found?.kind !== 'message') throw new Error(`no message "${text}"`);
  return found.msg;
}
