/**
 * Threat: malformed packets. A client skips the client library and writes Engine.IO / Socket.IO
 * packets by hand to crash the relay (an uncaught exception kills every session), to corrupt state
 * (prototype pollution, half-built binary packets), or to slip invalid data into history.
 *
 * Expected behaviour for every case: the relay stays up; the offender at most loses its own
 * connection (and if it keeps it, the connection still works: a valid request gets its answer);
 * other clients keep chatting; history holds nothing the offender sent. The parser rejects what it
 * cannot decode (socket.io-parser: ≤ 10 attachments, placeholder indexes checked), the relay's
 * schemas reject what decodes but is not a valid payload, and unknown events are dropped.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/index';
import type { Relay } from '../../server/index';
import { newKey, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';
import { assertUnaffected, bystanders, type Bystanders } from './support/bystanders';
import { pollingPath, rawHttp, RawPolling, RawSocket } from './support/raw';

useRelayCleanup();

type Outcome = 'closed' | 'alive';
interface Case {
  name: string;
  frames: (string | Buffer)[];
  /** What the relay does with the offender; omitted when either is acceptable. */
  outcome?: Outcome;
  /** A reply frame the offender must get (prefix match). */
  reply?: string;
}

let nick = 0;

/** A raw WebSocket, connected and logged in, so that a payload the relay wrongly accepted would be stored. */
async function offender(relay: Relay): Promise<RawSocket> {
  const { socket, reply } = await RawSocket.connect(relay.port!, { client: 'parley', protocol: 1, key: newKey() });
  expect(reply).toMatch(/^40/);
  expect(await socket.request('add user', { username: `mal${++nick}` })).toMatchObject([{ ok: true }]);
  return socket;
}

/**
 * Closed by the relay, or still working: after the bad frames, a valid request must get its answer
 * or the connection must close. A connection left open but no longer answering would be a bug.
 */
async function settle(socket: RawSocket): Promise<Outcome> {
  if (await socket.closesWithin(250)) return 'closed';
  const ack = socket.waitFor((f) => f.startsWith('43777['), 2000).then(() => 'alive' as const);
  socket.sendRaw('42777["room:list"]');
  const result = await Promise.race([ack, socket.closed.then(() => 'closed' as const)]).catch(() => 'hung' as const);
  expect(result, 'the connection neither answered nor closed').not.toBe('hung');
  return result as Outcome;
}

async function runCases(relay: Relay, world: Bystanders, cases: Case[], alsoStored: string[] = []): Promise<void> {
  for (const c of cases) {
    const socket = await offender(relay);
    const before = socket.frames.length;
    for (const f of c.frames) socket.sendRaw(f);
    const outcome = await settle(socket);
    if (c.outcome) expect(outcome, c.name).toBe(c.outcome);
    if (c.reply) expect(socket.frames.slice(before).some((f) => f.startsWith(c.reply!)), `${c.name}: reply ${c.reply}`).toBe(true);
    socket.close();
    expect(world.ana.connected && world.bob.connected, `${c.name}: bystanders still connected`).toBe(true);
  }
  await until(() => relay.io.engine.clientsCount === 2, 3000, 'offender connections gone');
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.prototype).not.toHaveProperty('text');
  await assertUnaffected(relay, world, alsoStored);
}

const bin = (s: string) => Buffer.from(s);
const INVALID = `42["parley:error",{"code":"${ErrorCode.INVALID_PAYLOAD}"`;

