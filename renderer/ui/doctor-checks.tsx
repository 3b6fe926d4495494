/**
 * A list of doctor checks (the relay's or the LAN's): per check an icon and its status in words (never
 * colour alone), its name and what it looks at in the user's language, then the finding and the hint
 * as the engine wrote them (English, as in the copied report and the CLI; marked `lang="en"` and
 * `.finding`, which the pseudo-locale check knows to be no catalogue text), and the hint's
 * troubleshooting section: a link opened through the desktop's vetted external-link path, or on the
 * web the section's name, since the relay serves no documents.
 */
import type { JSX } from 'preact';
import { troubleshootingUrl, type CheckResult, type CheckStatus, type DoctorCheckId, type LanCheckId } from '../../protocol/index';
import { anchorCheck, splitHint } from '../model/doctor/report';
import { desktop } from '../platform/desktop';
import { openLink } from '../platform/links';
import { t, type MessageKey } from '../i18n/index';

type CheckId = DoctorCheckId | LanCheckId;

/** Names and explanations, written out so a missing or misspelt key fails to compile. */
const NAMES: Record<CheckId, [name: MessageKey, about: MessageKey]> = {
  url: ['doctor.checks.url', 'doctor.about.url'],
  dns: ['doctor.checks.dns', 'doctor.about.dns'],
  tcp: ['doctor.checks.tcp', 'doctor.about.tcp'],
  tls: ['doctor.checks.tls', 'doctor.about.tls'],
  health: ['doctor.checks.health', 'doctor.about.health'],
  polling: ['doctor.checks.polling', 'doctor.about.polling'],
  affinity: ['doctor.checks.affinity', 'doctor.about.affinity'],
  websocket: ['doctor.checks.websocket', 'doctor.about.websocket'],
  idle: ['doctor.checks.idle', 'doctor.about.idle'],
  latency: ['doctor.checks.latency', 'doctor.about.latency'],
  clock: ['doctor.checks.clock', 'doctor.about.clock'],
  protocol: ['doctor.checks.protocol', 'doctor.about.protocol'],
  'join-code': ['doctor.checks.join-code', 'doctor.about.join-code'],
  'mdns-browse': ['doctor.checks.mdns-browse', 'doctor.about.mdns-browse'],
  'mdns-advertise': ['doctor.checks.mdns-advertise', 'doctor.about.mdns-advertise'],
  interfaces: ['doctor.checks.interfaces', 'doctor.about.interfaces'],
  'host-port': ['doctor.checks.host-port', 'doctor.about.host-port'],
  multicast: ['doctor.checks.multicast', 'doctor.about.multicast'],
};

type Shown = CheckStatus | 'pending';
const ICONS: Record<Shown, string> = { ok: '✓', warn: '!', fail: '✕', skip: '–', pending: '…' };
const STATUS: Record<Shown, MessageKey> = { ok: 'doctor.status.ok', warn: 'doctor.status.warn', fail: 'doctor.status.fail', skip: 'doctor.status.skip', pending: 'doctor.status.pending' };

interface Props {
  /** Every check to show, in order; those without a result yet show as waiting while `running`. */
  ids: readonly CheckId[];
  results: ReadonlyMap<string, CheckResult>;
  running: boolean;
  label: string;
}

export function CheckList({ ids, results, running, label }: Props): JSX.Element {
  // Before a run, and for checks a finished run did not report, there is nothing to show.
  const shown = ids.filter((id) => results.has(id) || running);
  return (
    <ol class="diags plain" aria-label={label}>
      {shown.map((id) => (
        <CheckRow key={id} id={id} result={results.get(id)} />
      ))}
    </ol>
  );
}

function CheckRow({ id, result }: { id: CheckId; result: CheckResult | undefined }): JSX.Element {
  const status: Shown = result?.status ?? 'pending';
  const [name, about] = NAMES[id];
  const hint = result?.hint ? splitHint(result.hint) : null;
  return (
    <li class={`diag ${status}`} data-check={id}>
      <span class="diag-icon" aria-hidden="true">
        {ICONS[status]}
      </span>
      <div class="diag-body">
        <p class="diag-head">
          <strong>{t(name)}</strong> <span class="diag-status">{t(STATUS[status])}</span>
        </p>
        <p class="muted small">{t(about)}</p>
        {result && (
          <p class="diag-detail finding" lang="en" dir="auto">
            {result.detail}
          </p>
        )}
        {hint && (
          <p class="diag-hint finding" lang="en" dir="auto">
            {hint.advice}
          </p>
        )}
        {hint?.anchor && <GuideLink anchor={hint.anchor} />}
      </div>
    </li>
  );
}

function GuideLink({ anchor }: { anchor: string }): JSX.Element | null {
  const id = anchorCheck(anchor);
  if (!id) return null;
  if (desktop()) {
    return (
      <p class="small">
        <button type="button" class="link" onClick={() => void openLink(troubleshootingUrl(id))}>
          {t('doctor.guideLink', { section: t(NAMES[id][0]) })}
        </button>
      </p>
    );
  }
  return (
    <p class="small muted">
      {t('doctor.guide')}{' '}
      <span class="mono finding" lang="en" dir="ltr">
        {anchor}
      </span>
    </p>
  );
}
