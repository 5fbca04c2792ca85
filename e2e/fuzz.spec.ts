/**
 * The mutation campaign as a property test: seeded mutants of the example and fixture modules
 * are hot-swapped over the running counter in the playground, and every one must end as
 *
 * - refused, with a message naming the step and the cause, the counter serving on as it was
 *   (same version and sha256, same count); or
 * - loaded and serving, where WebAssembly.validate(mutant) is true;
 *
 * never a hang (each load has a deadline), never an accept of bytes the engine refuses, and
 * never "not a valid WebAssembly module" for bytes it accepts. A mutant that loads is replaced by
 * the original counter again (unloaded and loaded afresh), so the next starts from the same place.
 *
 * HOTWASM_FUZZ_SEED (default 1), HOTWASM_FUZZ_COUNT (default 200) and HOTWASM_FUZZ_FROM (the
 * first index, default 0) choose the mutants; a failure prints the command that replays it.
 * `npm run fuzz` runs a longer campaign (scripts/fuzz.mjs).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { apiCall, openPlayground, root } from './helpers';
import { type Source, makeMutant } from './mutants';
import { UPDATE_STEPS } from '../src/core/history';
import { STEP_WORDS } from '../src/core/pipeline/refusal';

const env = (name: string, fallback: number) => {
  const text = process.env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return value;
};
const SEED = env('HOTWASM_FUZZ_SEED', 1);
const COUNT = env('HOTWASM_FUZZ_COUNT', 200);
const FROM = env('HOTWASM_FUZZ_FROM', 0);
/** Mutants per test: each test opens its own page, so tests can run side by side. */
const BATCH = 50;
/** Mutants per page.evaluate. */
const CHUNK = 10;
/** The count the counter holds while mutants are tried on it. */
const COUNT_HELD = 3;
/**
 * Small limits so that a mutant that hangs (in _initialize, benchmark_function, restore_state,
 * health_check) is stopped quickly; a refusal for a timeout is an ending like any other.
 */
const SETTINGS = { validation_timeout_ms: 500, load_timeout_ms: 5000, call_timeout_ms: 1000, probation_ms: 0 };
/** Past this, a load or call that has not settled is a hang: far over every limit above. */
const DEADLINE_MS = 15_000;
/** The steps an update can be refused at (src/core/history.ts). */
const STEPS: readonly string[] = UPDATE_STEPS;
const CORE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const HEADER_CODES = ['not-wasm', 'component', 'invalid-module'];

