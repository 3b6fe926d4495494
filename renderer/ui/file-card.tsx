/**
 * A shared file that is not shown as an image: its kind, name and size, and Download. Downloading
 * asks for a fresh signed URL (they expire; history keeps none), fetches the bytes and saves them
 * under the relay's sanitised name, from a blob: URL, so that it works the same for a relay on
 * another origin (where a link's `download` name would be ignored) and in the desktop window.
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Attachment } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { formatBytes, t } from '../i18n/index';

/** How long a saved file's blob: URL is kept: the browser has taken the bytes long before. */
const REVOKE_AFTER_MS = 60_000;

/** The file's extension as a badge (user text, so isolated like the name), or a blank page. */
export function FileIcon({ name }: { name: string }): JSX.Element {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1).toUpperCase() : '';
  return (
    <span class="file-icon" aria-hidden="true">
      <bdi>{ext}</bdi>
    </span>
  );
}

/** Saves a file of `room` to the user's downloads. Rejects when it cannot be fetched. */
export async function saveFile(client: ChatClient, room: string, file: Pick<Attachment, 'id' | 'name'>): Promise<void> {
  const blob = await client.files.fetch(room, file.id);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** A Download button that says when it is busy and when it failed. */
export function DownloadButton({ client, room, file, class: cls = 'quiet' }: { client: ChatClient; room: string; file: Attachment; class?: string }): JSX.Element {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const save = () => {
    setState('busy');
    saveFile(client, room, file).then(
      () => setState('idle'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <button type="button" class={cls} disabled={state === 'busy'} aria-label={t('files.downloadNamed', { name: file.name })} onClick={save}>
        {state === 'busy' ? t('files.loading') : t('files.download')}
      </button>
      {state === 'failed' && (
        <span class="file-error" role="alert">
          {t('files.downloadFailed', { name: file.name })}
        </span>
      )}
    </>
  );
}

export function FileCard({ client, room, file }: { client: ChatClient; room: string; file: Attachment }): JSX.Element {
  return (
    <div class="file-card">
      <FileIcon name={file.name} />
      <span class="file-meta">
        <bdi class="file-name" title={file.name}>
          {file.name}
        </bdi>
        <data class="file-size" value={file.size}>
          {formatBytes(file.size)}
        </data>
      </span>
      <DownloadButton client={client} room={room} file={file} />
    </div>
  );
}
