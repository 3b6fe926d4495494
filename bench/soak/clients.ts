/**
 * The simulated clients: steady ones that chat until the end, churning ones that keep leaving and
 * rejoining as new users, and the record of every message handed to an outbox.
 */
import { ChatClient } from '../../renderer/model/chat-client';
import { newUserKey } from '../../renderer/model/ids';
import { CLIENTS, INTERVAL_S } from './options';
import { nextGap, rand, sleep } from './util';

interface SentRecord {
  text: string;
  clientId: string;
  sender: Sim;
  at: number;
}
export interface Sim {
  name: string;
  role: 'steady' | 'churn';
  chat: ChatClient;
  userId?: string;
  left: boolean;
}

export const sims: Sim[] = [];
export const sent: SentRecord[] = [];
let sending = false;
let sentSeq = 0;
export let joins = 0;
export let leaves = 0;
export let startFailures = 0;

/** Starts a ChatClient, retrying (with a new instance) until it is logged in. */
async function connect(url: string, name: string, role: Sim['role']): Promise<Sim> {
  for (let attempt = 0; ; attempt++) {
    const chat = new ChatClient({ url, nickname: name, key: newUserKey(), transports: ['websocket'], ackTimeoutMs: 8000, connectTimeoutMs: 8000 });
    try {
      await chat.start();
      const sim: Sim = { name, role, chat, userId: chat.me.value?.userId, left: false };
      sims.push(sim);
      joins++;
      return sim;
    } catch (err) {
      startFailures++;
      chat.close();
      if (attempt > 20) throw err;
      await sleep(Math.min(5000, 250 * 2 ** attempt));
    }
  }
}

function say(sim: Sim): void {
  const text = `${sim.name} #${++sentSeq}`;
  if (sim.chat.send(text) !== null) return;
  const item = sim.chat.outbox.list().find((i) => i.text === text);
  if (item) sent.push({ text, clientId: item.clientId, sender: sim, at: Date.now() });
}

/** Each client sends at random (Poisson) times while `sending` and it has not left. */
export async function chatLoop(sim: Sim): Promise<void> {
  await sleep(rand(0, INTERVAL_S * 1000));
  while (sending && !sim.left) {
    say(sim);
    await sleep(nextGap(INTERVAL_S));
  }
}

async function drained(sim: Sim, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (sim.chat.outbox.queuedCount > 0 && Date.now() < end) await sleep(100);
  return sim.chat.outbox.queuedCount === 0;
}

let churnGen = 0;
export async function churnLoop(url: string, first: Sim): Promise<void> {
  let sim = first;
  while (sending) {
    void chatLoop(sim);
    await sleep(rand(10_000, 30_000));
    if (!sending) break;
    // Leaving like a person closing the app once the last message went out.
    sim.left = true;
    await drained(sim, 15_000);
    sim.chat.close();
    leaves++;
    await sleep(rand(1000, 3000));
    if (!sending) break;
    sim = await connect(url, `churn${++churnGen}`, 'churn');
  }
}

/** Starts or stops every chat loop (an importer cannot assign `sending` itself). */
export function setSending(on: boolean): void {
  sending = on;
}

/** Brings CLIENTS clients online, 25 at a time; the first steadyCount are steady, the rest churn. */
export async function rampUp(url: string, steadyCount: number): Promise<void> {
  for (let i = 0; i < CLIENTS; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, CLIENTS - i) }, (_, j) => {
        const n = i + j;
        return n < steadyCount ? connect(url, `steady${n}`, 'steady') : connect(url, `churn${++churnGen}`, 'churn');
      }),
    );
  }
}
