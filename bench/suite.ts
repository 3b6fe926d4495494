/**
 * The scenarios in order, each against every selected server, their figures recorded for the report.
 * A failing scenario is recorded and the suite goes on: one broken baseline must not hide the others.
 */
import type { BenchConfig, ScenarioName } from './config/args';
import type { ServerName } from './lib/servers';
import { QUIET_PCT, waitForQuiet } from './lib/quiet';
import type { Series } from './report/catalogue';
import type { RedisReport } from './report/redis';
import type { Results } from './report/results';
import { combineRuns, interleaved, medianFields } from './report/runs';
import { runConnections } from './scenarios/connections';
import type { ScenarioContext } from './scenarios/context';
import { runMessages, type MessageFigures } from './scenarios/messages';
import { runRedisScenario } from './scenarios/redis';
import { runStartup } from './scenarios/startup';
import { runStorms, STORM_SERIES, type StormFigures } from './scenarios/storms';

export interface SuiteOutcome {
  errors: string[];
  /** Every scenario's full figures (more than the table shows), by `<scenario>.<series>`. */
  details: Record<string, object>;
  /** CPU other processes used during each measurement, % of one core, by the same keys. */
  interference: Record<string, number>;
  /** The redis scenario's figures and ratios, when it ran (its own table: see report/redis.ts). */
  redis?: RedisReport;
}

