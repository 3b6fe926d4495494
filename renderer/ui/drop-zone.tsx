/**
 * Files dragged over the conversation: a visible zone says where they will go, and dropping them
 * attaches them to the composer. Only drags that carry files count (text dragged within the page
 * does not light it up); enter and leave events of the children are counted, so the zone does not
 * flicker as the pointer crosses them.
 */
import { useRef, useState } from 'preact/hooks';
import type { DragEventHandler, JSX } from 'preact';
import { t } from '../i18n/index';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

export interface FileDrop {
  dragging: boolean;
  handlers: Record<'onDragEnter' | 'onDragOver' | 'onDragLeave' | 'onDrop', DragEventHandler<HTMLElement>>;
}

export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  return {
    dragging,
    handlers: {
      onDragEnter: (e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      },
      onDragOver: (e) => {
        if (!carriesFiles(e)) return;
        // Without this the browser would open the file in place of the app.
        e.preventDefault();
        e.dataTransfer!.dropEffect = 'copy';
      },
      onDragLeave: (e) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        onFiles([...(e.dataTransfer?.files ?? [])]);
      },
    },
  };
}

export function DropZone({ conversation }: { conversation: string }): JSX.Element {
  return (
    <div class="drop-zone" aria-hidden="true">
      <p>{t('files.dropHere', { conversation })}</p>
    </div>
  );
}
