/**
 * The renderer's chat model in plain Node against a real relay: login state, outbox across a relay
 * restart (messages queued while down go out once, in order), dedupe of replays, unread counts.
 */
import { describe, expect, it } from 'vitest';
import { ChatClient, ConnectFailure } from '../../../renderer/model/chat-client';
import { MemoryStore } from '../../../renderer/model/storage';
import { ErrorCode } from '../../../protocol/index';
import { until, useRelaysAndClients } from './support';

const fixtures = useRelaysAndClients();
const relayOn = (port = 0) => fixtures.relay({ port });

function client(url: string, nickname: string, extra: Partial<ConstructorParameters<typeof ChatClient>[0]> = {}): ChatClient {
  return fixtures.client({ url, nickname, ...extra });
}

/** Texts of the timeline, pending messages included (marked). */
const texts = (c: ChatClient, room = 'lobby') =>
  c.conversation(room)!.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg.message] : e.kind === 'pending' ? [`(pending) ${e.text}`] : []));

describe('ChatClient', () => {
  it('logs in, sends with acks, and sees others\' messages', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    const bob = client(relay.url, 'bob');
    await ana.start();
    await bob.start();
    expect(ana.status.value).toBe('online');
    expect(ana.me.value?.username).toBe('ana');
    ana.send('hello bob');
    await until(() => texts(bob).includes('hello bob'), 3000, 'bob receives');
    await until(() => texts(ana).includes('hello bob'), 3000, 'ana ack');
    expect(bob.unread.get('lobby')).toBe(0);
    await until(() => ana.conversation('lobby')!.presence.size === 2, 3000, 'presence');
  });

  it('reports a taken nickname and an unreachable server as typed failures', async () => {
    const relay = await relayOn();
    await client(relay.url, 'ana').start();
    await expect(client(relay.url, 'ANA').start()).rejects.toMatchObject({ code: ErrorCode.NICKNAME_TAKEN });
    const err = await client('http://127.0.0.1:9', 'x').start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);
    expect((err as ConnectFailure).code).toBe('UNREACHABLE');
  });

  it('queues messages while the relay is down and sends them once, in order, after it returns', async () => {
    const first = await relayOn();
    const port = first.port!;
    const storage = new MemoryStore();
    const ana = client(first.url, 'ana', { storage });
    const bob = client(first.url, 'bob');
    await ana.start();
    await bob.start();
    ana.send('before restart');
    await until(() => texts(bob).includes('before restart'));

    await first.close();
    await until(() => ana.status.value === 'reconnecting', 3000, 'ana notices');
    for (const t of ['queued 1', 'queued 2', 'queued 3']) ana.send(t);
    expect(texts(ana).filter((t) => t.startsWith('(pending)'))).toEqual(['(pending) queued 1', '(pending) queued 2', '(pending) queued 3']);
    expect(ana.outbox.queuedCount).toBe(3);

    const second = await relayOn(port);
    await until(() => ana.status.value === 'online' && bob.status.value === 'online', 15_000, 'both back');
    await until(() => texts(bob).filter((t) => t.startsWith('queued')).length === 3, 5000, 'bob gets the queue');
    expect(texts(bob).filter((t) => t.startsWith('queued'))).toEqual(['queued 1', 'queued 2', 'queued 3']);
    await until(() => ana.outbox.queuedCount === 0, 3000, 'outbox empty');
    const hist = await second.stores.history.page('lobby', { limit: 50 });
    expect(hist.messages.map((m) => m.message)).toEqual(['queued 1', 'queued 2', 'queued 3']);
    expect(texts(ana).filter((t) => t.startsWith('(pending)'))).toEqual([]);
  });

  it('drops duplicates from catch-up replays by id', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    await ana.start();
    ana.send('one');
    await until(() => texts(ana).includes('one'));
    const conv = ana.conversation('lobby')!;
    const page = await relay.stores.history.page('lobby', { limit: 10 });
    expect(conv.timeline.addAll(page.messages)).toBe(0);
    expect(texts(ana)).toEqual(['one']);
  });

  it('counts unread messages per room while the user looks elsewhere', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    const bob = client(relay.url, 'bob');
    await ana.start();
    await bob.start();
    await ana.joinRoom('side', true);
    await bob.joinRoom('side', false);
    bob.setActive('lobby');
    ana.setActive('side');
    ana.send('in side');
    await until(() => bob.unread.get('side') === 1, 3000, 'unread');
    expect(bob.unread.total()).toBe(1);
    bob.setActive('side');
    expect(bob.unread.get('side')).toBe(0);
    // Hidden window: even the active room counts.
    bob.setViewing(false);
    ana.send('while hidden');
    await until(() => bob.unread.get('side') === 1, 3000, 'hidden unread');
  });

  it('marks a refused message failed and lets the user retry or discard it', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    await ana.start();
    await ana.joinRoom('temp', true);
    // Leave on the relay behind the model's back, then send into the room: NOT_IN_ROOM is permanent.
    ana.active.value = 'temp';
    await relay.io.in(ana.me.value ? `user:${ana.me.value.userId}` : '').socketsLeave('temp');
    ana.send('lost cause');
    await until(() => ana.outbox.list()[0]?.state === 'failed', 3000, 'failed');
    const entry = ana.conversation('temp')!.timeline.entries().find((e) => e.kind === 'pending');
    expect(entry).toMatchObject({ status: 'failed' });
    ana.discard(ana.outbox.list()[0]!.clientId);
    expect(ana.outbox.list()).toHaveLength(0);
    expect(ana.conversation('temp')!.timeline.entries().some((e) => e.kind === 'pending')).toBe(false);
  });

  it('opens DMs and shows them only to the two parties', async () => {
    const relay = await relayOn();
    const [ana, bob, cy] = [client(relay.url, 'ana'), client(relay.url, 'bob'), client(relay.url, 'cy')];
    for (const c of [ana, bob, cy]) await c.start();
    await until(() => ana.conversation('lobby')!.presence.size === 3, 3000, 'presence');
    const bobUser = ana.conversation('lobby')!.presence.list().find((u) => u.username === 'bob')!;
    ana.openDm(bobUser);
    ana.send('secret');
    const dmId = ana.active.value;
    await until(() => bob.conversation(dmId) !== undefined && texts(bob, dmId).includes('secret'), 3000, 'bob dm');
    expect(bob.conversation(dmId)!.title).toBe('ana');
    expect(bob.unread.get(dmId)).toBe(1);
    expect(cy.conversation(dmId)).toBeUndefined();
  });
});

