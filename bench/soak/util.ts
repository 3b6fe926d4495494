/** Time, logging and randomness helpers shared by the soak modules. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
export const log = (msg: string) => console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
export const median = (xs: number[]) => (xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[xs.length >> 1]!);
export const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
/** Exponential inter-arrival with the given mean (a Poisson stream of messages per client). */
export const nextGap = (meanS: number) => -Math.log(1 - Math.random()) * meanS * 1000;
