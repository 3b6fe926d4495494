// Refreshes the screenshot gallery in docs/screenshots/: runs the desktop flows (npm run test:desktop)
// with PARLEY_GALLERY set, so the shots the flows name for the gallery are copied there.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const dir = 'docs/screenshots';
rmSync(dir, { recursive: true, force: true });
const run = spawnSync('npm', ['run', 'test:desktop'], { stdio: 'inherit', env: { ...process.env, PARLEY_GALLERY: dir } });
process.exit(run.status ?? 1);
