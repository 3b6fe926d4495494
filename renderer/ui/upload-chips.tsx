/**
 * Files on their way: chips above the composer for the drafts, and inside a pending message for the
 * files it waits for. Each shows the name (user text: isolated, never markup), the size, progress as
 * a progressbar, and Pause, Resume, Retry, Cancel or Remove, each named with the file it acts on.
 */
import type { JSX } from 'preact';
import { ATTACHMENTS_MAX } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import type { PendingFile } from '../model/timeline';
import type { FileUpload, UploadReason } from '../model/uploads';
import { formatBytes, t, tIfExists } from '../i18n/index';
import { FileIcon } from './file-card';
import { useModel } from './use-model';

/** Refusals that trying again cannot change: the file itself is the problem. */
const FINAL: ReadonlySet<UploadReason> = new Set<UploadReason>(['FILE_TOO_LARGE', 'IMAGE_TOO_LARGE', 'EMPTY_FILE', 'TOO_MANY_FILES']);

/** Why an upload failed, in the user's language. */
export function uploadReason(up: Pick<FileUpload, 'reason' | 'maxBytes'>): string {
  if (up.reason === 'FILE_TOO_LARGE' && up.maxBytes !== undefined) return t('files.reason.tooLargeMax', { limit: formatBytes(up.maxBytes) });
  const params = { max: ATTACHMENTS_MAX };
  return tIfExists(`files.reason.${up.reason}`, params) ?? tIfExists(`errors.${up.reason}`) ?? t('files.reason.FAILED');
}

/** The composer's files for `room`, not sent yet. */
export function DraftChips({ client, room }: { client: ChatClient; room: string }): JSX.Element | null {
  useModel(client);
  const drafts = client.files.uploads.drafts(room);
  if (drafts.length === 0) return null;
  return (
    <ul class="chips plain" aria-label={t('files.drafts')}>
      {drafts.map((up) => (
        <UploadChip key={up.key} client={client} up={up} />
      ))}
    </ul>
  );
}

/** The files of a pending message: live while this page uploads them, else as remembered. */
export function PendingChips({ client, files }: { client: ChatClient; files: readonly PendingFile[] }): JSX.Element {
  return (
    <ul class="chips plain" aria-label={t('files.attachments')}>
      {files.map((file) => {
        const up = client.files.uploads.get(file.key);
        return up ? <UploadChip key={file.key} client={client} up={up} /> : <StaticChip key={file.key} file={file} />;
      })}
    </ul>
  );
}

function StaticChip({ file }: { file: PendingFile }): JSX.Element {
  return (
    <li class="chip">
      <FileIcon name={file.name} />
      <span class="chip-body">
        <bdi class="file-name">{file.name}</bdi>
        <span class="chip-status">
          <data value={file.size}>{formatBytes(file.size)}</data>
        </span>
      </span>
    </li>
  );
}

function UploadChip({ client, up }: { client: ChatClient; up: FileUpload }): JSX.Element {
  useModel(client); // progress changes the upload in place
  const uploads = client.files.uploads;
  const name = up.name;
  const percent = up.size === 0 ? 0 : Math.floor((100 * up.sent) / up.size);
  const failed = up.state === 'failed';
  return (
    <li class={`chip ${up.state}`}>
      <FileIcon name={name} />
      <span class="chip-body">
        <bdi class="file-name">{name}</bdi>
        <span class={failed ? 'chip-status error' : 'chip-status'} role={failed ? 'alert' : undefined}>
          {failed ? uploadReason(up) : status(up)}
        </span>
        {!failed && (
          <span
            class="progress"
            role="progressbar"
            aria-label={t('files.progress', { name })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={t('files.progressValue', { sent: formatBytes(up.sent), size: formatBytes(up.size) })}
          >
            <span class="bar" style={{ inlineSize: `${percent}%` }} />
          </span>
        )}
      </span>
      <span class="chip-actions">
        {(up.state === 'uploading' || up.state === 'queued') && (
          <button type="button" class="link" aria-label={t('files.pauseNamed', { name })} onClick={() => uploads.pause(up.key)}>
            {t('files.pause')}
          </button>
        )}
        {up.state === 'paused' && (
          <button type="button" class="link" aria-label={t('files.resumeNamed', { name })} onClick={() => uploads.resume(up.key)}>
            {t('files.resume')}
          </button>
        )}
        {failed && !FINAL.has(up.reason!) && (
          <button type="button" class="link" aria-label={t('files.retryNamed', { name })} onClick={() => uploads.resume(up.key)}>
            {t('common.retry')}
          </button>
        )}
        {up.state === 'done' || failed ? (
          <button type="button" class="link" aria-label={t('common.removeNamed', { name })} onClick={() => void uploads.cancel(up.key)}>
            {t('common.remove')}
          </button>
        ) : (
          <button type="button" class="link" aria-label={t('files.cancelNamed', { name })} onClick={() => void uploads.cancel(up.key)}>
            {t('common.cancel')}
          </button>
        )}
      </span>
    </li>
  );
}

/** A function, not a component: the upload changes in place, and a component with the same props would not re-render. */
function status(up: FileUpload): JSX.Element | string {
  const amounts = { sent: formatBytes(up.sent), size: formatBytes(up.size) };
  switch (up.state) {
    case 'uploading':
      return t('files.progressValue', amounts);
    case 'paused':
      return t('files.pausedValue', amounts);
    case 'queued':
      return t('files.queuedValue', amounts);
    default:
      return <data value={up.size}>{formatBytes(up.size)}</data>;
  }
}
