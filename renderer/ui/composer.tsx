/**
 * The message field: Enter sends, Shift+Enter adds a line, typing indicators follow the text. Files
 * come by the attach button (a file picker), by pasting them into the field, or by dropping them on
 * the conversation (chat-screen.tsx); they upload at once and wait above the field as chips, and
 * Send sends the text, now a caption, with them.
 */
import { useRef, useState } from 'preact/hooks';
import type { JSX, RefObject } from 'preact';
import { MESSAGE_MAX } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { modelText, t } from '../i18n/index';
import { DraftChips } from './upload-chips';
import { useModel } from './use-model';

/** Attaches files to the active conversation's composer. */
export function attachFiles(client: ChatClient, files: Iterable<File>): void {
  for (const file of files) client.files.uploads.add(client.active.value, file);
}

export function Composer({ client, inputRef, label }: { client: ChatClient; inputRef: RefObject<HTMLTextAreaElement | null>; label: string }): JSX.Element {
  useModel(client); // the files attached change the Send button
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const over = text.length > MESSAGE_MAX;
  const room = client.active.value;
  const files = client.files.uploads.drafts(room).filter((u) => u.state !== 'failed').length;

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
      <DraftChips client={client} room={room} />
      <button type="button" class="attach" aria-label={t('files.attach')} title={t('files.attach')} onClick={() => picker.current?.click()}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
        </svg>
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          attachFiles(client, e.currentTarget.files ?? []);
          // The same file can be picked again later.
          e.currentTarget.value = '';
          inputRef.current?.focus();
        }}
      />
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
        onPaste={(e) => {
          // A pasted screenshot or copied files attach; pasted text stays the browser's business.
          const pasted = [...(e.clipboardData?.files ?? [])];
          if (pasted.length === 0) return;
          e.preventDefault();
          attachFiles(client, pasted);
        }}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter is a new line; never interrupt an IME composition.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="primary" disabled={text.trim().length === 0 && files === 0}>
        {t('composer.send')}
      </button>
      <p id="composer-hint" class={over || error ? 'hint error' : 'hint'}>
        {error ?? (text.length > MESSAGE_MAX - 500 ? t('composer.counter', { length: text.length, max: MESSAGE_MAX }) : t('composer.hint'))}
      </p>
    </form>
  );
}
