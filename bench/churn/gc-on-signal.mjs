// Bench only (loaded with --import next to --expose-gc): a full collection on SIGUSR2, so the heap
// figures the churn bench reads after the churn measure what is still reachable, not when V8 last ran.
// With CHURN_HEAP_STATS set, V8's per-space sizes after the collection are written there too: they
// show whether resident memory above the live heap is V8 keeping spaces it grew under load.
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';

process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const file = process.env.CHURN_HEAP_STATS;
  if (!file) return;
  const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { sizeMiB: mib(s.space_size), usedMiB: mib(s.space_used_size) };
  writeFileSync(file, JSON.stringify(spaces));
});
