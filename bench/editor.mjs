// The Source panel (issue #12): keystroke → the new version answering, for the counter with the
// build delay at 0. Each round selects the digit of a `mark` export's constant and types another
// (one keystroke, one edit), from the keydown's timestamp to the first answer of the new version.
// Floor, in the same run: wabt's compile time (in its worker, as the panel reports it) + compile +
// instantiate of the same bytes in a worker + one bare round trip.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open } from './kit.mjs';

const ROUNDS = 15;
const QUIET_MS = 700;

export async function benchEditor({ page, row, url, root, quick }) {
  await open(page, url, root);
  const source = page.getByRole('region', { name: 'Source' });
  await source.getByLabel('Delay (ms)').fill('0');
  // The counter's own text is open. A `mark` export goes on the last line, before the module's
  // closing ")", typed as one line: a multi-line insertText is typed text to Monaco, which
  // indents each new line on top of the last, and would measure hundreds of indent guides.
  const wat = await readFile(join(root, 'examples', 'counter-wat', 'counter.wat'), 'utf8');
  const lines = wat.split('\n');
  const close = lines.findLastIndex((line) => line.trim() !== '');
  if (lines[close] !== ')') throw new Error('counter.wat no longer ends with a line holding only ")"');
  await source.getByRole('textbox', { name: 'WebAssembly text of counter' }).focus();
  await page.keyboard.press('ControlOrMeta+End');
  for (let i = close; i < lines.length - 1; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Home');
  await page.keyboard.insertText('(func (export "mark") (result i64) (i64.const 1))');
  await page.waitForFunction(() => window.hotwasm.callRaw('mark').then((v) => v === 1n, () => false), null, { polling: 50 });
  // The cursor is after "1))": just after the digit.
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
  await page.evaluate(() => {
    const marks = (window.__editorBench = { keydown: 0, answers: [] });
    document.addEventListener('keydown', (e) => (marks.keydown = e.timeStamp), { capture: true });
    window.hotwasm.subscribe((event) => {
      if (event.type !== 'loaded' || event.trigger !== 'editor') return;
      const from = marks.keydown;
      void window.hotwasm.callRaw('mark').then((value) => marks.answers.push({ value: Number(value), ms: performance.now() - from }));
    });
  });
  const latencies = [];
  const wabt = [];
  const floors = [];
  const rounds = quick ? 5 : ROUNDS;
  for (let i = 0; i < rounds; i++) {
    // Each keystroke from a quiet page, as after a user's pause: the previous update's
    // aftermath (its checkpoint, probation, the panels' renders) is not counted in the next.
    await page.waitForTimeout(QUIET_MS);
    const digit = String((i % 8) + 2);
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type(digit);
    const answer = await page.waitForFunction((n) => window.__editorBench.answers.at(-1)?.value === n && window.__editorBench.answers.at(-1), Number(digit), { polling: 10 });
    latencies.push((await answer.jsonValue()).ms);
    const status = await source.getByRole('status', { name: 'Build' }).textContent();
    wabt.push(Number(/compiled in ([\d.]+) ms/.exec(status ?? '')?.[1] ?? NaN));
    floors.push(
      await page.evaluate(async () => {
        const { floorWorker } = window.benchKit;
        const bytes = await window.hotwasm.module('counter').download();
        const fw = (window.__editorFloor ??= floorWorker());
        return (await fw.compile(bytes)) + (await fw.roundTrip());
      }),
    );
  }
  if (process.env.HOTWASM_BENCH_DEBUG) console.log('editor', { latencies, wabt, floors });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const floor = median(wabt) + median(floors);
  row('Keystroke → new version answering, counter, delay 0', median(latencies), 'ms', floor, { le: 1, plus: 10 }, `floor: wabt's compile ${median(wabt).toFixed(1)} ms (in its worker) + compile + instantiate in a worker + one round trip ${median(floors).toFixed(1)} ms; median of ${rounds}, each from a page quiet for ${QUIET_MS} ms`);
}