describe('ChatClient hole repair', () => {
  it('fetches a message whose live delivery was lost, once a later one shows the hole', async () => {
    const relay = await relayOn();
    const ana = client(relay.url, 'ana');
    const bob = client(relay.url, 'bob');
    await ana.start();
    // A room that never had a message has no seq yet to count from; this one has.
    ana.send('first');
    await until(() => texts(ana).includes('first'), 3000, 'first stored');
    await bob.start();
    // Lose one frame on the way to bob, as a broadcast from another instance can be lost while that
    // instance's link to Redis blinks: bob's engine.io socket silently drops it.
    const sockets = await relay.io.fetchSockets();
    const bobSocket = relay.io.sockets.sockets.get(sockets.find((s) => s.data.username === 'bob')!.id)!;
    const conn = bobSocket.conn as unknown as { write: (data: unknown, ...rest: unknown[]) => unknown };
    const write = conn.write.bind(conn);
    let dropped = 0;
    conn.write = (data, ...rest) => {
      // Only the live broadcast: the history page that repairs the hole carries the same text.
      if (dropped === 0 && typeof data === 'string' && data.includes('lost in transit')) {
        dropped++;
        return conn;
      }
      return write(data, ...rest);
    };
    ana.send('lost in transit');
    await until(() => texts(ana).includes('lost in transit'), 3000, 'ana ack');
    expect(dropped).toBe(1);
    expect(texts(bob)).not.toContain('lost in transit');
    ana.send('next one');
    await until(() => texts(bob).includes('next one'), 3000, 'bob gets the next one');
    expect(bob.conversation('lobby')!.timeline.hasHole).toBe(true);
    await until(() => texts(bob).includes('lost in transit'), 4000, 'bob repairs the hole');
    expect(texts(bob).slice(-2)).toEqual(['lost in transit', 'next one']);
    expect(bob.conversation('lobby')!.timeline.hasHole).toBe(false);
  });
});
