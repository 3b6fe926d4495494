/**
 * The files of a stored message: images as previews that open the lightbox, anything else as a file
 * card. A preview is the relay's thumbnail when it made one (`thumb`); a relay without thumbnails
 * (or an image it did not make one for) still gets a preview of a small image from the image itself,
 * and a large one is a file card rather than megabytes fetched to draw a few pixels.
 */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { THUMB_MAX_PX, type Attachment, type ChatMessage } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import { t } from '../i18n/index';
import { useBlobUrl } from './blob-url';
import { FileCard } from './file-card';
import { Lightbox } from './lightbox';

/** The types the relay serves inline (docs/files.md): safe to draw, and worth a preview. */
const SHOWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Without a thumbnail, images up to this size are previewed from their own bytes. */
const PREVIEW_FULL_MAX_BYTES = 2_000_000;
/** A preview's box; a thumbnail is at most THUMB_MAX_PX on its longer side. */
const BOX = { inline: THUMB_MAX_PX, block: 240 };

function previewable(file: Attachment): boolean {
  return SHOWN.has(file.type) && (file.thumb === true || file.size <= PREVIEW_FULL_MAX_BYTES);
}

export function Attachments({ client, msg }: { client: ChatClient; msg: ChatMessage }): JSX.Element | null {
  const [open, setOpen] = useState<Attachment | null>(null);
  const files = msg.attachments ?? [];
  if (files.length === 0 || msg.deleted) return null;
  // Pictures side by side, then the other files one under the other, each group in the order sent.
  const images = files.filter(previewable);
  const others = files.filter((f) => !previewable(f));
  return (
    <>
      <ul class="attachments plain" aria-label={t('files.attachments')}>
        {images.map((file) => (
          <li key={file.id} class="image">
            <Preview client={client} room={msg.room} file={file} onOpen={() => setOpen(file)} />
          </li>
        ))}
        {others.map((file) => (
          <li key={file.id} class="file">
            <FileCard client={client} room={msg.room} file={file} />
          </li>
        ))}
      </ul>
      {open && <Lightbox client={client} room={msg.room} file={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/** The size a preview takes before it has loaded, so the list does not jump when it arrives. */
function boxOf(file: Attachment): { inlineSize: string; blockSize: string } | undefined {
  if (!file.width || !file.height) return undefined;
  const scale = Math.min(1, BOX.inline / file.width, BOX.block / file.height);
  return { inlineSize: `${Math.max(1, Math.round(file.width * scale))}px`, blockSize: `${Math.max(1, Math.round(file.height * scale))}px` };
}

function Preview({ client, room, file, onOpen }: { client: ChatClient; room: string; file: Attachment; onOpen: () => void }): JSX.Element {
  const url = useBlobUrl(client, room, file.id, file.thumb ? 'thumb' : undefined);
  const box = boxOf(file);
  // Could not be drawn: the file is still there to download.
  if (url === null) return <FileCard client={client} room={room} file={file} />;
  return (
    <button type="button" class={box ? 'preview sized' : 'preview'} style={box} aria-label={t('files.openImage', { name: file.name })} onClick={onOpen}>
      {url ? <img src={url} alt="" /> : <span class="preview-note">{t('files.loading')}</span>}
    </button>
  );
}
