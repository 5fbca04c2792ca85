import { defineConfig } from '@playwright/test';

// HOTWASM_E2E_PORT lets two checkouts run their suites side by side.
const PORT = Number(process.env.HOTWASM_E2E_PORT ?? 4317);

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the built site
 * served by `vite preview`, the way users get it from a static host.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'e2e', testIgnore: /\.measured\.spec\.ts$/ },
    // Tests that bound main-thread work run last and one at a time: on a 2-core machine another
    // test's browser takes the cores V8's GC helpers need, and the main thread then does their
    // share (seen: a 51 ms task measured 161 ms beside another test).
    { name: 'measured', testMatch: /\.measured\.spec\.ts$/, dependencies: ['e2e'], workers: 1 },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
