/**
 * A real nginx owned by the test: its own config, pid file and temp folders in a temp dir, in the
 * foreground as a child process, so it runs without root and without touching /etc/nginx or /var.
 * The test writes the server blocks; this writes everything around them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from './net';

export class Nginx {
  private constructor(readonly port: number, private readonly proc: ChildProcess, readonly output: () => string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts nginx with the server block(s) `servers(port)` returns, listening on a free port. */
  static async start(servers: (port: number) => string): Promise<Nginx> {
    const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
    const port = await freePort();
    const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
    const conf = [
      // As root, nginx would run its workers as nobody, who cannot write the temp folders made here.
      ...(process.getuid?.() === 0 ? ['user root root;'] : []),
      'worker_processes 1;',
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      servers(port),
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`nginx exited with ${code}:\n${out}\n${conf}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([waitForHttp({ port }, '/healthz', 10_000), exited]);
    return new Nginx(port, proc, () => out);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise((resolve) => this.proc.once('exit', resolve));
    // SIGTERM: the master stops its workers before it exits (SIGKILL would orphan them).
    this.proc.kill('SIGTERM');
    await gone;
  }
}
