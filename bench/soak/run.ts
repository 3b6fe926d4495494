/**
 * Soak: many clients chatting, joining and leaving for a few minutes against a real cluster (N relay
 * processes + redis-server + HAProxy, deploy/local/cluster.ts), while one relay instance is killed and
 * restarted and Redis is killed and restarted. Not part of `npm test`.
 *
 *   npm run soak                                   # 300 clients, 2 instances, 120 s of chat
 *   npm run soak -- --duration 300 --clients 300 --json bench/results/soak.json
 *   npm run soak -- --help
 *
 * Clients are the renderer's ChatClient (renderer/model/chat-client.ts): the same reconnection,
 * catch-up by seq and outbox (kept and retried with the same clientId until acknowledged) as the app.
 *
 * Definitions (what the report counts):
 *  - sent: messages handed to a client's outbox (ChatClient.send), each with its own clientId.
 *  - acknowledged: the relay acknowledged it ({ok: true}), i.e. stored it in Redis; seen as the
 *    sender's own timeline holding the message with that clientId and a real seq.
 *  - observers: the steady clients, online from before the first message to the end (they may be
 *    moved to another instance when theirs is killed, and catch up by seq).
 *  - delivered: (acknowledged message, observer) pairs where the observer's lobby timeline holds it.
 *  - lost: acknowledged messages missing from at least one observer's timeline after the drain
 *    (pairs are reported too). Goal 0.
 *  - duplicated: acknowledged messages that exist under more than one server id (stored twice) in any
 *    client's timeline, or appear twice in one timeline. Goal 0.
 *  - unconfirmed: observer entries still provisional (seq 0) after the drain. Goal 0.
 *  - memory: relay RSS (VmRSS) sampled every second; start = median over 10 s after the warm-up, end
 *    = median over the last 10 s of chat. A restarted instance gets its own start window after its
 *    restart. Goal: end ≤ start × 1.10.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startLocalCluster, type LocalCluster } from '../../deploy/local/cluster';
import { CHURN, CLIENTS, DURATION_S, FAULTS, flags, INSTANCES, INTERVAL_S, WARMUP_S } from './options';
import { log, sleep } from './util';
import { memoryFigures, startSampler } from './memory';
import { chatLoop, churnLoop, joins, leaves, rampUp, sent, setSending, sims, startFailures } from './clients';
import { countDeliveries } from './deliveries';

// Modules: options.ts (command line), clients.ts (the simulated clients), memory.ts (RSS sampling and
// figures), deliveries.ts (what happened to each message), util.ts (time, log, randomness).

// ── the cluster ─────────────────────────────────────────────────────────────

if (!existsSync('dist/server/cli.js')) {
  log('building the relay (dist/server/cli.js)…');
  if (spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

// ── the run ─────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  log(`starting: ${INSTANCES} relay instances + redis-server + HAProxy; ${CLIENTS} clients (${Math.round(CLIENTS * CHURN)} churning), one message per ${INTERVAL_S} s each, ${DURATION_S} s of chat${FAULTS ? ', with faults' : ''}`);
  const cluster: LocalCluster = await startLocalCluster({
    instances: INSTANCES,
    port: 0,
    // History large enough that catch-up after a reconnect never hits the limit (gap), and quiet logs.
    env: { HISTORY_LIMIT: '100000', LOG_LEVEL: 'warn' },
  });
  const sampler = startSampler(cluster);
  await sleep(3000); // idle samples: the relays before any client
  const events: { at: number; what: string }[] = [];
  const mark = (what: string) => {
    events.push({ at: Date.now(), what });
    log(what);
  };

  try {
    const rampStart = Date.now();
    const steadyCount = CLIENTS - Math.round(CLIENTS * CHURN);
    await rampUp(cluster.url, steadyCount);
    mark(`${sims.length} clients online; chatting`);
    setSending(true);
    const chatStart = Date.now();
    for (const sim of sims) {
      if (sim.role === 'steady') void chatLoop(sim);
      else void churnLoop(cluster.url, sim);
    }

    const at = (s: number) => sleep(Math.max(0, chatStart + s * 1000 - Date.now()));
    let restartedAt: number | undefined;
    if (FAULTS) {
      const killAt = WARMUP_S + 10 + (DURATION_S - WARMUP_S - 10) * 0.15;
      const redisAt = WARMUP_S + 10 + (DURATION_S - WARMUP_S - 10) * 0.55;
      await at(killAt);
      mark('SIGKILL relay instance r1');
      await cluster.killInstance('r1');
      await sleep(5000);
      await cluster.startInstance('r1');
      restartedAt = Date.now();
      mark('relay instance r1 restarted');
      await at(redisAt);
      mark('SIGKILL redis-server');
      await cluster.killRedis();
      await sleep(5000);
      await cluster.startRedis();
      mark('redis-server restarted (empty)');
    }
    await at(DURATION_S);
    setSending(false);
    const chatEnd = Date.now();
    mark(`chat stopped; ${sent.length} messages sent; draining outboxes`);

    const stillQueued = () => sims.filter((s) => !s.left && s.chat.outbox.queuedCount > 0).length;
    const drainEnd = Date.now() + 60_000;
    while (stillQueued() > 0 && Date.now() < drainEnd) await sleep(250);
    await sleep(5000); // last deliveries and stored copies
    mark(`drained (${stillQueued()} clients still have unacknowledged messages)`);

    // ── figures ──
    const { observers, acked, lost, lostPairs, delivered, duplicated, unackedLeft, unconfirmed, lostExamples, unackedExamples } = countDeliveries(chatStart);

    const memory = memoryFigures(cluster, { rampStart, chatStart, chatEnd, restartedAt });

    const report = {
      command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      config: { durationS: DURATION_S, clients: CLIENTS, instances: INSTANCES, intervalS: INTERVAL_S, churn: CHURN, warmupS: WARMUP_S, faults: FAULTS },
      events: events.map((e) => ({ atS: +((e.at - chatStart) / 1000).toFixed(1), what: e.what })),
      clients: { observers: observers.length, joins, leaves, startRetries: startFailures },
      messages: {
        sent: sent.length,
        acknowledged: acked,
        notAcknowledged: unackedLeft,
        notAcknowledgedExamples: unackedExamples,
        expectedDeliveries: acked * observers.length,
        delivered,
        lost,
        lostPairs,
        duplicated,
        unconfirmedProvisional: unconfirmed,
        lostExamples,
      },
      memory,
      goals: {
        noLoss: lost === 0,
        noDuplicates: duplicated === 0,
        memoryWithin10Pct: memory.every((m) => m.growthPct <= 10),
        memoryWithin10PctAtEqualLoad: memory.every((m) => (m.growthAtEqualLoadPct ?? m.growthPct) <= 10),
      },
    };
    console.log('\n' + JSON.stringify(report, null, 2));
    if (flags.json) writeFileSync(flags.json, JSON.stringify(report, null, 2));
    process.exitCode = report.goals.noLoss && report.goals.noDuplicates ? 0 : 1;
  } finally {
    if (flags.logs) {
      mkdirSync(flags.logs, { recursive: true });
      for (const inst of cluster.instances) writeFileSync(join(flags.logs, `${inst.name}.log`), inst.output());
    }
    setSending(false);
    clearInterval(sampler);
    for (const s of sims) s.chat.close();
    await cluster.stop();
  }
}

main().then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref(),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
