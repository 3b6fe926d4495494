/**
 * A load-generator worker: a forked process holding a slice of the clients. It runs commands from the
 * coordinator and answers with counts, never with per-message data, so the IPC channel stays quiet
 * while messages flow. Exits when the coordinator goes away.
 */
import { createClient } from '../clients/create';
import type { BenchClient, ClientSink } from '../clients/types';
import { withTimeout } from '../lib/time';
import { CountWatch } from './count-watch';
import type { Command, ConnectCommand, ConnectResult, Reply, Request } from './protocol';
import { ReceiveStats } from './receive-stats';
import { runSenders } from './send-loop';

let clients: BenchClient[] = [];
let stats = new ReceiveStats(0, 0);
let watch = new CountWatch(0);
let cpuMark = { usage: process.cpuUsage(), at: Date.now() };

const sink: ClientSink = {
  frame: (local, frame) => stats.frame(local, frame),
  text: (local, text) => stats.text(local, text),
  count: (local, count) => watch.set(local, count),
};

async function connectAll(cmd: ConnectCommand): Promise<ConnectResult> {
  closeAll();
  watch = new CountWatch(cmd.count);
  if (cmd.countTarget !== undefined) watch.arm(cmd.countTarget);
  clients = Array.from({ length: cmd.count }, (_, local) =>
    createClient(cmd.kind, { local, username: `u${cmd.base + local}`, url: cmd.urlPerClient?.[local] ?? cmd.url, reconnect: cmd.reconnect }, sink),
  );
  const result: ConnectResult = { connected: 0, failed: 0, doneAt: 0, mostDoneAt: 0 };
  const most = Math.ceil(cmd.count * 0.95);
  let next = 0;
  // `concurrency` lanes each connect one client after another: a bounded number of handshakes in flight.
  const lane = async (): Promise<void> => {
    while (next < clients.length) {
      const client = clients[next++]!;
      try {
        await client.start();
        if (++result.connected === most) result.mostDoneAt = Date.now();
      } catch (err) {
        result.failed++;
        result.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await withTimeout(Promise.all(Array.from({ length: Math.max(1, Math.min(cmd.concurrency, cmd.count)) }, lane)), cmd.timeoutMs, `${cmd.count} ${cmd.kind} clients to log in`);
  result.doneAt = Date.now();
  return result;
}

function closeAll(): void {
  for (const c of clients) c.close();
  clients = [];
}

async function run(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'connect':
      return connectAll(command);
    case 'reset-stats':
      stats = new ReceiveStats(clients.length, command.senders);
      cpuMark = { usage: process.cpuUsage(), at: Date.now() };
      return null;
    case 'send':
      return runSenders(command.plan, clients, stats);
    case 'progress':
      return stats.progress;
    case 'stats': {
      const used = process.cpuUsage(cpuMark.usage);
      return { ...stats.toData(), cpu: { cpuMs: (used.user + used.system) / 1000, wallMs: Date.now() - cpuMark.at } };
    }
    case 'arm-count':
      watch.arm(command.target);
      return null;
    case 'await-count':
      return watch.wait(command.timeoutMs);
    case 'close':
      closeAll();
      return null;
  }
}

process.on('message', (message: Request) => {
  run(message.command).then(
    (result) => reply({ id: message.id, ok: true, result: result ?? null }),
    (err: unknown) => reply({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

function reply(r: Reply): void {
  if (process.connected) process.send?.(r);
}

process.once('disconnect', () => process.exit(0));
