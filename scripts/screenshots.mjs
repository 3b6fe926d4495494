// Refreshes the screenshot gallery in docs/screenshots/: runs the desktop flows (npm run test:desktop)
// and the browser's language, edit/search, files, doctor and LAN TLS specs with PARLEY_GALLERY set, so the shots they name for
// the gallery are copied there.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const dir = 'docs/screenshots';
rmSync(dir, { recursive: true, force: true });
const env = { ...process.env, PARLEY_GALLERY: dir };
const desktop = spawnSync('npm', ['run', 'test:desktop'], { stdio: 'inherit', env });
// test:desktop built the web client the browser spec serves.
const languages = spawnSync('npx', ['playwright', 'test', 'test/e2e/browser/i18n.spec.ts', 'test/e2e/browser/edit-search.spec.ts', 'test/e2e/browser/files.spec.ts', 'test/e2e/browser/doctor.spec.ts', 'test/e2e/browser/lan-tls.spec.ts', '--project', 'browser'], { stdio: 'inherit', env });
process.exit(desktop.status || languages.status || 0);
