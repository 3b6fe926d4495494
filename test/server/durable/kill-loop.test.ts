/**
 * Acknowledged means committed: the built relay (`dist/server/cli.js`, history under DATA_DIR) is
 * killed with SIGKILL at random moments while ten users send as fast as the relay lets them, then
 * started again on the same folder. After every restart each acknowledged message is in history
 * exactly once, with the id and seq it was acknowledged with, in each sender's order; messages whose
 * ack the kill swallowed are resent with the same client id (as an outbox does) and stored once.
 *
 * KILL_LOOP_ROUNDS overrides the number of kills (default 50, the figure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, HistoryPage, SendOk } from '../../../protocol/index';
import { HISTORY_PAGE_MAX } from '../../../protocol/index';
import { closeAllClients, loggedIn, newKey, request, type TestSocket } from '../../helpers/clients';
import { RelayProcess } from '../../helpers/cluster';
import { ensureCli } from '../../security/support/cli';

const ROUNDS = Number(process.env.KILL_LOOP_ROUNDS ?? 50);
const USERS = 10;
const dir = mkdtempSync(join(tmpdir(), 'parley-kill-loop-'));

interface Sent {
  clientId: string;
  text: string;
  ack?: { id: string; seq: number };
}

interface User {
  key: string;
  name: string;
  userId?: string;
  sent: Sent[];
  counter: number;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every message of the lobby, oldest first, paging back from the newest. */
async function wholeHistory(socket: TestSocket): Promise<ChatMessage[]> {
  const pages: ChatMessage[][] = [];
  let before: number | undefined;
  for (;;) {
    const res = await request<HistoryPage>(socket, 'history:fetch', { room: 'lobby', limit: HISTORY_PAGE_MAX, ...(before === undefined ? {} : { beforeSeq: before }) });
    if (!res.ok) throw new Error(`history:fetch failed: ${res.code}`);
    pages.unshift(res.messages);
    if (!res.hasMore || res.messages.length === 0) break;
    before = res.messages[0]!.seq;
  }
  return pages.flat();
}

/** Sends one user's messages one after another (resends first) until the socket goes. */
async function sendLoop(socket: TestSocket, user: User): Promise<void> {
  const pending = user.sent.filter((s) => !s.ack);
  for (;;) {
    const item = pending.shift() ?? { clientId: `${user.name}-${String(user.counter++).padStart(6, '0')}`, text: `${user.name} says ${user.counter}` };
    if (!user.sent.includes(item)) user.sent.push(item);
    let res;
    try {
      res = await request<SendOk>(socket, 'new message', { text: item.text, clientId: item.clientId });
    } catch {
      return; // killed: no ack
    }
    if (res.ok) item.ack = { id: res.id, seq: res.seq };
    else if (res.code !== 'RATE_LIMITED') throw new Error(`send refused: ${res.code} ${res.message}`);
    else {
      pending.unshift(item);
      await new Promise((r) => setTimeout(r, res.retryAfterMs ?? 100));
    }
    if (!socket.connected) return;
  }
}

function check(history: ChatMessage[], users: User[]): number {
  const seqs = history.map((m) => m.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  const byKey = new Map<string, ChatMessage[]>();
  for (const m of history) {
    const k = `${m.userId}/${m.clientId}`;
    byKey.set(k, [...(byKey.get(k) ?? []), m]);
  }
  for (const [k, copies] of byKey) expect(copies.length, `stored once: ${k}`).toBe(1);
  let acked = 0;
  for (const user of users) {
    let last = 0;
    for (const s of user.sent) {
      if (!s.ack) continue;
      acked++;
      const stored = byKey.get(`${user.userId}/${s.clientId}`);
      expect(stored?.[0], `acknowledged ${s.clientId} is in history`).toMatchObject({ id: s.ack.id, seq: s.ack.seq, message: s.text });
      expect(s.ack.seq, `${user.name}'s messages keep their order`).toBeGreaterThan(last);
      last = s.ack.seq;
    }
  }
  return acked;
}

describe('SIGKILL under load', () => {
  it(`loses no acknowledged message over ${ROUNDS} kills at random moments, and stores none twice`, { timeout: 60_000 + ROUNDS * 6_000 }, async () => {
    ensureCli();
    const users: User[] = Array.from({ length: USERS }, (_, i) => ({ key: newKey(), name: `user${i}`, sent: [], counter: 0 }));
    const env = { DATA_DIR: dir, HISTORY_LIMIT: '100000', LOG_LEVEL: 'warn' };
    let acked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const relay = await RelayProcess.start(env);
      try {
        const sockets = await Promise.all(users.map((u) => loggedIn(relay.url, u.name, { key: u.key })));
        sockets.forEach(({ login }, i) => (users[i]!.userId = login.userId));
        // After every restart: all that was acknowledged before is there, once, in order.
        acked = check(await wholeHistory(sockets[0]!.socket), users);
        const loops = sockets.map(({ socket }, i) => sendLoop(socket, users[i]!));
        // Kill once some messages of this round were acknowledged, then at a random moment.
        const before = users.reduce((n, u) => n + u.sent.filter((s) => s.ack).length, 0);
        while (users.reduce((n, u) => n + u.sent.filter((s) => s.ack).length, 0) < before + USERS) await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, Math.random() * 150));
        await relay.kill('SIGKILL');
        await Promise.all(loops);
      } finally {
        closeAllClients();
        await relay.kill('SIGKILL');
      }
    }
    const relay = await RelayProcess.start(env);
    try {
      const { socket } = await loggedIn(relay.url, 'checker');
      const finalAcked = check(await wholeHistory(socket), users);
      expect(finalAcked).toBeGreaterThanOrEqual(acked);
      console.log(`[kill-loop] ${ROUNDS} SIGKILLs, ${finalAcked} acknowledged messages, all present once and in order`);
    } finally {
      closeAllClients();
      await relay.kill('SIGTERM');
    }
  });
});
