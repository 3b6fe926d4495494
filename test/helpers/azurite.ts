/**
 * A real Azurite blob service owned by the test: its own free port and workspace folder, stopped
 * with SIGTERM and the folder deleted afterwards. Azurite's package cannot be imported (it wants
 * `vscode`), so the CLI runs as a child process; telemetry is off, or it would try to reach out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './net';

/** Azurite's well-known development account (public, in Azure's docs): not a secret. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const BIN = 'node_modules/.bin/azurite-blob';
/** An upper bound for start-up (about a second when the machine is idle), not a delay. */
const START_MS = 30_000;

export class Azurite {
  private constructor(readonly port: number, private readonly proc: ChildProcess, private readonly dir: string) {}

  /** Starts Azurite on a free port; a port taken between choosing and binding it is retried with another. */
  static async start(): Promise<Azurite> {
    for (let attempt = 1; ; attempt++) {
      const dir = await mkdtemp(join(tmpdir(), 'parley-azurite-'));
      const port = await freePort();
      try {
        return new Azurite(port, await launch(port, dir), dir);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        if (attempt >= 3) throw err;
      }
    }
  }

  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${this.port}/${DEV_ACCOUNT};`;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      // Azurite closes its server on SIGTERM and then exits; one that hangs is not left behind.
      const hung = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hung);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--disableTelemetry', '--silent', '--location', dir, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--skipApiVersionCheck', '--loose'];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`azurite-blob did not start within ${START_MS} ms:\n${out}`));
    }, START_MS);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('successfully listens')) {
        clearTimeout(timer);
        proc.off('exit', onExit);
        resolve(proc);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`azurite-blob exited with ${code}:\n${out}`));
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', onExit);
  });
}

/** For Vitest files: one Azurite for the file, and a fresh container name per use so tests share nothing. */
export function useAzurite(): { azurite: () => Azurite; container: () => string } {
  let server: Azurite | undefined;
  beforeAll(async () => {
    server = await Azurite.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    azurite: () => {
      if (!server) throw new Error('Azurite is started in beforeAll');
      return server;
    },
    container: () => `t-${randomBytes(8).toString('hex')}`,
  };
}
