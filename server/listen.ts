/**
 * Binds the HTTP server to a TCP port or to a pipe / Unix socket path. iisnode (Windows App Service)
 * hands the app a named pipe in PORT, and a reverse proxy on the same host may prefer a Unix socket.
 */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';

export type ListenTarget = { kind: 'tcp'; port: number; host: string } | { kind: 'pipe'; path: string };

/** A PORT value: digits are a TCP port, anything else is a pipe or socket path. */
export function parsePort(value: string | number, host: string): ListenTarget {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT ${value} is not a valid TCP port.`);
    return { kind: 'tcp', port, host };
  }
  if (value.trim() === '') throw new Error('PORT is empty.');
  return { kind: 'pipe', path: value };
}

export async function listen(server: Server, target: ListenTarget): Promise<void> {
  if (target.kind === 'pipe') await removeStaleSocket(target.path);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const done = () => {
      server.off('error', onError);
      resolve();
    };
    if (target.kind === 'tcp') server.listen(target.port, target.host, done);
    else server.listen(target.path, done);
  });
}

/** A Unix socket file left by a crashed process blocks listen(); remove it only if nobody answers on it. */
async function removeStaleSocket(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    if (!lstatSync(path).isSocket()) return;
  } catch {
    return;
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (!alive) unlinkSync(path);
}
