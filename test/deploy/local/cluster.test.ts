/**
 * The local cloud topology (deploy/local): redis-server + 3 relay processes + HAProxy with sticky
 * sessions. Clients connect through the proxy only, as they would to App Service or App Gateway.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { io } from 'socket.io-client';
import { startLocalCluster, type LocalCluster } from '../../../deploy/local/cluster';
import { PROTOCOL_VERSION, type LoginOk, type AckResult, type SendOk } from '../../../protocol/index';
import { ChatClient } from '../../../renderer/model/chat-client';
import { newUserKey } from '../../../renderer/model/ids';
import { closeAllClients, collect, next, until, type TestSocket } from '../../helpers/clients';
import { httpGet } from '../../helpers/net';

let cluster: LocalCluster;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  // The suite's build step made it; build only when this file runs alone (rebuilding would pull the
  // file from under other test files running the CLI at the same time).
  if (!existsSync('dist/server/cli.js')) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
  cluster = await startLocalCluster({ instances: 3, env: { PRESENCE_TTL_MS: '3000', LOG_LEVEL: 'warn' } });
}, 60_000);

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  // Let presence settle before the next test counts users.
  await new Promise((r) => setTimeout(r, 300));
});

afterAll(async () => {
  closeAllClients();
  for (const s of sockets) s.disconnect();
  await cluster?.stop();
});

function client(transports: ('polling' | 'websocket')[], username: string): Promise<{ socket: TestSocket; login: LoginOk }> {
  const socket: TestSocket = io(cluster.url, {
    transports,
    upgrade: false,
    forceNew: true,
    reconnection: false,
    // Node's engine.io-client keeps cookies only with this: needed for the affinity cookie.
    withCredentials: true,
    auth: { client: 'parley', protocol: PROTOCOL_VERSION, key: newUserKey() },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      void (socket.timeout(5000).emitWithAck('add user', { username }) as Promise<AckResult<LoginOk>>).then((res) =>
        res.ok ? resolve({ socket, login: res }) : reject(new Error(res.message)),
      );
    });
  });
}

/** Which instance serves how many engine.io connections, straight from each relay's /healthz. */
async function spread(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const inst of cluster.instances) {
    try {
      out[inst.name] = JSON.parse((await httpGet({ port: inst.port }, '/healthz')).body).connections as number;
    } catch {
      out[inst.name] = -1;
    }
  }
  return out;
}

describe('local cloud topology behind HAProxy', () => {
  it('spreads clients over instances; they chat and see exact counts; polling works with affinity, websocket without', async () => {
    const users = await Promise.all([
      client(['websocket'], 'ws1'),
      client(['websocket'], 'ws2'),
      client(['websocket'], 'ws3'),
      client(['polling'], 'poll1'),
      client(['polling'], 'poll2'),
      client(['polling'], 'poll3'),
    ]);
    const counts = await spread();
    expect(Object.values(counts).filter((n) => n > 0).length, JSON.stringify(counts)).toBeGreaterThanOrEqual(2);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(6);
    // Logins ran concurrently: the last one to complete saw everyone.
    expect(Math.max(...users.map((u) => u.login.numUsers))).toBe(6);

    // A polling client's message reaches a websocket client (and vice versa) whatever the instances.
    const wsGets = next(users[0]!.socket, 'new message');
    const ack = (await users[4]!.socket.timeout(5000).emitWithAck('new message', { text: 'from polling' })) as AckResult<SendOk>;
    expect(ack.ok).toBe(true);
    expect(await wsGets).toMatchObject({ message: 'from polling' });
    const pollGot = collect(users[3]!.socket, 'new message');
    users[1]!.socket.emit('new message', { text: 'from websocket' });
    await until(() => pollGot.some((m) => m.message === 'from websocket'), 5000, 'polling client receives');
    const list = (await users[2]!.socket.timeout(5000).emitWithAck('users:list', { room: 'lobby' })) as AckResult<{ numUsers: number }>;
    expect(list.ok && list.numUsers).toBe(6);
  });

  it('moves the clients of a killed instance to the others without losing acknowledged messages', async () => {
    const ana = new ChatClient({ url: cluster.url, nickname: 'ana', key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 3000 });
    const bob = new ChatClient({ url: cluster.url, nickname: 'bob', key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 3000 });
    try {
      await ana.start();
      await bob.start();
      for (let i = 0; i < 5; i++) ana.send(`before ${i}`);
      await until(() => ana.outbox.queuedCount === 0, 10_000, 'acks before');
      // Kill the instance ana is on (the only one with a connection besides bob's).
      const before = await spread();
      const victim = cluster.instances.find((i) => (before[i.name] ?? 0) > 0)!;
      await cluster.killInstance(victim.name);
      for (let i = 0; i < 5; i++) ana.send(`after ${i}`);
      await until(() => ana.status.value === 'online' && bob.status.value === 'online' && ana.outbox.queuedCount === 0, 20_000, 'reconnect and resend');
      const texts = (c: ChatClient) =>
        c.conversation('lobby')!.timeline.entries().flatMap((e) => (e.kind === 'message' && e.msg.username === 'ana' ? [e.msg.message] : []));
      await until(() => texts(bob).length === 10, 10_000, 'bob has all ten');
      expect(texts(bob)).toEqual([...[0, 1, 2, 3, 4].map((i) => `before ${i}`), ...[0, 1, 2, 3, 4].map((i) => `after ${i}`)]);
      expect(texts(ana)).toEqual(texts(bob));
      // The dead instance's sessions leave presence once its heartbeat expires (3 s here).
      const lobby = bob.conversation('lobby')!.presence;
      await until(() => lobby.size === 2 && !lobby.outOfSync, 10_000, `no ghosts (size ${lobby.size}, relay says ${lobby.reportedCount}: ${lobby.list().map((u) => u.username).join(',')})`);
      await cluster.startInstance(victim.name);
    } finally {
      ana.close();
      bob.close();
    }
  });
});
