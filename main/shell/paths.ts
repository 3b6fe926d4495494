/** Where the built pieces are, relative to the main bundle (dist/main/index.js, also inside app.asar). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const RENDERER_DIR = join(here, '..', 'renderer');
export const PRELOAD_PATH = join(here, '..', 'preload', 'index.cjs');
