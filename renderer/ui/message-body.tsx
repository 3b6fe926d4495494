/**
 * A stored message's text as it is now: "(edited)" after an edit, a placeholder once deleted, and for
 * the user's own messages inside the relay's edit window the Edit and Delete actions, an editor in
 * place of the text, and a confirmation before deleting. Nothing of it is rendered as HTML.
 */
import { useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ChatMessage } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import type { ChangeOutcome } from '../model/editing';
import { MessageText } from '../render/markdown-view';
import { errorText, formatDateTime, t } from '../i18n/index';
import { useModel } from './use-model';

type Mode = 'view' | 'edit' | 'confirm';

export function MessageBody({ client, msg, own }: { client: ChatClient; msg: ChatMessage; own: boolean }): JSX.Element {
  useModel(client); // whether it is still editable changes with the login and the connection (see use-model)
  const [mode, setMode] = useState<Mode>('view');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const actionsRef = useRef<HTMLButtonElement>(null);

  if (msg.deleted) return <p class="text deleted">{t('messages.deleted')}</p>;

  const run = async (change: () => Promise<ChangeOutcome>) => {
    setBusy(true);
    const outcome = await change();
    setBusy(false);
    setError(outcome ? errorText(outcome) : null);
    if (!outcome) setMode('view');
  };
  const leave = () => {
    setMode('view');
    setError(null);
    // Back to where the user was: the Edit button, not the top of the page.
    queueMicrotask(() => actionsRef.current?.focus());
  };

  return (
    <>
      {mode === 'edit' ? (
        <Editor initial={msg.message} busy={busy} onSave={(text) => void run(() => client.editing.edit(msg, text))} onCancel={leave} />
      ) : (
        // A message of files alone has no text to show.
        (msg.message !== '' || !msg.attachments?.length) && <MessageText text={msg.message} />
      )}
      {msg.edited !== undefined && mode !== 'edit' && (
        <span class="edited" title={t('messages.editedAt', { time: formatDateTime(msg.edited) })}>
          {t('messages.edited')}
        </span>
      )}
      {own && mode === 'view' && client.editing.mine(msg) && (
        <span class="msg-actions" role="group" aria-label={t('messages.actions')}>
          <button type="button" class="link" ref={actionsRef} onClick={() => setMode('edit')}>
            {t('messages.edit')}
          </button>
          <button type="button" class="link" onClick={() => setMode('confirm')}>
            {t('messages.delete')}
          </button>
        </span>
      )}
      {mode === 'confirm' && (
        <span class="confirm" role="group" aria-label={t('messages.deleteConfirm')}>
          {t('messages.deleteConfirm')}{' '}
          <button type="button" class="danger" disabled={busy} autoFocus onClick={() => void run(() => client.editing.remove(msg))}>
            {t('messages.delete')}
          </button>{' '}
          <button type="button" onClick={leave}>
            {t('common.cancel')}
          </button>
        </span>
      )}
      {error && (
        <span class="change-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function Editor({ initial, busy, onSave, onCancel }: { initial: string; busy: boolean; onSave: (text: string) => void; onCancel: () => void }): JSX.Element {
  const ref = useRef<HTMLTextAreaElement>(null);
  const save = () => onSave(ref.current?.value ?? initial);
  return (
    <form
      class="editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        ref={ref}
        dir="auto"
        aria-label={t('messages.editLabel')}
        aria-describedby="edit-hint"
        defaultValue={initial}
        rows={Math.min(8, initial.split('\n').length + 1)}
        autoFocus
        disabled={busy}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          }
        }}
      />
      <span id="edit-hint" class="muted small">
        {t('messages.editHint')}
      </span>
      <button type="submit" disabled={busy}>
        {t('common.save')}
      </button>{' '}
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
