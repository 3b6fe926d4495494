import { describe, expect, it } from 'vitest';
import { ErrorCode, type Answer, type ErrorsOf, type SendOk } from '../../../protocol/index';
import { MAX_ATTEMPTS, Outbox, WINDOW, type Clock, type OutboxItem, type OutboxStorage } from '../../../renderer/model/outbox';

/** Time moves only when the test says so; due timers run in order. */
class FakeClock implements Clock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

/** Stores JSON copies, like the real KeyValueStore: later mutations of items must not leak in. */
class FakeStorage implements OutboxStorage {
  saved = '[]';
  saves = 0;
  load(): OutboxItem[] {
    return JSON.parse(this.saved) as OutboxItem[];
  }
  save(items: readonly OutboxItem[]): void {
    this.saves++;
    this.saved = JSON.stringify(items);
  }
}

interface Call {
  clientId: string;
  resolve(r: Answer<'new message'>): void;
  reject(e: unknown): void;
}

function setup(storage?: OutboxStorage) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const sent: { item: OutboxItem; ack: SendOk }[] = [];
  const changes: string[] = [];
  const outbox = new Outbox(
    (item) => new Promise((resolve, reject) => calls.push({ clientId: item.clientId, resolve, reject })),
    {
      sent: (item, ack) => sent.push({ item, ack }),
      changed: (item) => changes.push(`${item.clientId}:${item.state}`),
    },
    storage,
    clock,
  );
  const state = (id: string) => outbox.list().find((i) => i.clientId === id);
  return { clock, calls, sent, changes, outbox, state, callIds: () => calls.map((c) => c.clientId) };
}

/** Lets the send promises' then/finally handlers run. */
const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const ok = (seq: number): Answer<'new message'> => ({ ok: true, id: `id-${seq}`, seq, ts: seq, room: 'lobby', duplicate: false });
const refused = (code: ErrorsOf<'new message'>, retryAfterMs?: number): Answer<'new message'> =>
  retryAfterMs === undefined ? { ok: false, code, message: `refused: ${code}` } : { ok: false, code, message: `refused: ${code}`, retryAfterMs };

describe('Outbox sending', () => {
  it('sends on enqueue when online, and holds messages while offline', async () => {
    const h = setup();
    h.outbox.enqueue('lobby', 'queued offline', 'a');
    expect(h.calls).toHaveLength(0);
    expect(h.state('a')).toMatchObject({ state: 'queued', attempts: 0, room: 'lobby', text: 'queued offline', createdAt: h.clock.t });
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a']);
    h.outbox.enqueue('lobby', 'online', 'b');
    expect(h.callIds()).toEqual(['a', 'b']);
    expect(h.state('b')).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('sends in enqueue order', () => {
    const h = setup();
    for (const id of ['a', 'b', 'c', 'd']) h.outbox.enqueue('lobby', id, id);
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a', 'b', 'c', 'd']);
  });

  it(`pipelines up to WINDOW (${WINDOW}) messages in flight`, async () => {
    const h = setup();
    const ids = Array.from({ length: WINDOW + 2 }, (_, i) => `m${i}`);
    for (const id of ids) h.outbox.enqueue('lobby', id, id);
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(ids.slice(0, WINDOW));
    h.calls[0]!.resolve(ok(1));
    await flush();
    expect(h.callIds()).toEqual(ids.slice(0, WINDOW + 1));
    h.calls[1]!.resolve(ok(2));
    await flush();
    expect(h.callIds()).toEqual(ids);
  });

  it('removes an acknowledged message and reports it as sent', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'hi', 'a');
    h.outbox.enqueue('lobby', 'there', 'b');
    expect(h.outbox.queuedCount).toBe(2);
    h.calls[0]!.resolve(ok(7));
    await flush();
    expect(h.outbox.list().map((i) => i.clientId)).toEqual(['b']);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.item.clientId).toBe('a');
    expect(h.sent[0]!.ack).toMatchObject({ id: 'id-7', seq: 7 });
    expect(h.outbox.queuedCount).toBe(1);
  });

  it('reports each state change (queued, sending, failed) for the pending line', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'x', 'a');
    h.calls[0]!.resolve(refused(ErrorCode.TOO_LARGE));
    await flush();
    expect(h.changes).toEqual(['a:queued', 'a:sending', 'a:failed']);
  });
});

