/**
 * The benchmark harness works end to end: the smoke preset runs every scenario against every server
 * and writes every figure as a number. It checks the harness, not performance: no figure is compared
 * with a target, only with "present", "numeric", "something was delivered" and "nothing was lost".
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURE_IDS, FIGURES } from '../../bench/report/catalogue';

interface BenchJson {
  preset: string;
  errors: string[];
  figures: Record<string, { values: Record<string, number | null>; ratios: Record<string, number | null> }>;
}

function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`bench did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench (smoke preset)', () => {
  it('measures every figure for every server and loses nothing', { timeout: 58_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    try {
      const file = join(dir, 'smoke.json');
      const { code, output } = await runBench(['--preset', 'smoke', '--json', file], 55_000);
      expect(code, output).toBe(0);
      expect(output).toContain('rate limits were raised');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;
      expect(doc.preset).toBe('smoke');
      expect(doc.errors).toEqual([]);

      for (const id of FIGURE_IDS) {
        const figure = doc.figures[id];
        expect(figure, `figure ${id} missing`).toBeDefined();
        for (const series of FIGURES[id].series) {
          const value = figure!.values[series];
          expect(typeof value === 'number' && Number.isFinite(value), `${id} for ${series} is ${value}`).toBe(true);
          if (series !== 'parley' && figure!.values.parley !== 0 && value !== 0) {
            expect(typeof figure!.ratios[series], `${id} ratio parley/${series}`).toBe('number');
          }
        }
      }
      for (const series of FIGURES['saturation.deliveriesPerSec'].series) {
        expect(doc.figures['saturation.deliveriesPerSec']!.values[series]).toBeGreaterThan(0);
        expect(doc.figures['latency.deliveriesPerSec']!.values[series]).toBeGreaterThan(0);
        expect(doc.figures['saturation.lost']!.values[series], `saturation lost (${series})`).toBe(0);
        expect(doc.figures['latency.lost']!.values[series], `latency lost (${series})`).toBe(0);
        expect(doc.figures['saturation.duplicates']!.values[series]).toBe(0);
        expect(doc.figures['latency.duplicates']!.values[series]).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
