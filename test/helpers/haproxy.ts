/**
 * HAProxy in front of relays the test started, with the local cluster's configuration
 * (deploy/local/haproxy-config.ts): round robin, with or without the affinity cookie.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig, type Backend } from '../../deploy/local/haproxy-config';
import { freePort, waitForHttp } from './net';

export class HaProxy {
  private constructor(readonly port: number, private readonly proc: ChildProcess) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(backends: readonly Backend[], opts: { sticky: boolean }): Promise<HaProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'parley-haproxy-'));
    const port = await freePort();
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(port, backends, opts));
    const proc = spawn('haproxy', ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`haproxy exited with ${code}:\n${out}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([waitForHttp({ port }, '/healthz', 10_000), exited]);
    return new HaProxy(port, proc);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGKILL');
    await gone;
  }
}
