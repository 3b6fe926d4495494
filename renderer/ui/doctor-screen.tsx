/**
 * The "Connection doctor" screen (issue 25): a relay's address (prefilled with the server that could
 * not be reached), Run, and each check as it finishes; then the report to copy as text or JSON, with
 * nothing secret in it (scrubReport: no credentials or query in the URL, and no join code the page
 * knows of, wherever it might be echoed); and the notification self-test. Opened from a connection
 * error (the connect screen, the banner) and from Settings.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { DOCTOR_CHECKS } from '../../protocol/index';
import { countStatus, reportJson, reportText, scrubReport } from '../model/doctor/report';
import { desktop } from '../platform/desktop';
import { t } from '../i18n/index';
import { CopyButton } from './copy-button';
import { CheckList } from './doctor-checks';
import { NotifyTest } from './doctor-notify';
import { useDoctor } from './use-doctor';

export interface DoctorTarget {
  /** The server to check first. */
  url: string;
  /** Secrets the page holds for it (a join code typed on the connect screen): kept out of the report. */
  secrets?: string[];
  /** Run at once: opened from a connection error, where "Diagnose" was the request to run it. */
  autoRun?: boolean;
}

interface Props extends DoctorTarget {
  onClose: () => void;
  /** Desktop: message notifications are switched off in Settings. */
  notificationsOff?: boolean;
}

const DEFAULT_IDLE_SECONDS = 30;
const MAX_IDLE_SECONDS = 600;

export function DoctorScreen({ url: initialUrl, secrets = [], autoRun = false, onClose, notificationsOff }: Props): JSX.Element {
  const [url, setUrl] = useState(initialUrl);
  const [idle, setIdle] = useState(false);
  const [seconds, setSeconds] = useState(String(DEFAULT_IDLE_SECONDS));
  const [hostedCode, setHostedCode] = useState<string | null>(null);
  const doctor = useDoctor();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    if (autoRun) void doctor.run(initialUrl, {});
  }, []);
  // The desktop's own hosted session has a code the report must never carry either.
  useEffect(() => void desktop()?.getHostedSession().then((h) => setHostedCode(h?.joinCode ?? null)), []);

  const idleSeconds = idle ? Math.min(MAX_IDLE_SECONDS, Math.max(1, Number.parseInt(seconds, 10) || DEFAULT_IDLE_SECONDS)) : 0;
  const report = doctor.report ? scrubReport(doctor.report, [...secrets, ...(hostedCode ? [hostedCode] : [])]) : null;
  const shown = doctor.running || report !== null;

  return (
    <main class="doctor settings" aria-labelledby="doctor-title">
      <header class="settings-head">
        <h1 id="doctor-title" tabIndex={-1} ref={heading}>
          {t('doctor.title')}
        </h1>
        <button type="button" onClick={onClose}>
          {t('doctor.close')}
        </button>
      </header>
      <p class="muted">{t('doctor.intro')}</p>
      <form
        class="doctor-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!doctor.running) void doctor.run(url, { idleSeconds });
        }}
      >
        <label for="doctor-url">{t('doctor.address')}</label>
        <div class="row">
          <input id="doctor-url" type="url" dir="ltr" inputMode="url" autoComplete="url" spellcheck={false} value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={doctor.running}>
            {doctor.running ? t('doctor.running') : t('doctor.run')}
          </button>
        </div>
        <label class="check">
          <input type="checkbox" checked={idle} onChange={(e) => setIdle(e.currentTarget.checked)} aria-describedby="doctor-idle-hint" /> {t('doctor.idle')}
        </label>
        {idle && (
          <div class="row idle-seconds">
            <label for="doctor-idle-seconds">{t('doctor.idleSeconds')}</label>
            <input id="doctor-idle-seconds" type="number" min={1} max={MAX_IDLE_SECONDS} value={seconds} onInput={(e) => setSeconds(e.currentTarget.value)} />
          </div>
        )}
        <p id="doctor-idle-hint" class="muted small">
          {t('doctor.idleHint')}
        </p>
      </form>
      {doctor.error && (
        <p class="error" role="alert">
          {t('doctor.failed', { reason: doctor.error })}
        </p>
      )}
      {shown && (
        <section aria-labelledby="doctor-results">
          <h2 id="doctor-results">{t('doctor.results')}</h2>
          <p class="doctor-summary" role="status">
            {report ? summary(report.checks) : t('doctor.running')}
          </p>
          <p class="muted small">
            {desktop() ? t('doctor.fromDesktop') : t('doctor.fromBrowser')} {t('doctor.findings')}
          </p>
          <CheckList ids={DOCTOR_CHECKS} results={doctor.results} running={doctor.running} label={t('doctor.results')} />
          {report && (
            <>
              <div class="row wrap">
                <CopyButton text={reportText(report)} label={t('doctor.copyText')} visible />
                <CopyButton text={reportJson(report)} label={t('doctor.copyJson')} visible />
              </div>
              <p class="muted small">{t('doctor.copyHint')}</p>
            </>
          )}
        </section>
      )}
      <NotifyTest heading="h2" notificationsOff={notificationsOff} />
    </main>
  );
}

function summary(checks: Parameters<typeof countStatus>[0]): string {
  const { fail, warn } = countStatus(checks);
  if (fail === 0 && warn === 0) return t('doctor.summaryOk');
  return [fail ? t('doctor.summaryFail', { count: fail }) : '', warn ? t('doctor.summaryWarn', { count: warn }) : ''].filter(Boolean).join(t('format.sentenceSeparator'));
}
