/**
 * The shapes a check returns and the text form of a report. A check returns an Outcome (status,
 * detail, hint); the runner adds the id and the time taken. Hints always end with the check's
 * troubleshooting section, so every place that shows a report can link it the same way.
 */
import type { CheckResult, CheckStatus, DoctorReport } from '../../protocol/diagnostics';

export { ok, problem, skip, type Outcome } from '../../protocol/index';

/** "1.2 s" or "340 ms": durations the way a person reads them. */
export function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  return ms < 10 ? `${ms.toFixed(1).replace(/\.0$/, '')} ms` : `${Math.round(ms)} ms`;
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };
/** The longest check id ('websocket', 'join-code'): the detail column starts after it. */
const ID_WIDTH = 9;

export const formatHeader = (report: Pick<DoctorReport, 'url' | 'at'>): string => `Parley connection doctor: ${report.url} (${new Date(report.at).toISOString()})\n`;

/** One check: status, id and detail on a line, the hint indented below it. */
export function formatCheck(c: CheckResult): string {
  const line = `  ${LABEL[c.status].padEnd(4)}  ${c.id.padEnd(ID_WIDTH)}  ${c.detail}\n`;
  return c.hint ? `${line}  ${''.padEnd(4)}  ${''.padEnd(ID_WIDTH)}  → ${c.hint}\n` : line;
}

/** The whole report as text: header, one line per check (and its hint), a summary line. */
export function formatReport(report: DoctorReport): string {
  return `${formatHeader(report)}${report.checks.map(formatCheck).join('')}${summary(report.checks)}\n`;
}

export function summary(checks: readonly CheckResult[]): string {
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const fails = count('fail');
  const warns = count('warn');
  if (fails === 0 && warns === 0) return 'No problems found.';
  const parts = [fails ? `${fails} failed` : '', warns ? `${warns} warning${warns > 1 ? 's' : ''}` : ''].filter(Boolean);
  return `${parts.join(', ')}.`;
}

/** Whether the report has a failed check: the CLI's exit status. */
export const hasFailure = (report: DoctorReport): boolean => report.checks.some((c) => c.status === 'fail');
