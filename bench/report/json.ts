/** The `--json FILE` document: every figure with its ratios, plus what is needed to interpret it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { BenchConfig } from '../config/args';
import type { SuiteOutcome } from '../suite';
import type { FigureResult } from './results';

export function writeJson(config: BenchConfig, notes: readonly string[], figures: Record<string, FigureResult>, outcome: SuiteOutcome, durationS: number): string {
  const file = resolve(config.jsonFile!);
  mkdirSync(dirname(file), { recursive: true });
  const doc = {
    preset: config.preset.name,
    config: { ...config.preset, servers: config.servers, scenarios: config.scenarios },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMiB: Math.round(totalmem() / 2 ** 20), node: process.version, platform: process.platform },
    notes,
    startedAt: new Date(Date.now() - durationS * 1000).toISOString(),
    durationS,
    figures,
    ...outcome,
  };
  // NaN is not JSON: it becomes null, which a reader can tell from a number.
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}
