/**
 * Runs in a fresh process: how long a relay takes to be ready, as the desktop app experiences it:
 * the dynamic import of the module plus awaiting its start function (`createRelay({ port: 0 })` for
 * Parley; the classic chat's `startClassicChat` for the baseline). The module path and the export's
 * name come from argv, and the import is not a literal, so a bundler leaves it alone. Prints one JSON
 * line.
 */
import { pathToFileURL } from 'node:url';

type Start = (options: { port: number }) => Promise<{ close(): Promise<void> }>;

const [modulePath, exportName = 'createRelay'] = process.argv.slice(2);
if (!modulePath) throw new Error('usage: probe <module path> [start export]');

const t0 = performance.now();
const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, Start | undefined>;
const t1 = performance.now();
const start = mod[exportName];
if (typeof start !== 'function') throw new Error(`${modulePath} exports no function ${exportName}`);
const relay = await start({ port: 0 });
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, totalMs: t2 - t0 })}\n`);
await relay.close();
// Exit now: timers left by shutdown are not part of start-up.
process.exit(0);