describe('malformed packets over a raw WebSocket (EIO=4)', () => {
  it('bad event names: unknown, non-string, reserved, prototype names, huge', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      { name: 'unknown name', frames: ['42["no such event","x"]'], outcome: 'alive' },
      { name: 'unknown name with ack', frames: ['4212["no such event"]'], outcome: 'alive', reply: `4312[{"ok":false,"code":"${ErrorCode.INVALID_PAYLOAD}"` },
      { name: 'numeric name', frames: ['42[123,"x"]'], outcome: 'alive' },
      { name: 'null name', frames: ['42[null]'], outcome: 'closed' },
      { name: 'object name', frames: ['42[{}]'], outcome: 'closed' },
      { name: 'array name', frames: ['42[["new message"],"x"]'], outcome: 'closed' },
      { name: 'no name', frames: ['42[]'], outcome: 'closed' },
      { name: 'object instead of array', frames: ['42{"0":"new message"}'], outcome: 'closed' },
      { name: 'string instead of array', frames: ['42"new message"'], outcome: 'closed' },
      { name: 'reserved: disconnect', frames: ['42["disconnect"]'], outcome: 'closed' },
      { name: 'reserved: connect', frames: ['42["connect"]'], outcome: 'closed' },
      { name: 'reserved: newListener', frames: ['42["newListener","new message"]'], outcome: 'closed' },
      { name: 'server-side name: error', frames: ['42["error","boom"]'], outcome: 'alive' },
      { name: 'server-side name: disconnecting', frames: ['42["disconnecting"]'], outcome: 'closed' },
      { name: '__proto__', frames: ['42["__proto__",{"polluted":true}]'], outcome: 'alive' },
      { name: 'constructor', frames: ['42["constructor",{}]'], outcome: 'alive' },
      { name: 'hasOwnProperty', frames: ['42["hasOwnProperty","x"]'], outcome: 'alive' },
      { name: 'huge name (60 KB)', frames: [`42["${'a'.repeat(60_000)}","x"]`], outcome: 'alive' },
      { name: 'name with control characters', frames: ['42["new\\u0000message","x"]'], outcome: 'alive' },
    ]);
  });

  it('binary placeholder type confusion: placeholders without attachments, absurd or negative indexes, binary where text is expected', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      // Announces one attachment and never sends it, then a text frame: the parser refuses to mix them.
      { name: '451- without its attachment, then text', frames: ['451-["new message",{"_placeholder":true,"num":0}]', '42["new message",{"text":"x"}]'], outcome: 'closed' },
      // Never sends it at all: the half-built packet (≤ 64 KiB) waits; the next text frame closes the connection.
      { name: '451- without its attachment', frames: ['451-["new message",{"_placeholder":true,"num":0}]'], outcome: 'closed' },
      // A placeholder object in a plain (non-binary) event is just an object: the schema refuses it.
      { name: 'placeholder in a text event', frames: ['42["new message",{"_placeholder":true,"num":0}]'], outcome: 'alive', reply: INVALID },
      { name: 'placeholder index 99999', frames: ['451-["new message",{"_placeholder":true,"num":99999}]', bin('x')], outcome: 'closed' },
      { name: 'placeholder index -1', frames: ['451-["new message",{"_placeholder":true,"num":-1}]', bin('x')], outcome: 'closed' },
      { name: 'placeholder index "0"', frames: ['451-["new message",{"_placeholder":true,"num":"0"}]', bin('x')], outcome: 'closed' },
      { name: 'placeholder index 1e308', frames: ['451-["new message",{"_placeholder":true,"num":1e308}]', bin('x')], outcome: 'closed' },
      // A well-formed binary event whose text is a Buffer: decoded fine, refused by the schema, nothing stored.
      { name: 'binary as the text', frames: ['451-["new message",{"text":{"_placeholder":true,"num":0}}]', bin('hello')], outcome: 'alive', reply: INVALID },
      { name: 'binary as the nickname', frames: ['451-["add user",{"_placeholder":true,"num":0}]', bin('bob')], outcome: 'alive' },
      { name: 'binary frame with no packet announced', frames: [bin('rawbytes')], outcome: 'closed' },
      { name: 'binary ack for an unknown id', frames: ['461-999[{"_placeholder":true,"num":0}]', bin('x')], outcome: 'alive' },
    ]);
  });

  it('absurd or malformed attachment counts', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const before = process.memoryUsage().heapUsed;
    await runCases(relay, world, [
      { name: '4599999- (99,999 attachments)', frames: ['4599999-["new message","x"]'], outcome: 'closed' },
      { name: '45 then 2^53 attachments', frames: ['459007199254740993-["new message","x"]'], outcome: 'closed' },
      { name: '11 attachments (over the parser limit of 10)', frames: ['4511-["new message","x"]', ...Array.from({ length: 11 }, () => bin('x'))], outcome: 'closed' },
      { name: '0 attachments', frames: ['450-["new message","x"]'], outcome: 'closed' },
      { name: 'negative count', frames: ['45-1-["new message","x"]'], outcome: 'closed' },
      { name: 'exponent count', frames: ['451e5-["new message","x"]'], outcome: 'closed' },
      { name: 'count without dash', frames: ['451["new message","x"]'], outcome: 'closed' },
      { name: 'non-numeric count', frames: ['45abc-["new message","x"]'], outcome: 'closed' },
      { name: 'attachments on a binary ack', frames: ['4699999-1[{}]'], outcome: 'closed' },
    ]);
    // Nothing was allocated for the attachments that were announced.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('truncated JSON and invalid Engine.IO / Socket.IO packet types', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      { name: 'truncated string', frames: ['42["new message","abc'], outcome: 'closed' },
      { name: 'truncated array', frames: ['42['], outcome: 'closed' },
      { name: 'truncated object', frames: ['42["new message",{"text":"x"'], outcome: 'closed' },
      { name: 'trailing garbage', frames: ['42["new message",{"text":"x"}]]]'], outcome: 'closed' },
      { name: 'NaN literal', frames: ['42["new message",NaN]'], outcome: 'closed' },
      { name: 'deep nesting', frames: [`42["new message",${'['.repeat(5000)}${']'.repeat(5000)}]`], outcome: 'alive', reply: INVALID },
      { name: 'Socket.IO type missing', frames: ['4'], outcome: 'closed' },
      { name: 'Socket.IO type 7', frames: ['47[]'], outcome: 'closed' },
      { name: 'Socket.IO type 9', frames: ['49'], outcome: 'closed' },
      { name: 'Socket.IO type x', frames: ['4x'], outcome: 'closed' },
      { name: 'CONNECT_ERROR from a client', frames: ['44{"message":"x"}'], outcome: 'closed' },
      { name: 'Engine.IO type 9', frames: ['9'], outcome: 'closed' },
      { name: 'Engine.IO type x', frames: ['x'], outcome: 'closed' },
      { name: 'empty frame', frames: [''], outcome: 'closed' },
      { name: 'ping from a client (EIO=4 pings come from the server)', frames: ['2'], outcome: 'closed' },
      { name: 'unsolicited pong', frames: ['3'], outcome: 'alive' },
      { name: 'upgrade without a probe', frames: ['5'], outcome: 'alive' },
      { name: 'noop', frames: ['6'], outcome: 'alive' },
      { name: 'NUL bytes', frames: ['4\u0000\u0000'], outcome: 'closed' },
    ]);
  });

  it('namespace confusion', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      { name: 'connect to a namespace that does not exist', frames: ['40/admin,'], outcome: 'alive', reply: '44/admin,{"message":"Invalid namespace"}' },
      { name: 'path-like namespace', frames: ['40/../,{}'], outcome: 'alive', reply: '44/../,' },
      { name: 'event to a namespace not connected', frames: ['42/admin,["new message",{"text":"x"}]'], outcome: 'closed' },
      // "/," is the main namespace written out: the same rules apply to what it carries.
      { name: 'main namespace spelled out', frames: ['42/,["new message",42]'], outcome: 'alive', reply: INVALID },
      { name: 'second CONNECT to the main namespace', frames: ['40'], outcome: 'closed' },
      { name: 'namespace without its comma', frames: ['42/admin["x"]'], outcome: 'closed' },
      { name: 'disconnect, then an event', frames: ['41', '42["new message",{"text":"after disconnect"}]'], outcome: 'closed' },
    ]);
  });

  it('ack ids out of range, and acks for ids the relay never sent', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      // The relay answers ack id 1e22 with a frame the sender's parser may not read; nothing else happens.
      { name: 'ack id 10^22', frames: ['4210000000000000000000000["room:list"]'], outcome: 'alive', reply: '43' },
      { name: 'ack id 2^53+1', frames: ['429007199254740993["room:list"]'], outcome: 'alive', reply: '439007199254740992[' },
      { name: 'fractional ack id', frames: ['421.5["room:list"]'], outcome: 'closed' },
      { name: 'negative ack id', frames: ['42-1["room:list"]'], outcome: 'closed' },
      { name: 'ack for an unknown id', frames: ['43999[{"ok":true}]'], outcome: 'alive' },
      { name: 'ack with a non-array payload', frames: ['43999{"ok":true}'], outcome: 'closed' },
      { name: 'the same ack id twice', frames: ['425["room:list"]', '425["room:list"]'], outcome: 'alive', reply: '435[' },
    ]);
  });

  it('prototype-pollution and shape-confusion payloads are refused by the schemas and pollute nothing', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    await runCases(relay, world, [
      { name: '__proto__ carrying text', frames: ['42["new message",{"__proto__":{"text":"polluted"}}]'], outcome: 'alive', reply: INVALID },
      { name: 'constructor.prototype', frames: ['42["new message",{"text":"ok?","constructor":{"prototype":{"polluted":true}}}]'], outcome: 'alive' },
      { name: 'text as an array', frames: ['42["new message",{"text":["a","b"]}]'], outcome: 'alive', reply: INVALID },
      { name: 'text as an object with toString', frames: ['42["new message",{"text":{"toString":"x"}}]'], outcome: 'alive', reply: INVALID },
      { name: 'room as an object', frames: ['42["new message",{"text":"x","room":{"$ne":null}}]'], outcome: 'alive', reply: INVALID },
      { name: 'a number beyond any seq (10^400)', frames: [`42["history:fetch",{"room":"lobby","afterSeq":${'9'.repeat(400)}}]`], outcome: 'alive', reply: INVALID },
    ], ['ok?']);
    // "ok?" was a valid message with an extra field (stripped): the only one of these stored, once.
    expect((await relay.stores.history.page('lobby', { limit: 100 })).messages.filter((m) => m.message === 'ok?')).toHaveLength(1);
  });
});

