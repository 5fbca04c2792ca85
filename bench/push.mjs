// Live push: a real Vite dev server (this repository's vite.config.ts, as `npm run dev` and
// `hotwasm dev` run it) with the hotwasm plugin, and the playground open on it.
//   - Push → first answer: a new build of a 100 KiB / 1 MiB module written to disk (an artifact
//     another tool writes; debounce 0) → the new version answering in the page. Floor: compile +
//     instantiate of the same bytes in a worker + one bare round trip, measured in the same page.
//     Beside it: `hotwasm push` (the bytes POSTed), and a full page reload of the dev server.
//   - Save → serving: an edit of the WAT counter saved → built with wabt → serving, with the
//     build's own time beside it.
// Times cross from Node to the page as epoch milliseconds (performance.timeOrigin + now()).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, runnerImport } from 'vite';
import { counterOfSize } from './gen-module.mjs';
import { clearRegistry, settle } from './kit.mjs';

const SIZES = [
  ['100 KiB', 100 * 1024],
  ['1 MiB', 1024 * 1024],
];
const COUNT = 7;
const epochNow = () => performance.timeOrigin + performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `bytes` with a custom section `build` = tag appended: another sha256, the same code. */
function variant(bytes, tag) {
  const name = Buffer.from('build');
  const payload = Buffer.from(tag);
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  const size = [];
  let n = body.length;
  do {
    size.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return Buffer.concat([bytes, Buffer.from([0, ...size]), body]);
}

/** Resolves with the page's epoch time when `name` next serves a version other than `from` and answers. */
function nextAnswer(page, name, from) {
  return page.evaluate(
    ({ name, from }) =>
      new Promise((resolve) => {
        const h = window.hotwasm;
        const check = async () => {
          const info = h.modules().find((m) => m.name === name);
          if (!info || info.version === from) return false;
          await h.module(name).call('get');
          resolve({ at: performance.timeOrigin + performance.now(), version: info.version });
          return true;
        };
        const stop = h.subscribe((event) => {
          if (event.type === 'loaded' && event.module === name) void check().then((done) => done && stop());
        });
      }),
    { name, from },
  );
}

const versionOf = (page, name) => page.evaluate((name) => window.hotwasm.modules().find((m) => m.name === name)?.version ?? null, name);

export async function benchPush({ browser, row, throttle, root, quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'hotwasm-bench-push-'));
  const artifacts = {};
  const bases = {};
  for (const [label, size] of SIZES) {
    bases[label] = await counterOfSize(size, 'push');
    artifacts[label] = join(dir, `sized-${size}.wasm`);
    writeFileSync(artifacts[label], bases[label]);
  }
  const wat = join(dir, 'counter.wat');
  copyFileSync(join(root, 'examples/counter-wat/counter.wat'), wat);
  process.env.VITE_HOTWASM_EXAMPLE = 'none';
  const { module: plugin } = await runnerImport(join(root, 'src/plugin/index.ts'), { configFile: false, logLevel: 'error' });
  const modules = [...SIZES.map(([label, size]) => ({ name: `push-${size}`, path: artifacts[label], debounceMs: 0 })), { name: 'wat', path: wat, debounceMs: 0 }];
  const live = plugin.hotwasm({ modules, tokenFile: join(dir, 'token.json') });
  const server = await createServer({ configFile: join(root, 'vite.config.ts'), root, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' }, plugins: [live] });
  await server.listen();
  const url = `http://127.0.0.1:${server.httpServer.address().port}/`;
  // The plugin writes its token file as it starts.
  let token = null;
  for (let tries = 0; !token; tries++) {
    try {
      token = JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')).token;
    } catch (error) {
      if (tries > 200) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await throttle(page);
    await page.goto(url);
    await page.waitForFunction((n) => window.hotwasm?.modules().length === n, modules.length, { polling: 20, timeout: 120_000 });
    await settle(page);
    await page.addScriptTag({ path: join(root, 'bench', 'page-kit.js') });
    // Every build goes in at once; the page's own debounce is for bursts.
    await page.evaluate(() => window.hotwasm.configure({ debounce_ms: 0 }));

    for (const [label, size] of SIZES) {
      const name = `push-${size}`;
      const onDisk = [];
      const pushed = [];
      for (let i = 0; i < (quick ? 3 : COUNT); i++) {
        await page.waitForTimeout(300);
        let answered = nextAnswer(page, name, await versionOf(page, name));
        let t0 = epochNow();
        writeFileSync(artifacts[label], variant(bases[label], `disk-${i}`));
        onDisk.push((await answered).at - t0);

        await page.waitForTimeout(300);
        answered = nextAnswer(page, name, await versionOf(page, name));
        const body = variant(bases[label], `post-${i}`);
        t0 = epochNow();
        const res = await fetch(`${url}__hotwasm/push?name=${name}`, { method: 'POST', body, headers: { 'content-type': 'application/wasm', 'x-hotwasm-token': token } });
        if (!res.ok) throw new Error(`push: ${res.status} ${await res.text()}`);
        pushed.push((await answered).at - t0);
      }
      // The floor, in the same page: the same bytes compiled + instantiated in a worker, and one round trip.
      const floor = await page.evaluate(async (sha) => {
        const { floorWorker, median } = window.benchKit;
        const bytes = new Uint8Array(await (await fetch(`/__hotwasm/modules/${sha}.wasm`)).arrayBuffer());
        const fw = floorWorker();
        await fw.roundTrips(20);
        const floors = [];
        for (let i = 0; i < 5; i++) {
          const copy = bytes.slice();
          copy[copy.length - 1] ^= i + 1; // the build tag's last byte: code V8 has not cached
          floors.push((await fw.compile(copy)) + (await fw.roundTrip()));
        }
        fw.terminate();
        return median(floors);
      }, await page.evaluate((name) => window.hotwasm.modules().find((m) => m.name === name).sha256, name));
      const mib = (bases[label].length / 1048576).toFixed(2);
      row(`Push → first answer, ${label}, artifact written to disk`, median(onDisk), 'ms', floor, { le: 1, plus: 30 }, `written → serving in the playground (npm run dev), debounce 0; includes the plugin's check that the file is whole (look, read, look again; a whole module that validates is taken at once); ${mib} MiB; median of ${onDisk.length}`);
      row(`Push → first answer, ${label}, hotwasm push`, median(pushed), 'ms', floor, { le: 1, plus: 30 }, `POST /__hotwasm/push → serving; ${mib} MiB; median of ${pushed.length}`);
    }

    // A full reload of the page on the dev server, for comparison (state lost: nothing is kept
    // for the page to bring back, as without hotwasm).
    const reloads = [];
    for (let i = 0; i < 3; i++) {
      await clearRegistry(page);
      const t0 = Date.now();
      await page.reload();
      await page.waitForFunction(async () => {
        const m = window.hotwasm?.modules().find((x) => x.name === 'push-102400');
        if (!m) return false;
        return (await window.hotwasm.module('push-102400').call('get').then(() => true, () => false)) === true;
      }, null, { polling: 10, timeout: 60_000 });
      reloads.push(Date.now() - t0);
    }
    row('Full page reload of the dev server → answering, 100 KiB', median(reloads), 'ms', null, null, `for comparison: state lost; median of 3`);
    await settle(page);
    await page.evaluate(() => window.hotwasm.configure({ debounce_ms: 0 }));

    // Save → serving: a real edit of the WAT counter, built with wabt.
    const builds = [];
    const saves = [];
    const builtMs = (name) => page.evaluate(async (name) => (await (await fetch('/__hotwasm/status')).json()).modules.find((m) => m.name === name), name);
    const source = readFileSync(wat, 'utf8');
    for (let i = 0; i < (quick ? 3 : COUNT); i++) {
      await page.waitForTimeout(300);
      const answered = nextAnswer(page, 'wat', await versionOf(page, 'wat'));
      const t0 = epochNow();
      writeFileSync(wat, source.replace('(@custom "api_version" "1.0.0")', `(@custom "api_version" "1.0.0") (@custom "build" "save-${i}")`));
      saves.push((await answered).at - t0);
      builds.push((await builtMs('wat'))?.lastBuild?.durationMs ?? NaN);
    }
    row('Save → serving, WAT counter', median(saves), 'ms', null, null, `saved → built with wabt → serving, debounce 0 (the plugin's default debounceMs adds 100 ms); the build alone: ${median(builds).toFixed(1)} ms; median of ${saves.length}`);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
