/**
 * The redis-server a Redis-mode measurement shares between its relay instances: started by the bench
 * on a free loopback port with persistence off (nothing to save, no fork for snapshots skewing its
 * CPU), tracked like every other child so it dies with the run (normal end, error, Ctrl-C).
 * Between measurements it is emptied, so each one starts from the same state a fresh memory-mode
 * process does: no history, no presence left over from the instances of the previous one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../deploy/local/free-port';
import { exited, track } from './children';
import { sleep, withTimeout } from './time';

const START_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 5000;

export class RedisServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(binary = 'redis-server'): Promise<RedisServerProcess> {
    const port = await freePort();
    const child = track(
      spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    // Keep the tail of its log for an error message; reading also keeps the pipes from filling up.
    let log = '';
    const keep = (d: Buffer): void => {
      log = (log + d.toString('utf8')).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${binary}: ${err.message} (is Redis installed?)`)));
      child.once('exit', (code, signal) => reject(new Error(`${binary} exited at start (code ${code}, signal ${signal}):\n${log}`)));
    });
    spawnError.catch(() => undefined); // it also fires at the normal stop, when nobody waits for it
    const server = new RedisServerProcess(child, port, () => log);
    try {
      await withTimeout(Promise.race([server.waitReady(), spawnError]), START_TIMEOUT_MS, `${binary} on port ${port} to answer PING`);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls PING: a port that accepts connections may still be loading. Gives up once the process is gone. */
  private async waitReady(): Promise<void> {
    while (this.running) {
      const reply = await this.command(['PING']).catch(() => '');
      if (reply.startsWith('+PONG')) return;
      await sleep(50);
    }
  }

  /** Deletes every key (history, presence, rooms, rate-limit buckets, membership). */
  async flush(): Promise<void> {
    const reply = await this.command(['FLUSHALL']);
    if (!reply.startsWith('+OK')) throw new Error(`redis-server FLUSHALL answered ${JSON.stringify(reply)}\n${this.output()}`);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    // No persistence, so nothing a graceful shutdown would save.
    this.child.kill('SIGKILL');
    await exited(this.child);
  }

  /**
   * One command on a short-lived connection, answered with the raw first reply line: enough for
   * PING and FLUSHALL, and no Redis client library (with its reconnect logic) in the coordinator.
   */
  private command(args: string[]): Promise<string> {
    const request = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    const reply = new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(this.port, '127.0.0.1', () => socket.write(request));
      socket.on('data', (d: Buffer) => {
        received += d.toString('utf8');
        const end = received.indexOf('\r\n');
        if (end < 0) return;
        socket.destroy();
        resolve(received.slice(0, end));
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error('redis-server closed the connection without a reply')));
    });
    return withTimeout(reply, COMMAND_TIMEOUT_MS, `redis-server ${args[0]}`);
  }
}
