/**
 * The relay's broadcast tuning (server/chat/fast-broadcast.ts) against the installed socket.io-adapter:
 * the same recipients as the stock adapter, each once, and one pre-joined WebSocket frame per broadcast.
 * It relies on adapter internals, so this pins them: an upgrade that changes them fails here.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { batchTransportWrites, TurnFlusher, tuneBroadcasts } from '../../server/chat/fast-broadcast';
import { classicClient, connected, parleyClient, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

interface Delivery {
  to: string;
  frame: unknown;
}

/** A real in-memory adapter of a real (unbound) Socket.IO server, with fake sockets that record writes. */
function adapterWith(members: Record<string, string[]>, tuned: boolean) {
  const io = new Server();
  const nsp = io.of('/');
  const adapter = nsp.adapter;
  const delivered: Delivery[] = [];
  for (const [id, rooms] of Object.entries(members)) {
    const socket = { id, client: { writeToEngine: (_p: unknown, opts: { wsPreEncodedFrame?: unknown }) => delivered.push({ to: id, frame: opts.wsPreEncodedFrame }) } };
    (nsp.sockets as Map<string, unknown>).set(id, socket);
    void adapter.addAll(id, new Set([id, ...rooms]));
  }
  if (tuned) tuneBroadcasts(adapter);
  const broadcast = (rooms: string[], except: string[] = []) => {
    delivered.length = 0;
    adapter.broadcast({ type: 2, data: ['new message', { text: 'hi' }], nsp: '/' }, { rooms: new Set(rooms), except: new Set(except) });
    return delivered.map((d) => d.to).sort();
  };
  // Never attached to an HTTP server: nothing to close.
  return { broadcast, delivered };
}

const MEMBERS = { a: ['lobby', 'user:1'], b: ['lobby', 'user:2', 'dev'], c: ['lobby', 'user:2'], d: ['dev'] };

describe('tuned broadcasts', () => {
  it.each([
    ['one room', ['lobby'], []],
    ['one room except the sender', ['lobby'], ['a']],
    ['one room except a room', ['lobby'], ['user:2']],
    ['two overlapping rooms (a DM to both parties)', ['user:1', 'user:2'], ['c']],
    ['two rooms sharing a member', ['lobby', 'dev'], []],
    ['a room nobody is in', ['nowhere'], []],
  ])('reach the same sockets as Socket.IO: %s', (_what, rooms, except) => {
    const stock = adapterWith(MEMBERS, false);
    const tuned = adapterWith(MEMBERS, true);
    expect(tuned.broadcast(rooms, except)).toEqual(stock.broadcast(rooms, except));
  });

  it('hand every recipient the same single-buffer WebSocket frame, byte for byte what Socket.IO pre-encodes', () => {
    const stock = adapterWith(MEMBERS, false);
    const tuned = adapterWith(MEMBERS, true);
    stock.broadcast(['lobby']);
    tuned.broadcast(['lobby']);
    const original = stock.delivered[0]!.frame as Buffer[];
    expect(original).toHaveLength(2);
    const frames = tuned.delivered.map((d) => d.frame as Buffer[]);
    for (const frame of frames) {
      expect(frame).toHaveLength(1);
      expect(frame[0]).toBe(frames[0]![0]);
    }
    expect(frames[0]![0]!.equals(Buffer.concat(original))).toBe(true);
  });
});

/** Stands in for engine.io's WebSocket transport class: records how many packets each send got and whether the TCP socket was corked. */
class FakeWsTransport {
  name = 'websocket';
  corked = 0;
  readonly sends: { packets: number; corked: number }[] = [];
  socket = { _socket: { cork: () => void this.corked++, uncork: () => void this.corked-- } };
  send(packets: unknown[]): void {
    this.sends.push({ packets: packets.length, corked: this.corked });
  }
}

/** An engine with batchTransportWrites installed (its own flusher, as each relay has), and these sockets connected to it in order. */
function connectAll(...sockets: object[]): TurnFlusher {
  const engine = new EventEmitter();
  const flusher = new TurnFlusher();
  batchTransportWrites(engine as never, flusher);
  for (const socket of sockets) engine.emit('connection', socket);
  return flusher;
}

