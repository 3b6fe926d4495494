/**
 * Threat: flooding. A client sends events as fast as it can (messages, typing, junk) to drown the
 * room, starve other clients of the relay's time, or fill its memory.
 *
 * Defences under test: a per-user message bucket (burst 20, 5/s) answers RATE_LIMITED with
 * retryAfterMs; a per-connection event bucket (burst 60, 20/s) charges every event, known or not;
 * 30 refusals within 10 s close the connection, and once a connection is caught flooding the rest of
 * what it sent is dropped unread. Bystanders are measured, not just checked: their request latency
 * during the flood is compared with a baseline taken in the same test.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/index';
import { ErrorCode, type SendOk } from '../../protocol/index';
import { collect, loggedIn, request, sleep, until, type TestSocket } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { assertUnaffected, bystanders, lobbyHistory } from './support/bystanders';
import { spawnFlooder, type FloodMode, type FloodProcess, type FloodReport } from './support/flooder';
import { RawSocket } from './support/raw';

useRelayCleanup();
const flooders: FloodProcess[] = [];
afterEach(() => {
  for (const f of flooders.splice(0)) f.kill();
});

/** Sequential acknowledged requests (history:fetch, which reads the store) every `everyMs`; their latencies in ms. */
async function sampleLatency(socket: TestSocket, ms: number, everyMs = 100): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = performance.now();
    // Unanswered within the request timeout (3 s) is a sample of at least that long, far over any
    // bound: a swamped relay fails the bound instead of failing the sampling.
    const res = await request(socket, 'history:fetch', { room: 'lobby', limit: 20 }).catch((err: unknown) => {
      if (err instanceof Error && err.message === 'operation has timed out') return null;
      throw err;
    });
    const took = performance.now() - t;
    if (res !== null) expect(res.ok, 'a bystander request failed').toBe(true);
    out.push(took);
    if (everyMs > took) await sleep(everyMs - took);
  }
  return out;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

/**
 * The bound for a bystander's p95 during a flood: 5× its own baseline plus 250 ms, and never more than
 * 750 ms. Why: without the flood cut the same flood pushes a bystander's p95 to over 3 s (the relay
 * works through tens of thousands of queued flood frames before the bystander's request; measured,
 * and checked by the last test of this file), while with it the p95 stays in the tens of ms. The
 * flooder, the relay, the runner and possibly another test file share this machine's cores, so the
 * bound leaves a 5× factor for CPU contention, plus 250 ms, about where chat starts to feel laggy.
 */
const bound = (baselineP95: number) => Math.min(750, 5 * baselineP95 + 250);

async function floodWhileMeasuring(port: number, mode: FloodMode, world: { ana: TestSocket; bob: TestSocket }) {
  const baseline = (await Promise.all([sampleLatency(world.ana, 1500), sampleLatency(world.bob, 1500)])).flat();
  const flooder = spawnFlooder(port, mode, 3500, 2);
  flooders.push(flooder);
  await Promise.race([flooder.started, flooder.done]);
  const during = (await Promise.all([sampleLatency(world.ana, 2500), sampleLatency(world.bob, 2500)])).flat();
  const report = await flooder.done;
  const result = { mode, baselineP95: p95(baseline), duringP95: p95(during), samples: during.length, report: summary(report) };
  console.log(`[flooding] ${JSON.stringify(result)}`);
  return { ...result, fullReport: report };
}

function summary(r: FloodReport) {
  const sorted = [...r.msBeforeClose].sort((a, b) => a - b);
  return {
    connections: r.connections,
    closedByRelay: r.framesBeforeClose.length,
    framesSent: r.framesSent,
    medianMsToClose: sorted[sorted.length >> 1],
    maxMsToClose: sorted[sorted.length - 1],
  };
}

/** Every flood connection but the ones still running when the flooder's time ran out was closed by the relay, quickly. */
function expectFloodersCut(report: FloodReport, parallel = 2) {
  expect(report.connections).toBeGreaterThan(0);
  expect(report.framesBeforeClose.length).toBeGreaterThanOrEqual(report.connections - parallel);
  const sorted = [...report.msBeforeClose].sort((a, b) => a - b);
  expect(sorted[sorted.length >> 1], 'median time to cut a flooder').toBeLessThan(1000);
}

