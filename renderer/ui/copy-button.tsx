/** "Copy" next to something a person reads out or pastes elsewhere (an address, a join code). */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { t } from '../i18n/index';

/** `visible`: the label is the button's text too (a button that copies a whole report, not a value beside it). */
export function CopyButton({ text, label, visible = false }: { text: string; label: string; visible?: boolean }): JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" class="quiet copy" aria-label={visible ? undefined : label} onClick={copy}>
      {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : visible ? label : t('copy.copy')}
    </button>
  );
}
