import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { sleep } from '../../../helpers/clients';
import { useRedisConnections } from '../../../helpers/redis-suite';

const suite = useRedisConnections();

/** Counts the system-call-level writes of a socket (one per _write, one per _writev). */
function socketWrites(socket: Socket): { count(): number; restore(): void } {
  // The stream implementer's methods: Writable calls them once per write it passes down.
  const s = socket as unknown as { _write(...args: unknown[]): void; _writev(...args: unknown[]): void };
  const one = vi.spyOn(s, '_write');
  const many = vi.spyOn(s, '_writev');
  return {
    count: () => one.mock.calls.length + many.mock.calls.length,
    restore: () => {
      one.mockRestore();
      many.mockRestore();
    },
  };
}

async function untilState(state: string): Promise<void> {
  for (const end = Date.now() + 5000; suite.conns.state !== state; ) {
    if (Date.now() > end) throw new Error(`Redis connections not ${state} (${suite.conns.state})`);
    await sleep(20);
  }
}

describe('Redis connections', () => {
  it("send one turn's commands in one socket write, the replies in call order", async () => {
    const writes = socketWrites(suite.conns.command.stream as Socket);
    try {
      // Twenty commands issued in one turn, as a burst of messages read from one socket issues them.
      const replies = await Promise.all(Array.from({ length: 20 }, () => suite.conns.command.incr('parley-test:burst')));
      expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(writes.count()).toBe(1);
      // The next turn's commands are not held back by the previous turn's.
      expect(await suite.conns.command.incr('parley-test:burst')).toBe(21);
      expect(writes.count()).toBe(2);
    } finally {
      writes.restore();
    }
  });

  it("batch the adapter's publishes the same way", async () => {
    const got: string[] = [];
    suite.conns.sub.on('message', (_channel: string, message: string) => got.push(message));
    await suite.conns.sub.subscribe('parley-test:channel');
    const writes = socketWrites(suite.conns.pub.stream as Socket);
    try {
      const sent = Array.from({ length: 10 }, (_, i) => `m${i}`);
      const receivers = await Promise.all(sent.map((m) => suite.conns.pub.publish('parley-test:channel', m)));
      expect(receivers).toEqual(sent.map(() => 1));
      expect(writes.count()).toBe(1);
      await vi.waitFor(() => expect(got).toEqual(sent));
    } finally {
      writes.restore();
    }
  });

  it('fail commands at once while Redis is unreachable, a command in flight when it went included', async () => {
    // ioredis would resend a command still unanswered when Redis dies once it reconnects, holding
    // its caller (and a client's whole serial queue behind it) for the outage; nothing issued after
    // it may wait for it either (ioredis's auto-pipelining did: the stores then hung instead of
    // falling back to local state for the whole outage).
    const inFlight = suite.conns.command.blpop('parley-test:never', 5);
    const settled = inFlight.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    await sleep(50);
    await suite.redis.kill();
    try {
      await untilState('down');
      const started = Date.now();
      expect(await settled).toMatch(/Connection is closed/);
      const results = await Promise.allSettled([suite.conns.command.incr('parley-test:down'), suite.conns.command.get('parley-test:down'), suite.conns.pub.publish('parley-test:channel', 'x')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
      expect(results[2]).toEqual({ status: 'fulfilled', value: 0 }); // publishes are dropped, not thrown
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await suite.redis.launch();
    }
    expect(await suite.conns.waitReady(5000)).toBe('up');
    await untilState('up');
    expect(await suite.conns.command.incr('parley-test:after')).toBe(1);
  });
});
