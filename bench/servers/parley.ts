/**
 * Parley's relay as the benchmark runs it: the relay from server/, on loopback, logging off.
 * The rate limits are raised because a benchmark floods on purpose: with the defaults (20 events/s
 * per socket, 5 messages/s per user) the relay would refuse most of the load, which is right for
 * human chat and meaningless for a throughput figure. Everything else keeps its default.
 *
 * In memory by default. `--data-dir DIR` keeps history in the durable store there (as the CLI does
 * without Redis). `--redis-url URL` builds the Redis stores the way the standalone CLI does
 * (server/cli.ts: presence, history, rooms and rate limits in Redis, the Socket.IO Redis adapter for
 * cross-instance broadcasts), so several of these processes form one multi-instance relay. A flag,
 * not the REDIS_URL variable: a REDIS_URL left in the shell must not turn the memory series into
 * a Redis one unnoticed.
 */
import { readFileSync } from 'node:fs';
import { createLogger, createRelay, DEFAULT_LIMITS, type ChatStores } from '../../server/index';
import { DEFAULT_HISTORY_LIMIT, DEFAULT_ROOM } from '../../protocol/index';
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from './entry';

const UNLIMITED = { capacity: 1e9, perSecond: 1e9 };

exitWhenDone();
const redisUrl = flagValue('--redis-url');
const instanceId = `bench-${process.pid}`;
const stores = redisUrl ? await redisStores(redisUrl) : undefined;
const relay = await createRelay({
  port: requestedPort(),
  // `--history-limit N`: a longer history (the link soak reads every message back from it).
  ...(flagValue('--history-limit') ? { historyLimit: Number(flagValue('--history-limit')) } : {}),
  host: BENCH_HOST,
  instanceId,
  // No `logger`: createRelay's default is a silent pino logger, i.e. logging off.
  limits: { ...DEFAULT_LIMITS, socketEvents: UNLIMITED, userMessages: UNLIMITED, floodStrikes: Number.MAX_SAFE_INTEGER },
  ...(stores ? { stores } : {}),
  ...(flagValue('--data-dir') ? { dataDir: flagValue('--data-dir') } : {}),
  // The upload benchmark sends files past the 100 MiB default, many times over.
  uploadMaxBytes: 2 ** 30,
  uploadQuotaBytes: 2 ** 40,
  uploadUserQuotaBytes: 2 ** 40,
  // `--tls-cert FILE --tls-key FILE`: HTTPS/WSS, as a LAN host serves its sessions (bench/tls/run.ts).
  ...(flagValue('--tls-cert') && flagValue('--tls-key') ? { tls: { cert: readFileSync(flagValue('--tls-cert')!, 'utf8'), key: readFileSync(flagValue('--tls-key')!, 'utf8') } } : {}),
});
// createRelay starts without Redis when it is unreachable (local chat keeps working); a benchmark
// of Redis mode that quietly ran without it would measure the wrong thing.
if (stores && relay.health() !== 'ok') {
  process.stderr.write(`parley bench server: Redis at ${redisUrl} is not reachable (health ${relay.health()})\n`);
  process.exit(1);
}
announce(relay.port);

async function redisStores(url: string): Promise<ChatStores> {
  // Imported only in Redis mode, as the CLI does: the memory series loads no Redis code.
  const { createRedisStores } = await import('../../server/stores/redis/index');
  return createRedisStores({
    url,
    instanceId,
    historyLimit: DEFAULT_HISTORY_LIMIT,
    lobby: DEFAULT_ROOM,
    // The relay's own limit is raised above; the shared Redis bucket must be too (the CLI passes
    // the default limit to both).
    userMessages: UNLIMITED,
    log: createLogger('silent'),
  });
}

function flagValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value;
}
