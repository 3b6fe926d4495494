/** "Ana is typing…" under the messages; refreshes itself so expired typists disappear. */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { typingLabel } from '../model/typing';
import { useNow } from './use-now';
import { useModel } from './use-model';

export function TypingLine({ client, conv }: { client: ChatClient; conv: Conversation }): JSX.Element {
  useModel(client);
  const now = useNow(true, 1000);
  const label = typingLabel(conv.typing.names(now));
  return (
    <div class="typing-line" aria-live="off">
      {label}
    </div>
  );
}
