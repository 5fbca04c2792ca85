#!/usr/bin/env node
// hotwasm benchmarks, in headless Chromium against the built site (`npm run bench` builds first).
// Every figure is printed beside a floor measured in the same run on the same machine, because
// absolute numbers swing with machine load; the ratio is what the targets are about. The whole
// suite runs twice: as the machine is, and with Chromium's CPU throttled 4× (CDP
// Emulation.setCPUThrottlingRate), where a ratio must hold within 1.5× of the unthrottled one.
//
//   npm run bench                    both profiles
//   node bench/run.mjs --quick       one gap per update size, unthrottled only (a quick look)
import { cpus } from 'node:os';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { benchCalls } from './calls.mjs';
import { benchEditor } from './editor.mjs';
import { CHROMIUM_ARGS } from './kit.mjs';
import { benchLoads } from './loads.mjs';
import { benchPush } from './push.mjs';
import { benchRegistry } from './registry.mjs';
import { benchStrategies } from './strategies.mjs';
import { benchSwap } from './swap.mjs';
import { benchUpdates } from './updates.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const PROFILES = quick ? [{ name: 'unthrottled', rate: 1 }] : [{ name: 'unthrottled', rate: 1 }, { name: 'throttled 4×', rate: 4 }];

async function shellSize() {
  // The JS a first visit must download before the app runs: the entry script and what it preloads.
  const html = await readFile(join(root, 'dist', 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let gz = 0;
  for (const f of new Set(files)) gz += gzipSync(await readFile(join(root, 'dist', f))).length;
  const all = await readdir(join(root, 'dist', 'assets'));
  let lazy = 0;
  for (const f of all.filter((n) => n.endsWith('.js') && !files.includes(`assets/${n}`))) lazy += gzipSync(await readFile(join(root, 'dist', 'assets', f))).length;
  return { shellKb: gz / 1024, lazyKb: lazy / 1024 };
}

/** Is `r` within its target? */
function met(r) {
  const t = r.target;
  if (!t) return null;
  if (t.zero) return r.value === 0;
  if (t.max !== undefined) return r.value <= t.max;
  if (t.min !== undefined) return r.value >= t.min;
  if (!r.floor) return null;
  if (t.le !== undefined) return r.value <= t.le * r.floor + (t.plus ?? 0);
  if (t.ge !== undefined) return r.value >= t.ge * r.floor;
  return null;
}

function targetText(t) {
  if (!t) return '—';
  if (t.zero) return '0';
  if (t.max !== undefined) return `≤ ${t.max}`;
  if (t.min !== undefined) return `≥ ${t.min}`;
  if (t.le !== undefined) return t.le === 1 && t.plus ? `≤ floor + ${t.plus} ms` : `≤ ${t.le}× floor${t.plus ? ` + ${t.plus} ms` : ''}`;
  if (t.ge !== undefined) return `≥ ${t.ge}× floor`;
  return '—';
}

const PORT = Number(process.env.HOTWASM_BENCH_PORT ?? 4318);
const server = await preview({ root, logLevel: 'silent', preview: { port: PORT, strictPort: true, host: '127.0.0.1' } });
const url = `http://127.0.0.1:${PORT}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results = {};
try {
  for (const profile of PROFILES) {
    const rows = [];
    let section = null;
    const row = (name, value, unit, floor, target, note = '') => rows.push({ name, value, unit, floor, ratio: floor ? value / floor : null, target, note, bench: section });
    const context = await browser.newContext();
    const page = await context.newPage();
    // Chromium throttles only a page's main thread (its workers refuse the command: "only
    // supported for pages"), so the throttled run slows the page's share of every figure.
    const throttle = async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Performance.enable');
      if (profile.rate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.rate });
      return cdp;
    };
    const cdp = await throttle(page);
    const env = { browser, page, cdp, url, root, row, throttle, quick };
    console.log(`— ${profile.name}`);
    for (const [name, bench] of [
      ['loads', benchLoads],
      ['calls', benchCalls],
      ['swap', benchSwap],
      ['updates', benchUpdates],
      ['push', benchPush],
      ['registry', benchRegistry],
      ['editor', benchEditor],
      ['strategies', benchStrategies],
    ]) {
      if (only && !only.includes(name)) continue;
      const t0 = Date.now();
      section = name;
      await bench(env);
      console.log(`  ${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    await context.close();
    results[profile.name] = rows;
  }
  const size = await shellSize();
  results.unthrottled.push({ name: 'App shell JS (gzipped)', value: size.shellKb, unit: 'KB', floor: null, ratio: null, target: { max: 250 }, note: `lazy chunks (Monaco…): ${size.lazyKb.toFixed(0)} KB gzipped` });
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}

const fmt = (v, unit) => (v === null || v === undefined ? '—' : unit === 'calls/s' || unit === 'calls' ? Math.round(v).toLocaleString('en-US') : v >= 100 ? v.toFixed(0) : v.toFixed(2));
const cell = (r) => (r ? `${fmt(r.value, r.unit)} ${r.unit}` : '—');
const ratioCell = (r) => (r?.ratio ? `${r.ratio.toFixed(2)}×` : '—');
const base = results.unthrottled;
const slow = results['throttled 4×'] ?? [];
const cpu = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores`;
console.log(`\nMeasured on ${cpu}, ${new Date().toISOString().slice(0, 10)}.\n`);
console.log('| Benchmark | Result | Floor | Ratio | Target | Met | 4× throttled | Ratio | Holds | Note |\n|---|---|---|---|---|---|---|---|---|---|');
for (const r of base) {
  const s = slow.find((x) => x.name === r.name);
  const m = met(r);
  const ms = s ? met(s) : null;
  // A ratio (or a figure without a floor) holds when the throttled one is within 1.5× of it.
  const within = r.target?.ge !== undefined ? (s?.ratio ?? 0) * 1.5 >= (r.ratio ?? 0) : (s?.ratio ?? Infinity) <= 1.5 * (r.ratio ?? 0);
  const holds = !s ? '—' : r.ratio && s.ratio ? (within ? 'yes' : 'no') : ms === null ? '—' : ms ? 'yes' : 'no';
  console.log(`| ${r.name} | ${cell(r)} | ${r.floor ? `${fmt(r.floor, r.unit)} ${r.unit}` : '—'} | ${ratioCell(r)} | ${targetText(r.target)} | ${m === null ? '—' : m ? 'yes' : '**no**'} | ${s ? cell(s) : '—'} | ${ratioCell(s)} | ${holds} | ${r.note} |`);
}
// A run of some benches (--only) replaces their rows in results.json and keeps the others'.
let written = results;
if (only) {
  const before = JSON.parse(await readFile(join(root, 'bench', 'results.json'), 'utf8').catch(() => '{}')).results ?? {};
  written = { ...before };
  for (const [profile, rows] of Object.entries(results)) {
    const names = new Set(rows.map((r) => r.name));
    written[profile] = [...(before[profile] ?? []).filter((r) => !names.has(r.name) && !only.includes(r.bench)), ...rows];
  }
}
await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), cpu, results: written }, null, 2)}\n`);
console.log('\nwritten to bench/results.json');
