/** "Ana is typing…" under the messages; refreshes itself so expired typists disappear. */
import type { JSX } from 'preact';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { useNow } from './use-now';
import { useModel } from './use-model';
import { typingText } from '../i18n/index';

export function TypingLine({ client, conv }: { client: ChatClient; conv: Conversation }): JSX.Element {
  useModel(client);
  const now = useNow(true, 1000);
  const label = typingText(conv.typing.names(now));
  return (
    <div class="typing-line" aria-live="off">
      {label}
    </div>
  );
}