describe('Outbox refusals and retries', () => {
  it.each([
    ErrorCode.TOO_LARGE,
    ErrorCode.EMPTY_MESSAGE,
    ErrorCode.INVALID_PAYLOAD,
    ErrorCode.NOT_IN_ROOM,
    ErrorCode.UNKNOWN_ROOM,
    ErrorCode.USER_NOT_FOUND,
  ])('marks a message failed on %s and still sends later ones', async (code) => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'x', 'a');
    h.outbox.enqueue('lobby', 'y', 'b');
    h.calls[0]!.resolve(refused(code));
    h.calls[1]!.resolve(ok(1));
    await flush();
    expect(h.state('a')).toMatchObject({ state: 'failed', error: `refused: ${code}`, attempts: 1 });
    expect(h.sent.map((s) => s.item.clientId)).toEqual(['b']);
    // No pause after a permanent refusal: the next message goes at once.
    h.outbox.enqueue('lobby', 'z', 'c');
    expect(h.callIds()).toEqual(['a', 'b', 'c']);
    h.clock.advance(60_000);
    await flush();
    expect(h.callIds()).toEqual(['a', 'b', 'c']); // the failed one is not resent on its own
    expect(h.outbox.queuedCount).toBe(1);
  });

  it('on RATE_LIMITED requeues without counting an attempt, waits retryAfterMs, then resends in order', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    for (const id of ['a', 'b', 'c']) h.outbox.enqueue('lobby', id, id);
    for (const c of h.calls) c.resolve(refused(ErrorCode.RATE_LIMITED, 5000));
    await flush();
    for (const id of ['a', 'b', 'c']) expect(h.state(id)).toMatchObject({ state: 'queued', attempts: 0 });
    h.outbox.enqueue('lobby', 'd', 'd'); // during the pause: waits too
    h.clock.advance(4999);
    await flush();
    expect(h.calls).toHaveLength(3);
    h.clock.advance(1);
    expect(h.callIds()).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'd']);
  });

  it('on RATE_LIMITED without retryAfterMs waits one second', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.calls[0]!.resolve(refused(ErrorCode.RATE_LIMITED));
    await flush();
    h.clock.advance(999);
    expect(h.calls).toHaveLength(1);
    h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
  });

  it('never gives up on a message because of RATE_LIMITED alone', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      h.calls[i]!.resolve(refused(ErrorCode.RATE_LIMITED, 100));
      await flush();
      h.clock.advance(100);
    }
    expect(h.calls).toHaveLength(MAX_ATTEMPTS + 4);
    expect(h.state('a')).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('requeues after timeouts with a growing pause and fails after MAX_ATTEMPTS', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    const pauses = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000];
    expect(pauses).toHaveLength(MAX_ATTEMPTS - 1);
    for (const [k, pause] of pauses.entries()) {
      h.calls[k]!.reject(new Error('operation has timed out'));
      await flush();
      expect(h.state('a')).toMatchObject({ state: 'queued', attempts: k + 1 });
      h.clock.advance(pause - 1);
      expect(h.calls).toHaveLength(k + 1);
      h.clock.advance(1);
      expect(h.calls).toHaveLength(k + 2);
    }
    h.calls[MAX_ATTEMPTS - 1]!.reject(new Error('operation has timed out'));
    await flush();
    expect(h.state('a')).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, error: 'Could not be delivered.' });
    h.clock.advance(120_000);
    expect(h.calls).toHaveLength(MAX_ATTEMPTS);
  });

  it('treats relay trouble (UNAVAILABLE) like a timeout and pauses the messages behind it', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.calls[0]!.resolve(refused(ErrorCode.UNAVAILABLE));
    await flush();
    expect(h.state('a')).toMatchObject({ state: 'queued', attempts: 1 });
    h.outbox.enqueue('lobby', 'b', 'b');
    expect(h.calls).toHaveLength(1);
    h.clock.advance(1000);
    expect(h.callIds()).toEqual(['a', 'a', 'b']);
  });
});

describe('Outbox connection state', () => {
  it('stops sending when offline and resends at once, without waiting out the pause, when back', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.outbox.setOnline(false);
    h.outbox.enqueue('lobby', 'b', 'b');
    expect(h.callIds()).toEqual(['a']);
    h.calls[0]!.reject(new Error('disconnected'));
    await flush();
    h.clock.advance(60_000);
    expect(h.callIds()).toEqual(['a']);
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a', 'a', 'b']);
  });

  it('clears a RATE_LIMITED pause on reconnect', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.calls[0]!.resolve(refused(ErrorCode.RATE_LIMITED, 60_000));
    await flush();
    h.outbox.setOnline(false);
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a', 'a']);
  });
});

