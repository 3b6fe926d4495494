/**
 * Runs in a fresh process: how long the embedded relay takes to be ready, as the desktop app
 * experiences it: the dynamic import of the relay module plus `await createRelay({ port: 0 })`.
 * The module path comes from argv (the TypeScript source under tsx, or an esbuild bundle), and the
 * import is not a literal, so a bundler leaves it alone. Prints one JSON line.
 */
import { pathToFileURL } from 'node:url';

interface RelayModule {
  createRelay(options: { port: number }): Promise<{ close(): Promise<void> }>;
}

const modulePath = process.argv[2];
if (!modulePath) throw new Error('usage: probe <relay module path>');

const t0 = performance.now();
const { createRelay } = (await import(pathToFileURL(modulePath).href)) as RelayModule;
const t1 = performance.now();
const relay = await createRelay({ port: 0 });
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, totalMs: t2 - t0 })}\n`);
await relay.close();
// Exit now: timers left by shutdown are not part of start-up.
process.exit(0);
