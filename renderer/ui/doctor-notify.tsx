/**
 * The notification self-test (Settings and the connection doctor): a test notification, then "Did you
 * see it?", and whether a click on it reached the app. The desktop shows it through the main process
 * (`notify:test`, the path message notifications take), which can tell only whether the system has
 * notifications at all; a browser says its permission (asked on the click, a user gesture) and whether
 * it showed the notification. Whether the person saw it only they can say.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { desktop } from '../platform/desktop';
import { errorText, t, type MessageKey } from '../i18n/index';

type Permission = NotificationPermission | 'supported' | 'unsupported';

const STATES: Record<Permission, MessageKey> = {
  granted: 'notifyTest.state.granted',
  denied: 'notifyTest.state.denied',
  default: 'notifyTest.state.default',
  supported: 'notifyTest.state.supported',
  unsupported: 'notifyTest.state.unsupported',
};

interface Props {
  /** The heading level where it sits: a section of its own (h2) or inside one (h3). */
  heading: 'h2' | 'h3';
  /** Parley's own switch for message notifications is off (desktop settings). */
  notificationsOff?: boolean;
}

const webPermission = (): Permission | null => (desktop() ? null : typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

export function NotifyTest({ heading: Heading, notificationsOff }: Props): JSX.Element {
  const [permission, setPermission] = useState<Permission | null>(webPermission);
  const [sent, setSent] = useState<{ browser?: 'shown' | 'error' } | null>(null);
  const [seen, setSeen] = useState<boolean | null>(null);
  const [clicked, setClicked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const testId = useRef<string | null>(null);
  const note = useRef<Notification | null>(null);

  useEffect(() => {
    const off = desktop()?.onNotificationTestClick((click) => {
      if (click.id === testId.current) setClicked(true);
    });
    return () => {
      off?.();
      note.current?.close();
    };
  }, []);

  const fresh = () => {
    setSent(null);
    setSeen(null);
    setClicked(false);
    setError(null);
  };

  const send = async () => {
    fresh();
    const api = desktop();
    if (api) {
      try {
        const result = await api.testNotification();
        testId.current = result.id;
        setPermission(result.supported ? 'supported' : 'unsupported');
        if (result.shown) setSent({});
      } catch (err) {
        setError(errorText(err));
      }
      return;
    }
    if (typeof Notification === 'undefined') return setPermission('unsupported');
    if (Notification.permission === 'default') await Notification.requestPermission().catch(() => undefined);
    setPermission(Notification.permission);
    if (Notification.permission !== 'granted') return;
    note.current?.close();
    const n = new Notification(t('notifyTest.noteTitle'), { body: t('notifyTest.noteBody'), tag: 'parley-notification-test' });
    note.current = n;
    n.onshow = () => setSent((s) => (s ? { browser: 'shown' } : s));
    n.onerror = () => setSent((s) => (s ? { browser: 'error' } : s));
    n.onclick = () => {
      window.focus();
      setClicked(true);
      n.close();
    };
    setSent({});
  };

  return (
    <section class="notify-test" aria-labelledby="notify-test-title">
      <Heading id="notify-test-title">{t('notifyTest.title')}</Heading>
      <p class="muted small">{t('notifyTest.intro')}</p>
      {permission && <p class="notify-permission">{t('notifyTest.permission', { state: t(STATES[permission]) })}</p>}
      {permission === 'denied' && <p class="error">{t('notifyTest.blocked')}</p>}
      {permission === 'unsupported' && <p class="muted small">{t('notifyTest.unsupported')}</p>}
      {notificationsOff && <p class="muted small">{t('notifyTest.offInSettings')}</p>}
      <button type="button" onClick={() => void send()} disabled={permission === 'unsupported' || permission === 'denied'}>
        {sent ? t('notifyTest.sendAgain') : t('notifyTest.send')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {sent && (
        <div class="notify-result" role="status">
          <p>
            {t('notifyTest.sent')}
            {sent.browser && `${t('format.sentenceSeparator')}${t(sent.browser === 'shown' ? 'notifyTest.shownByBrowser' : 'notifyTest.errorByBrowser')}`}
          </p>
          {seen === null ? (
            <div class="row wrap" role="group" aria-labelledby="notify-seen">
              <span id="notify-seen">{t('notifyTest.seen')}</span>
              <button type="button" onClick={() => setSeen(true)}>
                {t('notifyTest.yes')}
              </button>
              <button type="button" onClick={() => setSeen(false)}>
                {t('notifyTest.no')}
              </button>
            </div>
          ) : (
            <p class={seen ? 'notify-works' : 'error'}>{seen ? t('notifyTest.works') : desktop() ? t('notifyTest.notSeen') : t('notifyTest.notSeenWeb')}</p>
          )}
          <p class={clicked ? 'notify-works' : 'muted small'}>{clicked ? t('notifyTest.clicked') : t('notifyTest.clickIt')}</p>
        </div>
      )}
    </section>
  );
}