describe('Outbox retry and discard', () => {
  it('retry() moves a failed message after the queued ones and resets its attempts', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.calls[0]!.resolve(refused(ErrorCode.TOO_LARGE));
    await flush();
    h.outbox.setOnline(false);
    h.outbox.enqueue('lobby', 'b', 'b');
    h.outbox.enqueue('lobby', 'c', 'c');
    h.outbox.retry('a');
    expect(h.outbox.list().map((i) => i.clientId)).toEqual(['b', 'c', 'a']);
    expect(h.state('a')).toMatchObject({ state: 'queued', attempts: 0 });
    expect(h.state('a')).not.toHaveProperty('error');
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a', 'b', 'c', 'a']);
  });

  it('retry() after MAX_ATTEMPTS gives the message a fresh set of attempts', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    for (let k = 0; k < MAX_ATTEMPTS; k++) {
      h.calls[k]!.reject(new Error('timeout'));
      await flush();
      h.clock.advance(30_000);
    }
    expect(h.state('a')?.state).toBe('failed');
    h.outbox.retry('a');
    expect(h.state('a')).toMatchObject({ state: 'sending', attempts: 1 });
    h.calls[MAX_ATTEMPTS]!.reject(new Error('timeout'));
    await flush();
    expect(h.state('a')).toMatchObject({ state: 'queued', attempts: 1 });
  });

  it('retry() ignores messages that have not failed', () => {
    const h = setup();
    h.outbox.enqueue('lobby', 'a', 'a');
    h.outbox.enqueue('lobby', 'b', 'b');
    h.outbox.retry('a');
    h.outbox.retry('nope');
    expect(h.outbox.list().map((i) => i.clientId)).toEqual(['a', 'b']);
  });

  it('discard() removes a failed or queued message but not one in flight', async () => {
    const h = setup();
    h.outbox.setOnline(true);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.outbox.enqueue('lobby', 'b', 'b');
    h.calls[0]!.resolve(refused(ErrorCode.TOO_LARGE));
    await flush();
    expect(h.outbox.discard('b')).toBeUndefined(); // sending
    expect(h.outbox.discard('a')?.clientId).toBe('a');
    h.outbox.setOnline(false);
    h.outbox.enqueue('lobby', 'c', 'c');
    expect(h.outbox.discard('c')?.text).toBe('c');
    expect(h.outbox.discard('unknown')).toBeUndefined();
    expect(h.outbox.list().map((i) => i.clientId)).toEqual(['b']);
    h.outbox.setOnline(true);
    expect(h.callIds()).toEqual(['a', 'b']); // c never went out
  });
});

describe('Outbox persistence', () => {
  it('saves every change that matters through the storage interface', async () => {
    const storage = new FakeStorage();
    const h = setup(storage);
    h.outbox.enqueue('lobby', 'hi', 'a');
    expect(storage.load()).toEqual([{ clientId: 'a', room: 'lobby', text: 'hi', createdAt: h.clock.t, attempts: 0, state: 'queued' }]);
    h.outbox.setOnline(true);
    h.calls[0]!.resolve(ok(1));
    await flush();
    expect(storage.load()).toEqual([]);
    h.outbox.enqueue('lobby', 'big', 'b');
    h.calls[1]!.resolve(refused(ErrorCode.TOO_LARGE));
    await flush();
    expect(storage.load()).toEqual([expect.objectContaining({ clientId: 'b', state: 'failed', error: 'refused: TOO_LARGE' })]);
    h.outbox.discard('b');
    expect(storage.load()).toEqual([]);
  });

  it('reloads saved messages, turning those in flight back into queued, and sends them once online', async () => {
    const storage = new FakeStorage();
    const first = setup(storage);
    first.outbox.setOnline(true);
    first.outbox.enqueue('lobby', 'failed', 'f');
    first.calls[0]!.resolve(refused(ErrorCode.TOO_LARGE));
    await flush();
    first.outbox.enqueue('lobby', 'in flight', 'a');
    first.outbox.setOnline(false);
    first.outbox.enqueue('lobby', 'queued', 'b'); // saves 'a' while it is sending
    expect(storage.load().map((i) => `${i.clientId}:${i.state}`)).toEqual(['f:failed', 'a:sending', 'b:queued']);

    // The page reloads: a new outbox over the same storage.
    const second = setup(storage);
    expect(second.outbox.list().map((i) => `${i.clientId}:${i.state}`)).toEqual(['f:failed', 'a:queued', 'b:queued']);
    expect(second.state('a')?.attempts).toBe(1);
    expect(second.outbox.queuedCount).toBe(2);
    expect(second.calls).toHaveLength(0);
    second.outbox.setOnline(true);
    expect(second.callIds()).toEqual(['a', 'b']);
  });
});

describe('Outbox.queuedCount', () => {
  it('counts queued and in-flight messages, not failed ones', async () => {
    const h = setup();
    expect(h.outbox.queuedCount).toBe(0);
    h.outbox.enqueue('lobby', 'a', 'a');
    h.outbox.enqueue('lobby', 'b', 'b');
    h.outbox.setOnline(true);
    h.outbox.setOnline(false);
    h.outbox.enqueue('lobby', 'c', 'c');
    expect(h.outbox.queuedCount).toBe(3); // two sending, one queued
    h.calls[0]!.resolve(refused(ErrorCode.EMPTY_MESSAGE));
    await flush();
    expect(h.outbox.queuedCount).toBe(2);
  });
});
