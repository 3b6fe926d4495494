import { describe, expect, it } from 'vitest';
import { combineRuns, interleaved, median, medianFields, roundOrder } from '../../../bench/report/runs';
import type { MessageFigures } from '../../../bench/scenarios/messages';

function run(over: Partial<MessageFigures>): MessageFigures {
  return {
    deliveriesPerSec: 100,
    p50Ms: 1,
    p95Ms: 2,
    p99Ms: 3,
    maxMs: 4,
    lost: 0,
    duplicates: 0,
    expected: 1000,
    unique: 1000,
    accepted: 10,
    rejected: 0,
    unparsed: 0,
    serverCpuPct: 50,
    serverCpuUsPerDelivery: 5,
    serverRssPeakMiB: 100,
    serverCpuMsEach: [10, 20],
    helperCpuMsEach: [],
    cpuWallMs: 1000,
    loadgenCpuPct: 40,
    foreignCpuPct: 1,
    ...over,
  };
}

describe('combining runs of a message measurement', () => {
  it('takes the median of rates and percentiles, so one disturbed run moves nothing', () => {
    const c = combineRuns([run({ p99Ms: 10 }), run({ p99Ms: 90 }), run({ p99Ms: 12 })]);
    expect(c.p99Ms).toBe(12);
    expect(combineRuns([run({ deliveriesPerSec: 1 }), run({ deliveriesPerSec: 3 })]).deliveriesPerSec).toBe(2);
  });

  it('sums losses, duplicates and the totals they count against, so one bad run shows', () => {
    const c = combineRuns([run({}), run({ lost: 7, duplicates: 2 }), run({})]);
    expect(c).toMatchObject({ lost: 7, duplicates: 2, expected: 3000, unique: 3000, accepted: 30 });
  });

  it('combines per-process lists element by element', () => {
    expect(combineRuns([run({ serverCpuMsEach: [1, 9] }), run({ serverCpuMsEach: [3, 5] }), run({ serverCpuMsEach: [2, 7] })]).serverCpuMsEach).toEqual([2, 7]);
  });

  it('returns a single run as it is, and refuses none', () => {
    const only = run({ p99Ms: 42 });
    expect(combineRuns([only])).toBe(only);
    expect(() => combineRuns([])).toThrow();
  });
});

describe('round order', () => {
  it('rotates so that every server goes first once per cycle', () => {
    const servers = ['parley', 'classic', 'ws'];
    expect([0, 1, 2, 3].map((r) => roundOrder(servers, r))).toEqual([
      ['parley', 'classic', 'ws'],
      ['classic', 'ws', 'parley'],
      ['ws', 'parley', 'classic'],
      ['parley', 'classic', 'ws'],
    ]);
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('interleaved rounds', () => {
  it('measure every item once per round, the order rotating, and name the round only when there are several', () => {
    expect([...interleaved(['a', 'b', 'c'], 2)]).toEqual([
      { item: 'a', round: 0, tag: ' (round 1/2)' },
      { item: 'b', round: 0, tag: ' (round 1/2)' },
      { item: 'c', round: 0, tag: ' (round 1/2)' },
      { item: 'b', round: 1, tag: ' (round 2/2)' },
      { item: 'c', round: 1, tag: ' (round 2/2)' },
      { item: 'a', round: 1, tag: ' (round 2/2)' },
    ]);
    expect([...interleaved(['a', 'b'], 1)]).toEqual([
      { item: 'a', round: 0, tag: '' },
      { item: 'b', round: 0, tag: '' },
    ]);
  });
});

describe('storm runs', () => {
  it('takes the median of every field, each on its own', () => {
    const runs = [
      { joinAllCorrectMs: 1800, reconnectFromRestartMs: 2600 },
      { joinAllCorrectMs: 1500, reconnectFromRestartMs: 9000 },
      { joinAllCorrectMs: 2100, reconnectFromRestartMs: 2300 },
    ];
    expect(medianFields(runs)).toEqual({ joinAllCorrectMs: 1800, reconnectFromRestartMs: 2600 });
  });

  it('leaves out a field no run has, and combines an optional one over the runs that have it', () => {
    const c = medianFields<{ a: number; b?: number }>([{ a: 1 }, { a: 3, b: 10 }, { a: 2, b: 20 }]);
    expect(c).toEqual({ a: 2, b: 15 });
    expect(medianFields([{ a: 1 }])).toEqual({ a: 1 });
    expect(() => medianFields([])).toThrow();
  });
});