const sourcesIn = (dir: string, weight: (file: string) => number): Source[] =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.wasm'))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, bytes: new Uint8Array(readFileSync(join(root, dir, f))), weight: weight(f) }));
// The running counter's own bytes most often: their mutants get furthest through the pipeline.
const SOURCES = [...sourcesIn('public/examples', (f) => (f === 'counter.wasm' ? 6 : 1)), ...sourcesIn('fixtures/swap', () => 1)];
const ORIGINAL = readFileSync(join(root, 'public/examples/counter.wasm'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ORIGINAL_SHA = sha256(ORIGINAL);

interface Serving {
  version: string | null;
  sha256: string | null;
}
interface Trial {
  index: number;
  valid: boolean;
  outcome: { kind: 'loaded'; version: string } | { kind: 'refused'; message: string; code: string; step: string } | { kind: 'hang'; what: string };
  before: Serving;
  after: Serving;
  /** After a refusal: `get` on the version still serving. After a load: `get` once the original is back. */
  get: { ok: boolean; value: unknown };
  /** How long the trial took, for the report only. */
  ms: number;
}

/** Try mutants one after another in the page (see the file comment); stops at a hang. */
function tryInPage({ mutants, original, count, deadlineMs }: { mutants: { index: number; base64: string }[]; original: string; count: number; deadlineMs: number }): Promise<Trial[]> {
  const h = window.hotwasm;
  const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const serving = () => {
    const s = h.status();
    return { version: s.version, sha256: s.sha256 };
  };
  const HANG = Symbol('hang');
  const within = <T,>(promise: Promise<T>): Promise<T | typeof HANG> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<typeof HANG>((resolve) => (timer = setTimeout(() => resolve(HANG), deadlineMs)));
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  };
  const get = async (): Promise<Trial['get']> => {
    try {
      const value = await within(h.call('get'));
      return value === HANG ? { ok: false, value: `get did not answer within ${deadlineMs} ms` } : { ok: true, value };
    } catch (error) {
      return { ok: false, value: (error as Error).message };
    }
  };
  return (async () => {
    const trials: Trial[] = [];
    for (const { index, base64 } of mutants) {
      const t0 = performance.now();
      const bytes = decode(base64);
      const valid = WebAssembly.validate(bytes);
      const before = serving();
      let outcome: Trial['outcome'];
      try {
        const info = await within(h.load(bytes, { name: 'counter' }));
        outcome = info === HANG ? { kind: 'hang', what: `the load did not settle within ${deadlineMs} ms` } : { kind: 'loaded', version: info.version ?? '' };
      } catch (error) {
        const e = error as Error & { code?: string; details?: { step?: unknown } };
        outcome = { kind: 'refused', message: String(e.message ?? ''), code: String(e.code ?? ''), step: String(e.details?.step ?? '') };
      }
      if (outcome.kind === 'hang') {
        trials.push({ index, valid, outcome, before, after: serving(), get: { ok: false, value: null }, ms: performance.now() - t0 });
        break;
      }
      const after = serving();
      if (outcome.kind === 'loaded') {
        // The mutant serves: put the original back with a fresh state at the same count.
        h.unload('counter');
        try {
          const back = await within(h.load(decode(original), { name: 'counter' }));
          if (back === HANG) throw new Error(`reloading the original counter did not settle within ${deadlineMs} ms`);
          await h.call('increment', count);
        } catch (error) {
          trials.push({ index, valid, outcome, before, after, get: { ok: false, value: `the original counter could not be restored: ${(error as Error).message}` }, ms: performance.now() - t0 });
          break;
        }
      }
      trials.push({ index, valid, outcome, before, after, get: await get(), ms: performance.now() - t0 });
    }
    return trials;
  })();
}

/** What is wrong with a trial, or null. */
function violation(trial: Trial, mutantSha: string, coreHeader: boolean): string | null {
  const { outcome, valid, before, after, get } = trial;
  if (outcome.kind === 'hang') return `a hang: ${outcome.what}`;
  if (outcome.kind === 'loaded') {
    if (!valid) return `loaded and served (${outcome.version}) although WebAssembly.validate is false`;
    if (after.sha256 !== mutantSha) return `loaded, but the serving sha256 is ${after.sha256}, not the mutant's ${mutantSha}`;
    if (!get.ok || get.value !== COUNT_HELD) return `after a load, the restored original counter answered get with ${JSON.stringify(get.value)}, not ${COUNT_HELD}`;
    return null;
  }
  const { message, code, step } = outcome;
  // The step is named in the error's details (for programs) and in words in its message, with the cause after them.
  const words = (STEP_WORDS as Record<string, string | undefined>)[step];
  const refusal = words !== undefined && new RegExp(`^.+ was refused ${words.replace(/[()]/g, '\\$&')}: \\S.*\\. \\S+ keeps serving\\.( .+)?$`, 's').test(message);
  // Bytes in hand whose header is not a core module's are refused on the page, before the
  // update pipeline (src/core/engine.ts, readInput): the message names the cause, not a step.
  const headerRefusal = !coreHeader && HEADER_CODES.includes(code) && /^counter (is|has) \S/.test(message);
  if (!headerRefusal && (code !== 'update-refused' || !refusal || !STEPS.includes(step))) {
    return `refused without naming a step and a cause: code ${JSON.stringify(code)}, message ${JSON.stringify(message)}`;
  }
  if (valid && /is not a valid WebAssembly module/.test(message)) return `refused as "not a valid WebAssembly module" although WebAssembly.validate is true: ${message}`;
  if (after.sha256 !== before.sha256 || after.version !== before.version) {
    return `refused, but the serving version changed from ${before.version} (${before.sha256}) to ${after.version} (${after.sha256}): ${message}`;
  }
  if (!get.ok || get.value !== COUNT_HELD) return `refused, but the counter answered get with ${JSON.stringify(get.value)}, not ${COUNT_HELD}: ${message}`;
  return null;
}

const batches: { from: number; to: number }[] = [];
for (let from = FROM; from < FROM + COUNT; from += BATCH) batches.push({ from, to: Math.min(from + BATCH, FROM + COUNT) });

for (const { from, to } of batches) {
  test(`mutants ${from}–${to - 1} of seed ${SEED}: each refused with its reason or valid and serving`, async ({ page }, testInfo) => {
    // A bound for the whole batch, not a timing the test relies on.
    test.setTimeout(60_000 + (to - from) * 3_000);
    await openPlayground(page);
    await page.evaluate((settings) => window.hotwasm.configure(settings), SETTINGS);
    expect(await page.evaluate(() => window.hotwasm.status().sha256)).toBe(ORIGINAL_SHA);
    expect(await apiCall(page, 'increment', COUNT_HELD)).toEqual({ ok: true, value: COUNT_HELD });

    const outcomes = { refused: 0, loaded: 0 };
    const slowest = { ms: 0, index: -1 };
    for (let start = from; start < to; start += CHUNK) {
      const mutants = Array.from({ length: Math.min(CHUNK, to - start) }, (_, i) => makeMutant(SEED, start + i, SOURCES));
      const trials = await page.evaluate(tryInPage, {
        mutants: mutants.map((m) => ({ index: m.index, base64: Buffer.from(m.bytes).toString('base64') })),
        original: ORIGINAL.toString('base64'),
        count: COUNT_HELD,
        deadlineMs: DEADLINE_MS,
      });
      for (const trial of trials) {
        const mutant = mutants.find((m) => m.index === trial.index)!;
        const wrong = violation(trial, sha256(mutant.bytes), CORE_HEADER.every((b, i) => mutant.bytes[i] === b));
        if (wrong) {
          const file = testInfo.outputPath(`mutant-${SEED}-${mutant.index}.wasm`);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, mutant.bytes);
          await testInfo.attach(`mutant ${mutant.index}`, { path: file, contentType: 'application/wasm' });
          throw new Error(
            `Mutant ${mutant.index} of seed ${SEED} (${mutant.source}: ${mutant.ops.join('; ')}): ${wrong}\n` +
              `Replay: HOTWASM_FUZZ_SEED=${SEED} HOTWASM_FUZZ_FROM=${mutant.index} HOTWASM_FUZZ_COUNT=1 npm run fuzz (the bytes: ${file})`,
          );
        }
        outcomes[trial.outcome.kind === 'loaded' ? 'loaded' : 'refused']++;
        if (trial.ms > slowest.ms) Object.assign(slowest, { ms: trial.ms, index: trial.index });
      }
      expect(trials, 'every mutant of the chunk was tried').toHaveLength(mutants.length);
    }
    testInfo.annotations.push({ type: 'outcomes', description: `${outcomes.refused} refused, ${outcomes.loaded} loaded; the slowest, mutant ${slowest.index}, took ${Math.round(slowest.ms)} ms` });
  });
}
