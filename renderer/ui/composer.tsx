/** The message field: Enter sends, Shift+Enter adds a line, typing indicators follow the text. */
import { useState } from 'preact/hooks';
import type { JSX, RefObject } from 'preact';
import { MESSAGE_MAX } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { modelText, t } from '../i18n/index';

export function Composer({ client, inputRef, label }: { client: ChatClient; inputRef: RefObject<HTMLTextAreaElement | null>; label: string }): JSX.Element {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const over = text.length > MESSAGE_MAX;

  const submit = () => {
    // Said here, in the user's language, rather than with the model's English refusal.
    if (over) return setError(t('composer.tooLong', { max: MESSAGE_MAX, length: text.length }));
    const err = client.send(text);
    if (err) return setError(modelText(err));
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
        {t('composer.label')}
      </label>
      <textarea
        id="message"
        dir="auto"
        ref={inputRef}
        rows={1}
        value={text}
        placeholder={t('composer.placeholder', { conversation: label })}
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
        {t('composer.send')}
      </button>
      <p id="composer-hint" class={over || error ? 'hint error' : 'hint'}>
        {error ?? (text.length > MESSAGE_MAX - 500 ? t('composer.counter', { length: text.length, max: MESSAGE_MAX }) : t('composer.hint'))}
      </p>
    </form>
  );
}
