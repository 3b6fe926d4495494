/**
 * Check outcomes and the report in its two copyable forms. A check returns an Outcome; the runner adds
 * its id and time. Hints end with the check's troubleshooting section, as the CLI's do
 * (server/doctor/report.ts), so a report reads the same from wherever it was made.
 *
 * Nothing secret may leave in a copied report: the URL loses credentials, query and fragment (a
 * parley:// style `?code=` included), and `scrubReport` blanks any secret the page knows of (the join
 * code it was given, a hosted session's code) wherever a relay's or proxy's words might echo it.
 */
import { reportableUrl } from '../../../protocol/engine-io';
import { DOCTOR_CHECKS, LAN_CHECKS, type CheckResult, type CheckStatus, type DoctorCheckId, type DoctorReport, type LanCheckId } from '../../../protocol/index';

export { ok, problem, skip, type Outcome } from '../../../protocol/index';

/** The troubleshooting anchor a hint ends with, split off so a screen can link it. */
export function splitHint(hint: string): { advice: string; anchor: string | null } {
  const m = /^(.*?)\s*See (docs\/troubleshooting\.md#[a-z-]+)\.?\s*$/s.exec(hint);
  return m ? { advice: m[1]!, anchor: m[2]! } : { advice: hint, anchor: null };
}

/** The check id an anchor names, when it is one of ours. */
export function anchorCheck(anchor: string): DoctorCheckId | LanCheckId | null {
  const id = anchor.slice(anchor.indexOf('#') + 1);
  return (DOCTOR_CHECKS as readonly string[]).includes(id) || (LAN_CHECKS as readonly string[]).includes(id) ? (id as DoctorCheckId | LanCheckId) : null;
}


const MASK = '[hidden]';

/** The report with every known secret blanked out of its text, and its URL reduced to what is reportable. */
export function scrubReport<R extends { url: string; checks: CheckResult[] }>(report: R, secrets: readonly string[]): R {
  const known = secrets.map((s) => s.trim()).filter((s) => s.length >= 4);
  const clean = (text: string) => known.reduce((out, secret) => out.split(secret).join(MASK).split(secret.toLowerCase()).join(MASK), text);
  return {
    ...report,
    url: clean(reportableUrl(report.url)),
    checks: report.checks.map((c) => ({ ...c, detail: clean(c.detail), ...(c.hint === undefined ? {} : { hint: clean(c.hint) }) })),
  };
}

/** Checks in the contract's order (DOCTOR_CHECKS, then LAN_CHECKS), whatever order they finished in. */
export function inCheckOrder<C extends CheckResult>(checks: readonly C[]): C[] {
  const order: readonly string[] = [...DOCTOR_CHECKS, ...LAN_CHECKS];
  return [...checks].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/**
 * The text form, as `parley-server doctor` prints it (server/doctor/report.ts): a line per check, its
 * hint below it, and a summary. In English whatever the UI's language, like the CLI's: it is written
 * for whoever helps, and for searching the troubleshooting guide.
 */
export function reportText(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length), 2);
  const lines = [`Parley connection doctor: ${report.url} (${new Date(report.at).toISOString()}, from ${report.from})`];
  for (const c of report.checks) {
    lines.push(`  ${LABEL[c.status].padEnd(4)}  ${c.id.padEnd(width)}  ${c.detail}`);
    if (c.hint) lines.push(`  ${''.padEnd(4)}  ${''.padEnd(width)}  → ${c.hint}`);
  }
  lines.push(summaryLine(report.checks));
  return `${lines.join('\n')}\n`;
}

export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function countStatus(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}

function summaryLine(checks: readonly CheckResult[]): string {
  const { fail, warn } = countStatus(checks);
  if (fail === 0 && warn === 0) return 'No problems found.';
  const parts = [fail ? `${fail} failed` : '', warn ? `${warn} warning${warn > 1 ? 's' : ''}` : ''].filter(Boolean);
  return `${parts.join(', ')}.`;
}

export { reportableUrl };
