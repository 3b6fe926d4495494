/**
 * Several runs of one message measurement combined into the figures the report shows: counts that
 * must never hide a bad run (lost, duplicated, refused, unparsed messages, and the totals they are
 * counted against) are summed over the runs; everything else (rates, percentiles, CPU, memory) is
 * the median of the runs, field by field, so one disturbed run moves nothing.
 */
import type { MessageFigures } from '../scenarios/messages';

const SUMMED: ReadonlySet<keyof MessageFigures> = new Set(['lost', 'duplicates', 'expected', 'unique', 'accepted', 'rejected', 'unparsed']);

export function combineRuns(runs: readonly MessageFigures[]): MessageFigures {
  if (runs.length === 0) throw new Error('no runs to combine');
  if (runs.length === 1) return runs[0]!;
  const out = { ...runs[0]! } as Record<string, unknown>;
  for (const key of Object.keys(out) as (keyof MessageFigures)[]) {
    const values = runs.map((r) => r[key]);
    if (Array.isArray(values[0])) {
      out[key] = (values[0] as number[]).map((_, i) => median(values.map((v) => (v as number[])[i] ?? Number.NaN)));
    } else {
      const numbers = values as number[];
      out[key] = SUMMED.has(key) ? numbers.reduce((a, b) => a + b, 0) : median(numbers);
    }
  }
  return out as unknown as MessageFigures;
}

/**
 * Runs of a measurement whose figures are all rates, times or sizes (the storms): the median of each
 * field over the runs that have it.
 */
export function medianFields<T extends object>(runs: readonly T[]): T {
  if (runs.length === 0) throw new Error('no runs to combine');
  const out: Record<string, number> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  for (const key of keys) {
    const values = runs.map((r) => (r as Record<string, unknown>)[key]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) out[key] = median(values);
  }
  return out as T;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The servers in the order round `round` measures them: rotated, so no server always goes first. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const k = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * The measurements of `rounds` interleaved rounds: every item once per round, the order rotating
 * (roundOrder), with the label suffix that names the round when there is more than one.
 */
export function* interleaved<T>(items: readonly T[], rounds: number): Generator<{ item: T; round: number; tag: string }> {
  for (let round = 0; round < rounds; round++) {
    const tag = rounds > 1 ? ` (round ${round + 1}/${rounds})` : '';
    for (const item of roundOrder(items, round)) yield { item, round, tag };
  }
}
