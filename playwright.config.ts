/**
 * Browser tests in Debian's Chromium (Playwright cannot download its own browser here). Each spec
 * starts a real relay in-process that serves the built web client (dist/renderer).
 */
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: /\.spec\.ts$/,
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    headless: true,
    // The UI follows the browser's language (renderer/i18n): specs find elements by their English
    // names, so every page is English unless a spec asks for another locale, whatever this machine's is.
    locale: 'en-US',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'browser', testDir: 'test/e2e/browser' },
    { name: 'electron', testDir: 'test/e2e/electron' },
    // The desktop app with everything real but Electron's own objects (test/desktop/harness).
    { name: 'desktop', testDir: 'test/desktop', timeout: 120_000 },
  ],
});
