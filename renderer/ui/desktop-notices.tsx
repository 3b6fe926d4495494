/** Notices from the desktop main process (settings reset, an ignored parley:// link), shown until dismissed. */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { DesktopNotice } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { t } from '../i18n/index';

export function DesktopNotices(): JSX.Element | null {
  const [notices, setNotices] = useState<DesktopNotice[]>([]);
  useEffect(() => desktop()?.onNotice((n) => setNotices((list) => [...list.slice(-4), n])), []);
  if (notices.length === 0) return null;
  return (
    <div class="desktop-notices">
      {notices.map((n, i) => (
        <p key={i} class={`notice ${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
          {n.message}{' '}
          <button type="button" class="quiet" aria-label={t('common.dismiss')} onClick={() => setNotices((list) => list.filter((_, j) => j !== i))}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
