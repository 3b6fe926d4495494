/**
 * A shared image at full size, in a modal dialog. The native <dialog> opened with showModal() makes
 * the rest of the page inert and Escape closes it; Tab cycles through the dialog's own buttons
 * rather than leaving for the browser's controls; closed, focus goes back to what opened it. The image comes from fetched bytes
 * (blob-url.ts), its name is user text, and Download saves it under the relay's sanitised name.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Attachment } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { t } from '../i18n/index';
import { useBlobUrl } from './blob-url';
import { DownloadButton } from './file-card';

export function Lightbox({ client, room, file, onClose }: { client: ChatClient; room: string; file: Attachment; onClose: () => void }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const url = useBlobUrl(client, room, file.id);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="lightbox"
      aria-labelledby="lightbox-title"
      onCancel={(e) => {
        // Escape: closed by the component's owner, so the state and the dialog agree.
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Tab') return;
        const stops = [...e.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled]), a[href]')];
        const first = stops[0];
        const last = stops[stops.length - 1];
        if (!first || !last) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
    >
      <div class="lightbox-body">
        <header class="lightbox-head">
          <h2 id="lightbox-title">
            <bdi>{file.name}</bdi>
          </h2>
          <DownloadButton client={client} room={room} file={file} class="" />
          <button type="button" autoFocus onClick={onClose}>
            {t('files.close')}
          </button>
        </header>
        <div class="lightbox-image">
          {url ? <img src={url} alt="" /> : <p class="muted">{url === null ? t('files.unavailable') : t('files.loading')}</p>}
        </div>
      </div>
    </dialog>
  );
}