describe('batched transport writes', () => {
  it('cork the TCP socket around a backlog of packets, and only then', () => {
    const transport = new FakeWsTransport();
    connectAll(Object.assign(new EventEmitter(), { transport }));
    transport.send(['a']);
    transport.send(['a', 'b', 'c']);
    expect(transport.sends).toEqual([{ packets: 1, corked: 0 }, { packets: 3, corked: 1 }]);
    expect(transport.corked).toBe(0);
  });

  it('reach a WebSocket that a long-polling client upgrades to', () => {
    const socket = Object.assign(new EventEmitter(), { transport: { name: 'polling', send: () => undefined } });
    connectAll(socket);
    const upgraded = new FakeWsTransport();
    socket.emit('upgrade', upgraded);
    upgraded.send(['a', 'b']);
    expect(upgraded.sends).toEqual([{ packets: 2, corked: 1 }]);
  });

  it('find what they rely on in the installed engine.io and ws, for WebSocket-first and upgraded clients', async () => {
    const relay = await startRelay();
    const parley = parleyClient(relay.url);
    const classic = classicClient(relay.url);
    await Promise.all([connected(parley), connected(classic)]);
    // The classic client starts with long-polling; wait for its upgrade to a WebSocket.
    await until(() => classic.io.engine.transport.name === 'websocket', 5000, 'upgrade');
    type Raw = { transport: { name: string; send: unknown; socket: { _socket: { cork: unknown } } } };
    const raws = Object.values((relay.io.engine as unknown as { clients: object }).clients) as Raw[];
    await until(() => raws.every((raw) => raw.transport.name === 'websocket'), 5000, 'server-side upgrade');
    expect(raws).toHaveLength(2);
    for (const raw of raws) {
      expect(raw.transport.send).not.toBe(Object.getPrototypeOf(raw.transport).send);
      expect(typeof raw.transport.socket._socket.cork).toBe('function');
    }
  });
});

