/**
 * Parley's relay as the benchmark runs it: the in-memory relay from server/, on loopback, logging off.
 * The rate limits are raised because a benchmark floods on purpose: with the defaults (20 events/s
 * per socket, 5 messages/s per user) the relay would refuse most of the load, which is right for
 * human chat and meaningless for a throughput figure. Everything else keeps its default.
 */
import { createRelay, DEFAULT_LIMITS } from '../../server/index';
import { announce, BENCH_HOST, exitWhenDone, requestedPort } from './entry';

const UNLIMITED = { capacity: 1e9, perSecond: 1e9 };

exitWhenDone();
const relay = await createRelay({
  port: requestedPort(),
  host: BENCH_HOST,
  // No `logger`: createRelay's default is a silent pino logger, i.e. logging off.
  limits: { ...DEFAULT_LIMITS, socketEvents: UNLIMITED, userMessages: UNLIMITED, floodStrikes: Number.MAX_SAFE_INTEGER },
});
announce(relay.port);
