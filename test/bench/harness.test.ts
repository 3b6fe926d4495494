/**
 * The benchmark harness works end to end: the smoke preset runs every scenario against every server
 * and writes every figure as a number. It checks the harness, not performance: no figure is compared
 * with a target, only with "present", "numeric", "something was delivered" and "nothing was lost".
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURE_IDS, FIGURES } from '../../bench/report/catalogue';
import type { RedisReport } from '../../bench/report/redis';

interface BenchJson {
  preset: string;
  errors: string[];
  figures: Record<string, { values: Record<string, number | null>; ratios: Record<string, number | null> }>;
  redis?: RedisReport;
}

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

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
  it('measures every figure for every server and loses nothing', { timeout: 100_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    try {
      const file = join(dir, 'smoke.json');
      const { code, output } = await runBench(['--preset', 'smoke', '--json', file], 95_000);
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

describe('npm run bench -- --scenarios redis (smoke preset)', () => {
  // Two instance counts instead of three keep this under the smoke run's time cap; 2 already
  // exercises the cross-instance fan-out through Redis.
  it.skipIf(!hasRedis)('measures memory mode and Redis mode with 1 and 2 instances and loses nothing', { timeout: 100_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    try {
      const file = join(dir, 'redis.json');
      const { code, output } = await runBench(['--preset', 'smoke', '--scenarios', 'redis', '--redis-instances', '1,2', '--json', file], 95_000);
      expect(code, output).toBe(0);
      expect(output).toContain('CPU per delivery ÷ memory mode');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;
      expect(doc.errors).toEqual([]);
      const report = doc.redis!;
      expect(report.series.map((s) => s.series)).toEqual(['memory', 'redis-1', 'redis-2']);
      for (const s of report.series) {
        for (const method of ['saturation', 'latency'] as const) {
          const f = s[method]!;
          expect(f, `${s.series} ${method}`).toBeDefined();
          expect(f.deliveriesPerSec, `${s.series} ${method} deliveries/s`).toBeGreaterThan(0);
          expect(f.relayCpuUsPerDelivery, `${s.series} ${method} CPU per delivery`).toBeGreaterThan(0);
          expect(f.lost, `${s.series} ${method} lost`).toBe(0);
          expect(f.duplicates, `${s.series} ${method} duplicates`).toBe(0);
          expect(f.instanceCpuPct).toHaveLength(s.instances);
          if (s.redis) expect(typeof f.redisCpuUsPerDelivery).toBe('number');
          else expect(f.redisCpuUsPerDelivery).toBeNull();
        }
      }
      expect(typeof report.ratios.relayCpuPerDeliveryVsMemory).toBe('number');
      expect(typeof report.ratios.fixedRateCpuPerDeliveryVsMemory).toBe('number');
      expect(output).toContain('CPU per delivery ÷ memory mode at the fixed rate');
      expect(typeof report.ratios.deliveriesPerSecVsBase['redis-2']).toBe('number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
