/** The message field: Enter sends, Shift+Enter adds a line, typing indicators follow the text. */
import { useState } from 'preact/hooks';
import type { JSX, RefObject } from 'preact';
import { MESSAGE_MAX } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';

export function Composer({ client, inputRef, label }: { client: ChatClient; inputRef: RefObject<HTMLTextAreaElement | null>; label: string }): JSX.Element {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const over = text.length > MESSAGE_MAX;

  const submit = () => {
    const err = client.send(text);
    if (err) return setError(err);
    setError(null);
    setText('');
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for="message" class="sr-only">
        Message
      </label>
      <textarea
        id="message"
        ref={inputRef}
        rows={1}
        value={text}
        placeholder={`Message ${label}`}
        aria-describedby="composer-hint"
        aria-invalid={over || undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          client.composing(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter is a new line; never interrupt an IME composition.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="primary" disabled={text.trim().length === 0}>
        Send
      </button>
      <p id="composer-hint" class={over || error ? 'hint error' : 'hint'}>
        {error ?? (text.length > MESSAGE_MAX - 500 ? `${text.length} / ${MESSAGE_MAX}` : 'Enter to send, Shift+Enter for a new line')}
      </p>
    </form>
  );
}