/** Stands in for an engine.io socket: counts the flushes that reach engine.io's own method. */
class FakeEngineSocket extends EventEmitter {
  transport = { name: 'polling', send: () => undefined };
  readonly log: string[] = [];
  flush(): void {
    this.log.push('flush');
  }
  closeTransport(discard?: boolean): void {
    this.log.push(`close ${discard}`);
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced flushes', () => {
  it('write what one turn of the event loop queued for a socket once, after the turn', async () => {
    const a = new FakeEngineSocket();
    const b = new FakeEngineSocket();
    connectAll(a, b);
    a.flush();
    a.flush();
    b.flush();
    a.flush();
    expect([a.log, b.log]).toEqual([[], []]);
    await nextTurn();
    expect([a.log, b.log]).toEqual([['flush'], ['flush']]);
    await nextTurn();
    expect(a.log).toEqual(['flush']);
  });

  it('flush what is pending before the relay closes a socket, and nothing after', async () => {
    const a = new FakeEngineSocket();
    connectAll(a);
    a.flush();
    a.closeTransport(true);
    await nextTurn();
    expect(a.log).toEqual(['flush', 'close true']);
  });

  it('close a socket whose write throws, and still flush the others', async () => {
    class Broken extends FakeEngineSocket {
      override flush(): void {
        throw new Error('write after end');
      }
    }
    const broken = new Broken();
    const fine = new FakeEngineSocket();
    connectAll(broken, fine);
    broken.flush();
    fine.flush();
    await nextTurn();
    expect(broken.log).toEqual(['close true']);
    expect(fine.log).toEqual(['flush']);
  });

  it("wait for a store reply that is due, and write what its handlers queue in the turn's flush", async () => {
    const a = new FakeEngineSocket();
    const b = new FakeEngineSocket();
    const flusher = connectAll(a, b);
    let answer!: () => void;
    // As messages.ts does: the reply's handler (the broadcast) is attached after flushAfter.
    void flusher.after(new Promise<void>((resolve) => (answer = resolve))).then(() => b.flush());
    a.flush();
    await nextTurn();
    expect(a.log).toEqual([]);
    answer();
    // The reply's handlers run first; the flush they release comes in the turn after this await's.
    await nextTurn();
    await nextTurn();
    expect([a.log, b.log]).toEqual([['flush'], ['flush']]);
  });

  it('wait a few ms at most for a reply that does not come, and never again for that one', async () => {
    const a = new FakeEngineSocket();
    const flusher = connectAll(a);
    void flusher.after(new Promise<void>(() => undefined));
    const start = performance.now();
    a.flush();
    await until(() => a.log.length === 1, 1000, 'the held flush');
    expect(performance.now() - start).toBeGreaterThanOrEqual(1);
    a.flush();
    await nextTurn();
    expect(a.log).toEqual(['flush', 'flush']);
  });

  it("hold only their own relay's flushes: a reply due on one relay does not delay another's", async () => {
    const a = new FakeEngineSocket();
    const b = new FakeEngineSocket();
    const relayA = connectAll(a);
    connectAll(b);
    void relayA.after(new Promise<void>(() => undefined)); // A waits for a store reply
    a.flush();
    b.flush();
    await nextTurn();
    expect(b.log).toEqual(['flush']); // B's flush is not held by A's reply
    expect(a.log).toEqual([]);
    await until(() => a.log.length === 1, 1000, "A's held flush");
  });

  it('send a burst to a real client as one multi-packet write, in order', async () => {
    const relay = await startRelay();
    const client = parleyClient(relay.url);
    await connected(client);
    type Raw = { transport: { send(packets: unknown[]): void } };
    const [raw] = Object.values((relay.io.engine as unknown as { clients: object }).clients) as Raw[];
    const sends: number[] = [];
    const send = raw!.transport.send;
    raw!.transport.send = function (this: unknown, packets: unknown[]) {
      sends.push(packets.length);
      send.call(this, packets);
    };
    const got: number[] = [];
    const all = new Promise<void>((resolve) => (client as unknown as { on(e: string, f: (n: number) => void): void }).on('burst', (n) => got.push(n) === 5 && resolve()));
    const io = relay.io as unknown as { emit(e: string, n: number): void };
    for (let n = 1; n <= 5; n++) io.emit('burst', n);
    expect(sends).toEqual([]);
    await all;
    expect(sends).toEqual([5]);
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the fast path switch', () => {
  it('off, the relay leaves Socket.IO stock: no adapter, transport or engine socket is patched, and chat works', async () => {
    const relay = await startRelay({ fastPath: false });
    const client = parleyClient(relay.url);
    await connected(client);
    const adapter = relay.io.of('/').adapter as unknown as { apply: unknown; _encode: unknown };
    const proto = Object.getPrototypeOf(adapter) as { apply: unknown; _encode: unknown };
    expect(adapter.apply).toBe(proto.apply);
    expect(adapter._encode).toBe(proto._encode);
    type Raw = { flush: unknown; transport: { send: unknown } };
    const [raw] = Object.values((relay.io.engine as unknown as { clients: object }).clients) as Raw[];
    expect(raw!.flush).toBe((Object.getPrototypeOf(raw) as Raw).flush);
    expect(raw!.transport.send).toBe((Object.getPrototypeOf(raw!.transport) as Raw['transport']).send);
  });

  it('on (the default), every patch is in place on a real relay', async () => {
    const relay = await startRelay();
    const client = parleyClient(relay.url);
    await connected(client);
    const adapter = relay.io.of('/').adapter as unknown as { apply: unknown; _encode: unknown };
    const proto = Object.getPrototypeOf(adapter) as { apply: unknown; _encode: unknown };
    expect(adapter.apply).not.toBe(proto.apply);
    expect(adapter._encode).not.toBe(proto._encode);
    type Raw = { flush: unknown; closeTransport: unknown; transport: { send: unknown } };
    const [raw] = Object.values((relay.io.engine as unknown as { clients: object }).clients) as Raw[];
    expect(raw!.flush).not.toBe((Object.getPrototypeOf(raw) as Raw).flush);
    expect(raw!.closeTransport).not.toBe((Object.getPrototypeOf(raw) as Raw).closeTransport);
    expect(raw!.transport.send).not.toBe((Object.getPrototypeOf(raw!.transport) as Raw['transport']).send);
  });
});
