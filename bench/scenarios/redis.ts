/**
 * The redis scenario: Parley's relay in memory mode, then in Redis mode as 1, 2, 3... instances
 * (separate processes of servers/parley.ts with `--redis-url`) sharing one redis-server that this
 * scenario starts and stops. Each deployment gets the saturation and the latency measurement of the
 * message scenarios, on fresh processes and an emptied Redis, `rounds` times interleaved; the report
 * gets the runs combined as the other message scenarios' are (report/runs.ts).
 *
 * Clients connect straight to an instance, round-robin, with the senders dealt out first: the
 * sender positions (spread evenly over the client indexes) would otherwise all land on one
 * instance whenever their spacing is a multiple of the instance count (C = 1000, S = 10, n = 2:
 * indexes 50, 150, ... are all even). Then every instance both sends into Redis and fans out
 * what the others publish, as in a real deployment behind a load balancer.
 */
import type { MessageScenario, RedisScenario } from '../config/presets';
import { RedisServerProcess } from '../lib/redis-server';
import { ServerProcess } from '../lib/server-process';
import { redisDeployments, RedisResults, type RedisDeployment, type RedisMethod, type RedisReport } from '../report/redis';
import { combineRuns, interleaved } from '../report/runs';
import { measureMessages, senderIndexes, type MessageFigures } from './messages';
import { withServers, type ScenarioContext } from './context';

/** The suite's `measure` (quiet-wait, retry when disturbed, error recording). */
export type Measure = <F extends object>(label: string, key: string, run: () => Promise<F>, store: (f: F) => void) => Promise<void>;

export async function runRedisScenario(ctx: ScenarioContext, cfg: RedisScenario, measure: Measure, fail: (message: string) => void): Promise<RedisReport | undefined> {
  let redis: RedisServerProcess;
  try {
    redis = await RedisServerProcess.start();
  } catch (err) {
    fail(`redis scenario: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  ctx.log(`redis-server ${redis.url} (pid ${redis.pid}), shared by every Redis-mode instance`);
  const results = new RedisResults(cfg);
  try {
    const methods: [RedisMethod, MessageScenario][] = [
      ['saturation', cfg.saturation],
      ['latency', cfg.latency],
    ];
    for (const [method, m] of methods) {
      const what =
        method === 'saturation'
          ? `fan-out at saturation: ${m.clients} clients, ${m.senders} senders, window ${m.window}, ${m.durationMs / 1000} s`
          : `latency: ${m.clients} clients, ${m.senders} senders × ${m.ratePerSender} msg/s, ${m.durationMs / 1000} s`;
      // Interleaved rounds, the order rotating (memory mode stays next to 1 instance but once).
      const deployments = redisDeployments(cfg.instances);
      const runs = new Map<string, MessageFigures[]>(deployments.map((d) => [d.series, []]));
      for (const { item: d, round, tag } of interleaved(deployments, cfg.rounds)) {
        const label = `redis scenario, ${what} → parley ${d.redis ? `Redis mode, ${d.instances} instance${d.instances === 1 ? '' : 's'}` : 'memory mode'}${tag}`;
        await measure(label, `redis.${method}.${d.series}.${round}`, () => runDeployment(ctx, d, redis, m), (f: MessageFigures) => {
          const relayMs = f.serverCpuMsEach.reduce((a, b) => a + b, 0);
          const redisMs = f.helperCpuMsEach.reduce((a, b) => a + b, 0);
          ctx.log(
            `${Math.round(f.deliveriesPerSec)} deliveries/s, p99 ${f.p99Ms.toFixed(2)} ms, relay CPU ${f.serverCpuUsPerDelivery.toFixed(2)} µs/delivery` +
              (d.redis ? ` + redis-server ${f.unique > 0 ? ((redisMs * 1000) / f.unique).toFixed(2) : 'n/a'} µs` : '') +
              ` (${Math.round(relayMs)} ms over ${d.instances} instance${d.instances === 1 ? '' : 's'}), lost ${f.lost}, dup ${f.duplicates}`,
          );
          if (f.loadgenCpuPct > 90) ctx.log('warning: the load generator was near saturation too');
          runs.get(d.series)!.push(f);
        });
      }
      for (const d of deployments) {
        const list = runs.get(d.series)!;
        if (list.length === 0) continue;
        if (list.length > 1) ctx.log(`redis ${method} → ${d.label}: relay CPU per run ${list.map((f) => f.serverCpuUsPerDelivery.toFixed(2)).join(' ')} µs/delivery`);
        results.record(d.series, method, combineRuns(list));
      }
    }
  } finally {
    await redis.stop();
  }
  return results.report();
}

async function runDeployment(ctx: ScenarioContext, d: RedisDeployment, redis: RedisServerProcess, cfg: MessageScenario): Promise<MessageFigures> {
  // No history, presence or membership left by the previous deployment's instances.
  if (d.redis) await redis.flush();
  const starts = Array.from({ length: d.instances }, (_, i) => () =>
    ServerProcess.start('parley', {
      cpuProfDir: ctx.cpuProfDir,
      label: d.redis ? `parley-redis${d.instances}-i${i + 1}` : 'parley-memory',
      ...(d.redis ? { args: ['--redis-url', redis.url] } : {}),
    }),
  );
  return withServers(ctx, starts, (servers) =>
    measureMessages(ctx, { servers, kind: 'parley-lite', helpers: d.redis ? [redis.pid] : [], serverOf: roundRobin(cfg, servers.length) }, cfg),
  );
}

/** Client index → instance: senders first, one per instance in turn, then the other clients continuing the rotation. */
export function roundRobin(cfg: Pick<MessageScenario, 'clients' | 'senders'>, instances: number): (global: number) => number {
  const senders = senderIndexes(cfg);
  const isSender = new Set(senders);
  const order = [...senders, ...Array.from({ length: cfg.clients }, (_, i) => i).filter((i) => !isSender.has(i))];
  const instanceOf = new Int32Array(cfg.clients);
  order.forEach((client, turn) => (instanceOf[client] = turn % instances));
  return (global) => instanceOf[global]!;
}
