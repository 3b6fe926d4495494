/** The printed report: one row per figure, a column per series, then Parley ÷ each baseline. */
import { BASELINES, SERIES, SERIES_LABEL, type Series } from './catalogue';
import type { FigureResult } from './results';

export function formatTable(figures: Record<string, FigureResult>): string {
  const series = SERIES.filter((s) => Object.values(figures).some((f) => f.values[s] !== undefined));
  const ratioCols = BASELINES.filter((b) => series.includes(b));
  const header = ['figure', 'unit', ...series.map((s) => SERIES_LABEL[s]), ...ratioCols.map((b) => `P/${SERIES_LABEL[b]}`)];
  const rows = Object.values(figures).map((f) => [
    f.better === 'info' ? f.label : `${f.label} (${f.better === 'higher' ? '↑' : '↓'})`,
    f.unit,
    ...series.map((s: Series) => formatValue(f.values[s])),
    ...ratioCols.map((b) => (f.ratios[b] === undefined ? '–' : `${f.ratios[b]!.toFixed(2)}×`)),
  ]);
  return formatGrid(header, rows);
}

/** Aligned columns: the first left-aligned (labels), the others right-aligned (figures). */
export function formatGrid(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatValue(v: number | undefined): string {
  if (v === undefined) return '–';
  if (!Number.isFinite(v)) return 'n/a';
  const abs = Math.abs(v);
  if (abs >= 10_000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
