/**
 * What every benchmark server script shares: the `--port` flag, the `PORT <n>` line the coordinator
 * waits for, and exiting when told to or when the coordinator goes away.
 */
export function requestedPort(argv: string[] = process.argv.slice(2)): number {
  const at = argv.indexOf('--port');
  const port = at >= 0 ? Number(argv[at + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`--port must be 0–65535 (got ${argv[at + 1]})`);
  return port;
}

/** Benchmarks are loopback only: nothing here may be reachable from the network. */
export const BENCH_HOST = '127.0.0.1';

export function announce(port: number | undefined): void {
  if (port === undefined) throw new Error('server has no TCP port');
  process.stdout.write(`PORT ${port}\n`);
}

/**
 * Exits on SIGTERM/SIGINT with process.exit, so `node --cpu-prof` writes its profile, and when the IPC
 * channel closes, so an orphaned server (its coordinator killed) does not keep running.
 */
export function exitWhenDone(): void {
  const exit = (): never => process.exit(0);
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
  if (process.connected) process.once('disconnect', exit);
  // Memory readings are taken after a full GC (node --expose-gc), so garbage from the
  // handshakes does not count as memory held per connection.
  process.on('message', (message) => {
    if (message !== 'gc') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, external } = process.memoryUsage();
    process.send?.({ gcDone: true, heapUsed, external });
  });
}