describe('malformed HTTP long-polling', () => {
  /** After a garbage POST, the session either is closed (400 / close packet) or still answers a valid request. */
  async function pollOutcome(session: RawPolling): Promise<Outcome> {
    await session.post('42777["room:list"]').catch(() => undefined);
    for (let i = 0; i < 4; i++) {
      const res = await session.poll(2000);
      if (res.status === 400) return 'closed';
      expect(res.status).toBe(200);
      if (res.body.includes('43777[')) return 'alive';
      if (res.body.split('\x1e').includes('1')) return 'closed';
    }
    throw new Error('the session neither answered nor closed');
  }

  it('garbage POST bodies close at most the sender’s session', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const cases: { name: string; body: string | Buffer; headers?: Record<string, string>; outcome?: Outcome }[] = [
      { name: 'empty body', body: '', outcome: 'closed' },
      { name: 'garbage', body: 'garbage', outcome: 'closed' },
      { name: 'separators only', body: '\x1e\x1e\x1e', outcome: 'closed' },
      { name: 'truncated event', body: '42["new message"', outcome: 'closed' },
      { name: 'message packet without Socket.IO type', body: '4', outcome: 'closed' },
      { name: 'bad base64 binary', body: 'b!!!' },
      { name: 'invalid UTF-8', body: Buffer.from([0xff, 0xfe, 0x34, 0x32]), outcome: 'closed' },
      { name: 'octet-stream body (binary POSTs do not exist in EIO=4)', body: Buffer.from([1, 2, 3]), headers: { 'content-type': 'application/octet-stream' }, outcome: 'closed' },
      { name: 'close packet', body: '1', outcome: 'closed' },
      { name: 'absurd attachment count', body: '4599999-["new message","x"]', outcome: 'closed' },
      { name: 'placeholder without attachment', body: '451-["new message",{"_placeholder":true,"num":0}]', outcome: 'closed' },
      { name: '1,000 unknown events in one body: charged, the flood cut applies', body: Array.from({ length: 1000 }, () => '42["no such event"]').join('\x1e'), outcome: 'closed' },
      { name: '20,000 noops', body: Array.from({ length: 20_000 }, () => '6').join('\x1e'), outcome: 'alive' },
      { name: 'valid and invalid packets mixed', body: ['42["new message",42]', '42["new message",{"text":"' + 'x'.repeat(5000) + '"}]'].join('\x1e'), outcome: 'alive' },
    ];
    for (const c of cases) {
      const { session, reply } = await RawPolling.connect(relay.port!, { client: 'parley', protocol: 1, key: newKey() });
      expect(reply).toMatch(/^40/);
      expect((await session.post(`420${JSON.stringify(['add user', { username: `poll${++nick}` }])}`)).status).toBe(200);
      const res = await session.post(c.body, c.headers ? { headers: c.headers } : {});
      expect([200, 400], c.name).toContain(res.status);
      const outcome = await pollOutcome(session);
      if (c.outcome) expect(outcome, c.name).toBe(c.outcome);
      expect(world.ana.connected && world.bob.connected, c.name).toBe(true);
    }
    await until(() => relay.io.engine.clientsCount <= 4, 3000, 'garbage sessions closed');
    expect(Object.prototype).not.toHaveProperty('polluted');
    await assertUnaffected(relay, world);
  });

  it('malformed transport requests are refused without touching other sessions: bad EIO version, unknown transport, unknown or repeated sid, overlapping polls', async () => {
    const relay = await startRelay();
    const world = await bystanders(relay);
    const port = relay.port!;
    const refused = async (method: string, path: string, body?: string) => {
      const res = await rawHttp(port, method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path}`).toBe(400);
    };
    await refused('GET', '/socket.io/?EIO=3&transport=polling');
    await refused('GET', '/socket.io/?EIO=5&transport=polling');
    await refused('GET', '/socket.io/?transport=polling');
    await refused('GET', '/socket.io/?EIO=4&transport=flashsocket');
    await refused('GET', '/socket.io/?EIO=4&transport=polling&sid=a&sid=b');
    await refused('GET', pollingPath('no-such-session'));
    await refused('POST', pollingPath('no-such-session'), '42["new message","x"]');
    await refused('POST', pollingPath(), '42["new message","x"]');
    // Two polls at once on one session close that session, and only it.
    const { session } = await RawPolling.connect(port);
    const [a, b] = await Promise.all([session.poll(3000), session.poll(3000)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect((await session.poll(3000)).status).toBe(400);
    // A GET on the WebSocket path without an upgrade is not a WebSocket.
    expect((await rawHttp(port, 'GET', '/socket.io/?EIO=4&transport=websocket')).status).toBe(400);
    await until(() => relay.io.engine.clientsCount === 2, 3000, 'only the bystanders');
    await assertUnaffected(relay, world);
  });
});