describe('flooding', () => {
  it('a burst of messages is capped: RATE_LIMITED with retryAfterMs, the connection stays open and may send after the wait', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const { socket: eve } = await loggedIn(relay.url, 'eve');
    const burst = DEFAULT_LIMITS.userMessages.capacity;
    const results = await Promise.all(Array.from({ length: burst + 10 }, (_, i) => request<SendOk>(eve, 'new message', { text: `burst ${i}` })));
    const ok = results.filter((r) => r.ok);
    // The burst allowance (a refill may add one during the burst), and not the rest.
    expect(ok.length).toBeGreaterThanOrEqual(burst);
    expect(ok.length).toBeLessThanOrEqual(burst + 1);
    const limited = results.filter((r) => !r.ok);
    for (const r of limited) {
      expect(r).toMatchObject({ ok: false, code: ErrorCode.RATE_LIMITED });
      const wait = (r as { retryAfterMs: number }).retryAfterMs;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1000 / DEFAULT_LIMITS.userMessages.perSecond + 50);
    }
    expect(eve.connected).toBe(true);
    await sleep(Math.max(...limited.map((r) => (r as { retryAfterMs: number }).retryAfterMs)) + 20);
    expect(await request(eve, 'new message', { text: 'after the wait' })).toMatchObject({ ok: true });
    await assertUnaffected(relay, world, [...ok.map((_, i) => `burst ${i}`), 'after the wait']);
  });

  it('a sustained message flood on one connection disconnects the flooder after its burst allowance; bystanders and their history are unaffected', async () => {
    const relay = await startRelay(); // default history limit (200): flood messages would push the bystanders' out
    const world = await bystanders(relay);
    const { socket: raw } = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, key: 'f'.repeat(30) });
    expect(await raw.request('add user', { username: 'flo' })).toMatchObject([{ ok: true }]);
    for (let i = 0; i < 5000; i++) raw.emit('new message', { text: 'flood' });
    expect(await raw.closesWithin(3000), 'the flooder is disconnected').toBe(true);
    expect(raw.events('parley:error').filter((e) => (e as { message: string }).message === 'Disconnected for flooding.')).toHaveLength(1);
    const stored = (await lobbyHistory(relay)).filter((m) => m === 'flood').length;
    expect(stored).toBeLessThanOrEqual(DEFAULT_LIMITS.userMessages.capacity + 1);
    await assertUnaffected(relay, world, ['flood']);
  });

  it('a sustained message flood from reconnecting flooders: each connection is cut within its burst; bystanders stay responsive (p95 against a baseline)', async () => {
    // Every flood connection brings a fresh key, so a fresh user with a fresh message allowance: what
    // one address can store is bounded per connection, not per address (see the suite's report).
    const relay = await startRelay({ historyLimit: 100_000 });
    const world = await bystanders(relay);
    const r = await floodWhileMeasuring(relay.port!, 'messages', world);
    expectFloodersCut(r.fullReport);
    expect(r.duringP95).toBeLessThan(bound(r.baselineP95));
    const flood = (await lobbyHistory(relay)).filter((m) => m === 'flood');
    expect(flood.length).toBeLessThanOrEqual(r.fullReport.connections * (DEFAULT_LIMITS.userMessages.capacity + 1));
    await until(() => relay.io.engine.clientsCount === 2, 5000, 'flood connections gone');
    await assertUnaffected(relay, world, ['flood']);
  }, 30_000);

  it('a flood of typing events disconnects the flooder; bystanders get a bounded number of typing notices and stay responsive', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const typing = collect(world.bob, 'typing');
    const r = await floodWhileMeasuring(relay.port!, 'typing', world);
    expectFloodersCut(r.fullReport);
    expect(r.duringP95).toBeLessThan(bound(r.baselineP95));
    // At most one connection bucket's worth (60 + 20/s refill, over the connection's short life) per flood connection.
    const perConnection = DEFAULT_LIMITS.socketEvents.capacity + DEFAULT_LIMITS.socketEvents.perSecond * 2;
    expect(typing.length).toBeLessThanOrEqual(r.fullReport.connections * perConnection);
    await assertUnaffected(relay, world);
  }, 30_000);

  it('a flood of malformed events (invalid payloads, unknown names, numeric names) disconnects the flooder; bystanders stay responsive', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    for (const mode of ['invalid', 'unknown', 'numeric'] as const) {
      const r = await floodWhileMeasuring(relay.port!, mode, world);
      expectFloodersCut(r.fullReport);
      expect(r.duringP95, mode).toBeLessThan(bound(r.baselineP95));
    }
    await assertUnaffected(relay, world);
  }, 45_000);

  it('unknown events are charged like any other: answered INVALID_PAYLOAD when acked, and a stream of them ends in a disconnect', async () => {
    const relay = await startRelay({ limits: { socketEvents: { capacity: 10, perSecond: 1 }, floodStrikes: 5, floodWindowMs: 10_000 } });
    const world = await bystanders(relay);
    const { socket: raw, reply } = await RawSocket.connect(relay.port!);
    expect(reply).toMatch(/^40/);
    expect(await raw.request('no such event', 1)).toEqual([{ ok: false, code: ErrorCode.INVALID_PAYLOAD, message: 'Unknown event.' }]);
    expect(await raw.request(42)).toEqual([{ ok: false, code: ErrorCode.INVALID_PAYLOAD, message: 'Unknown event.' }]);
    // Names Socket.IO uses on the server socket itself are not deliverable from the wire either.
    expect(await raw.request('error', 'x')).toMatchObject([{ ok: false, code: ErrorCode.INVALID_PAYLOAD }]);
    // Without an ack nothing is written back: junk never makes the relay send more than it received.
    const before = raw.frames.length;
    for (let i = 0; i < 5; i++) raw.emit('junk', i);
    await sleep(100);
    expect(raw.frames.length).toBe(before);
    // The bucket (10) is spent: the next ones are refused, and 5 refusals close the connection.
    for (let i = 0; i < 20; i++) raw.emit('junk', i);
    expect(await raw.closesWithin(2000)).toBe(true);
    expect(raw.events('parley:error')).toEqual([{ code: ErrorCode.RATE_LIMITED, message: 'Disconnected for flooding.', retryAfterMs: 10_000 }]);
    await assertUnaffected(relay, world);
  });

  it('the latency bound can fail: with the flood cut disabled, the same flood pushes a bystander over it', async () => {
    const relay = await startRelay({ limits: { floodStrikes: Number.MAX_SAFE_INTEGER } });
    const world = await bystanders(relay);
    // A control only has to show the bound can be crossed: a second try when the first flood was
    // absorbed (a busy test machine may start the flooder late).
    let r = await floodWhileMeasuring(relay.port!, 'typing', world);
    if (r.duringP95 <= bound(r.baselineP95)) r = await floodWhileMeasuring(relay.port!, 'typing', world);
    expect(r.fullReport.framesBeforeClose).toHaveLength(0); // nobody was cut
    expect(r.duringP95).toBeGreaterThan(bound(r.baselineP95));
  }, 45_000);
});