export async function runSuite(config: BenchConfig, ctx: ScenarioContext, results: Results): Promise<SuiteOutcome> {
  const { preset } = config;
  const outcome: SuiteOutcome = { errors: [], details: {}, interference: {} };
  const want = (s: ScenarioName): boolean => config.scenarios.includes(s);

  const quiet = async (): Promise<void> => {
    if (config.quietWaitMs <= 0) return;
    const q = await waitForQuiet(config.quietWaitMs, () => ctx.pool.pids);
    if (q.waitedMs > 1500) ctx.log(`waited ${(q.waitedMs / 1000).toFixed(0)} s for a quiet machine (others now at ${q.foreignPct.toFixed(0)} % of a core)`);
  };

  /**
   * Runs one measurement and stores its figures under `key`. With --quiet-wait, a measurement that
   * other processes disturbed is taken once more after the machine calmed down, and the less
   * disturbed of the two is kept.
   */
  const measure = async <F extends object>(label: string, key: string, run: () => Promise<F>, store: (f: F) => void): Promise<void> => {
    await quiet();
    const t0 = Date.now();
    console.error(`▸ ${label}`);
    try {
      let best = await run();
      if (config.quietWaitMs > 0 && foreignOf(best) > QUIET_PCT) {
        ctx.log(`disturbed: other processes used ${foreignOf(best).toFixed(0)} % of a core; measuring again once it is quiet`);
        await quiet();
        const again = await run();
        if (foreignOf(again) < foreignOf(best)) best = again;
      }
      outcome.details[key] = best;
      if (!Number.isNaN(foreignOf(best))) outcome.interference[key] = foreignOf(best);
      store(best);
      ctx.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const message = `${label}: ${err instanceof Error ? err.message : String(err)}`;
      outcome.errors.push(message);
      ctx.log(`FAILED ${message}`);
    }
  };

  // Start-up first, before the load has heated (or fragmented) anything.
  if (want('startup') && config.servers.includes('parley')) {
    await measure('start-up of the embedded relay', 'startup.parley', () => runStartup(ctx, preset.startup.runs), (f) => {
      results.setAll('parley', { 'startup.desktopMs': f.desktopMs, 'startup.desktopCreateMs': f.desktopCreateMs, 'startup.externalMs': f.externalMs, 'startup.tsxMs': f.tsxMs });
      results.setAll('classic', { 'startup.desktopMs': f.classicMs });
    });
  }

  if (want('connections')) {
    for (const server of config.servers) {
      await measure(`connections: ${preset.connections.clients} clients → ${server}`, `connections.${server}`, () => runConnections(ctx, server, { ...preset.connections, idleMs: preset.idleMs }), (f) =>
        results.setAll(server, {
          'connections.setupPerSec': f.setupPerSec,
          'connections.serverCpuMsPerConn': f.serverCpuMsPerConn,
          'connections.idleKiBPerConn': f.idleKiBPerConn,
          'connections.heapKiBPerConn': f.heapKiBPerConn,
          'connections.idleRssMiB': f.idleRssMiB,
        }),
      );
    }
  }

  /**
   * A message measurement against every server, `rounds` times, interleaved: every server once per
   * round, in rotating order. Each run is logged; the report gets the runs combined (report/runs.ts).
   */
  const measureRounds = async (scenario: 'latency' | 'saturation', rounds: number, label: (server: string) => string, store: (server: ServerName, f: MessageFigures) => void): Promise<void> => {
    const m = preset[scenario];
    const runs = new Map<ServerName, MessageFigures[]>(config.servers.map((s) => [s, []]));
    for (const { item: server, round, tag } of interleaved(config.servers, rounds)) {
      await measure(`${label(server)}${tag}`, `${scenario}.${server}.${round}`, () => runMessages(ctx, server, m), (f) => {
        ctx.log(`accepted ${f.accepted}, delivered ${f.unique}/${f.expected}, lost ${f.lost}, dup ${f.duplicates}, ${Math.round(f.deliveriesPerSec)} deliveries/s, p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms, server CPU ${f.serverCpuPct.toFixed(0)} %, load generator ${f.loadgenCpuPct.toFixed(0)} % per worker`);
        if (scenario === 'saturation' && f.loadgenCpuPct > 90) ctx.log('warning: the load generator was near saturation too; this figure is a lower bound for the server');
        runs.get(server)!.push(f);
      });
    }
    for (const [server, list] of runs) {
      if (list.length === 0) continue;
      if (list.length > 1) ctx.log(`${scenario} → ${server}: p99 per run ${list.map((f) => f.p99Ms.toFixed(1)).join(' ')} ms; deliveries/s ${list.map((f) => Math.round(f.deliveriesPerSec)).join(' ')}`);
      const combined = combineRuns(list);
      outcome.details[`${scenario}.${server}`] = { combined, runs: list };
      outcome.interference[`${scenario}.${server}`] = combined.foreignCpuPct;
      store(server, combined);
    }
  };

  if (want('latency')) {
    const m = preset.latency;
    await measureRounds('latency', preset.rounds.latency, (server) => `latency: ${m.clients} clients, ${m.senders} senders × ${m.ratePerSender || 'max'} msg/s, ${m.durationMs / 1000} s → ${server}`, (server, f) =>
      results.setAll(server, {
        'latency.p50Ms': f.p50Ms,
        'latency.p95Ms': f.p95Ms,
        'latency.p99Ms': f.p99Ms,
        'latency.maxMs': f.maxMs,
        'latency.lost': f.lost,
        'latency.duplicates': f.duplicates,
        'latency.deliveriesPerSec': f.deliveriesPerSec,
        'latency.serverCpuPct': f.serverCpuPct,
        'latency.serverRssPeakMiB': f.serverRssPeakMiB,
        'latency.foreignCpuPct': f.foreignCpuPct,
      }),
    );
  }

  if (want('saturation')) {
    const m = preset.saturation;
    await measureRounds('saturation', preset.rounds.saturation, (server) => `fan-out at saturation: ${m.clients} clients, ${m.senders} senders, window ${m.window}, ${m.durationMs / 1000} s → ${server}`, (server, f) =>
      results.setAll(server, {
        'saturation.deliveriesPerSec': f.deliveriesPerSec,
        'saturation.serverCpuUsPerDelivery': f.serverCpuUsPerDelivery,
        'saturation.serverCpuPct': f.serverCpuPct,
        'saturation.loadgenCpuPct': f.loadgenCpuPct,
        'saturation.foreignCpuPct': f.foreignCpuPct,
        'saturation.serverRssPeakMiB': f.serverRssPeakMiB,
        'saturation.p50Ms': f.p50Ms,
        'saturation.p99Ms': f.p99Ms,
        'saturation.lost': f.lost,
        'saturation.duplicates': f.duplicates,
      }),
    );
  }

  if (want('storms')) {
    const rounds = preset.rounds.storms;
    const series = (Object.keys(STORM_SERIES) as Series[]).filter((name) => config.servers.includes(STORM_SERIES[name].server));
    const runs = new Map<Series, StormFigures[]>(series.map((name) => [name, []]));
    for (const { item: name, round, tag } of interleaved(series, rounds)) {
      const spec = STORM_SERIES[name];
      const label = `join${spec.reconnect ? ' + reconnect' : ''} storm: ${preset.storm.clients} clients (${spec.kind}) → ${spec.server}${tag}`;
      await measure(label, `storms.${name}.${round}`, () => runStorms(ctx, name, preset.storm), (f) => {
        ctx.log(`everyone correct after joining ${(f.joinAllCorrectMs / 1000).toFixed(2)} s` + (f.reconnectFromRestartMs === undefined ? '' : `, after the restart ${(f.reconnectFromRestartMs / 1000).toFixed(2)} s`));
        runs.get(name)!.push(f);
      });
    }
    for (const [name, list] of runs) {
      if (list.length === 0) continue;
      const f = list.length > 1 ? medianFields(list) : list[0]!;
      if (list.length > 1) outcome.details[`storms.${name}`] = { combined: f, runs: list };
      results.setAll(name, {
        'join.allCorrectMs': f.joinAllCorrectMs,
        'join.allLoggedInMs': f.joinAllLoggedInMs,
        'join.p95LoggedInMs': f.joinP95LoggedInMs,
        'join.serverCpuMs': f.joinServerCpuMs,
        ...(f.reconnectFromRestartMs === undefined ? {} : { 'reconnect.fromRestartMs': f.reconnectFromRestartMs, 'reconnect.fromKillMs': f.reconnectFromKillMs! }),
      });
    }
  }
  // Last: it takes the longest, and the Parley-vs-baselines figures above should not wait for it.
  if (want('redis') && config.servers.includes('parley')) {
    const report = await runRedisScenario(ctx, preset.redis, measure, (message) => {
      outcome.errors.push(message);
      ctx.log(`FAILED ${message}`);
    });
    if (report) outcome.redis = report;
  }
  return outcome;
}

/** CPU other processes used during a measurement (% of one core), NaN when it was not measured. */
function foreignOf(f: object): number {
  const v = (f as { foreignCpuPct?: unknown }).foreignCpuPct;
  return typeof v === 'number' ? v : Number.NaN;
}
