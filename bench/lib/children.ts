/**
 * Every child process the coordinator starts is registered here and killed when the coordinator
 * exits for any reason (normal end, an error, Ctrl-C), so no server or worker outlives a run. The
 * children also watch their IPC channel and exit when it closes (see servers/entry.ts and the worker),
 * which covers the coordinator being SIGKILLed.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

export function track(child: ChildProcess): ChildProcess {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** Runs a bench's `main` and exits with its code (1 on a throw), every child process killed either way. */
export function runAndExit(main: () => Promise<number>): void {
  main().then(
    (code) => {
      killAll();
      process.exit(code);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      killAll();
      process.exit(1);
    },
  );
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Resolves when `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
