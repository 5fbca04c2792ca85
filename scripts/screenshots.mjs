#!/usr/bin/env node
// The README's screenshots (docs/screenshots/): the playground built (`vite build` first), in
// Debian's Chromium, at 1280x800 and 400x800, light mode, after a call, with its output.
//   node scripts/screenshots.mjs
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM_ARGS } from '../bench/kit.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
await mkdir(out, { recursive: true });
const port = 4319;
const server = await preview({ root, logLevel: 'silent', preview: { port, strictPort: true, host: '127.0.0.1' } });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  for (const [width, height] of [
    [1280, 800],
    [400, 800],
  ]) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: 'light' });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy');
    const call = page.getByRole('region', { name: 'Call' });
    await call.getByLabel('Function').selectOption('process');
    await page.getByRole('region', { name: 'Source' }).locator('.monaco-editor').waitFor();
    await call.getByRole('button', { name: 'Call' }).click();
    await page.getByRole('log', { name: 'Console output' }).getByText('processed').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(out, `playground-${width}.png`) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.httpServer.close();
}
console.log(`written to ${out}`);
