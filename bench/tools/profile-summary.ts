/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): self time by function and by
 * package / source folder, so a profile can be quoted in an issue without opening DevTools.
 *
 *   node --import tsx bench/tools/profile-summary.ts DIR/parley-*.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length === 0) {
  console.error('usage: profile-summary <file.cpuprofile> [--top N]');
  process.exit(2);
}
const top = Number(values.top);

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const sampleMs = totalMs / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * sampleMs;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    add(byFunction, `${functionName || '(anonymous)'} ${where}`.trim(), ms);
    add(byArea, area(url, functionName), ms);
  }
  console.log(`\n${file}: ${totalMs.toFixed(0)} ms profiled`);
  print('self time by area', byArea, totalMs, top);
  print('self time by function', byFunction, totalMs, top);
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function print(title: string, map: Map<string, number>, totalMs: number, n: number): void {
  console.log(`\n  ${title}`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`  ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  }
}

/** node_modules/<package>, a top-level source folder (server/, protocol/, bench/), node internals, or V8. */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  // Greedy prefix: the rightmost source folder, so a checkout path containing "main/" does not count.
  const src = /.*\/(server|protocol|bench|main|renderer)\/([^/]+)/.exec(url);
  return src ? `${src[1]}/${src[2]!.includes('.') ? '' : src[2]}` : url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*?\/(server|protocol|bench)\//, '$1/');
}
