/**
 * The running half of `hotwasm check`: the module driven by the same {@link Guest} host, with the
 * same WASI shim, that serves it in the browser — so what passes here behaves so there. Every
 * step but `load` runs on a fresh instance of the compiled module, so no step sees another's
 * state. Steps are synchronous guest code: the caller runs this in a worker it can terminate
 * (bin/lib/check.mjs), which is how a hanging module is reported instead of waited for.
 */
import { messageOf } from '../shared/errors';
import { type ConformanceCheck, checkExportedApiVersion, conformance } from '../shared/conformance';
import { formatBytes } from '../shared/inspect';
import type { GuestOptions } from '../shared/protocol';
import { Guest } from './guest';
import { GuestOutput } from './output';

export { conformance };
export type { ConformanceCheck, StaticConformance } from '../shared/conformance';

/** The memory budget of the host's default settings (memory_budget_mb). */
const MEMORY_BUDGET = 256 * 1024 * 1024;
/** The host's default benchmark budget (benchmark_budget_ms). */
export const BENCHMARK_BUDGET_MS = 100;
export const GROWTH_CALLS = 1000;
/** What the memory-growth step passes, in turn, until a call is answered without an error (JSON texts). */
export const GROWTH_ARGS = ['null', '0', '"hotwasm check"', '[]', '{}'] as const;

const check = (id: string, status: ConformanceCheck['status'], message: string): ConformanceCheck => ({ id, status, message });

/** Deterministic bytes no sensible state encoding reads (xorshift; the same every run). */
export function garbage(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export class Probe {
  private constructor(
    private readonly guest: Guest,
    private readonly options: GuestOptions,
    private readonly output: GuestOutput,
  ) {}

  /** Compile, instantiate and `_initialize`, as the engine loads; the api_version from get_api_version when the section has none. */
  static async load(bytes: Uint8Array, label: string): Promise<{ probe: Probe | null; checks: ConformanceCheck[] }> {
    // Guest output is not shown: check reports what the module does, not what it prints.
    const output = new GuestOutput(() => undefined);
    const options: GuestOptions = { label, memoryBudgetBytes: MEMORY_BUDGET, args: [label], env: [] };
    try {
      const { guest, loaded } = await Guest.load(bytes, options, output);
      const checks = [check('load', 'pass', `compiles and instantiates${guest.has('_initialize') ? ', _initialize runs' : ''} (${loaded.compileMs.toFixed(0)} ms)`)];
      if (loaded.apiVersionSource === 'export') checks.push(checkExportedApiVersion(loaded.apiVersion ?? '', label));
      return { probe: new Probe(guest, options, output), checks };
    } catch (error) {
      // A get_api_version that is not semver refuses the load: it is reported as the api_version's fault.
      const id = /get_api_version/.test(messageOf(error)) ? 'api_version' : 'load';
      return { probe: null, checks: [check(id, 'fail', messageOf(error))] };
    }
  }

  private fresh(): Guest {
    return Guest.instantiate(this.guest.module, this.guest.layout, this.options, this.output).guest;
  }

  /** `_start` with no arguments, on a fresh instance. */
  async run(): Promise<ConformanceCheck> {
    try {
      const { exitCode, stdout, stderr } = await this.guest.runCommand([], []);
      const printed = `${stdout.length + stderr.length} characters of output`;
      return exitCode === 0
        ? check('run', 'pass', `_start ran and exited 0 (${printed})`)
        : check('run', 'warn', `_start with no arguments exited ${exitCode} (${printed}): fine if it needs arguments`);
    } catch (error) {
      return check('run', 'fail', messageOf(error));
    }
  }

  health(): ConformanceCheck {
    try {
      const answer = this.fresh().health();
      if (!answer) return check('health_check', 'skip', 'no health_check: the host takes the module as healthy');
      return answer.healthy
        ? check('health_check', 'pass', `health_check answers ${JSON.stringify(answer.text)}`)
        : check('health_check', 'fail', `health_check answers ${JSON.stringify(answer.text.slice(0, 80))}, not "ok": the host refuses an update to it`);
    } catch (error) {
      return check('health_check', 'fail', messageOf(error));
    }
  }

  /** save_state on one fresh instance, restore_state on another, save_state again: the same bytes? */
  roundTrip(): ConformanceCheck {
    try {
      const saved = this.fresh().saveState()!;
      const next = this.fresh();
      const code = next.restoreState(saved);
      if (code !== 0) return check('state', 'fail', `restore_state refused (${code}) the ${formatBytes(saved.length)} save_state gave on a fresh instance: a hot swap to this module would lose its state`);
      const again = next.saveState()!;
      if (!equal(saved, again)) return check('state', 'fail', `the state changed in a save_state → restore_state → save_state round trip (${saved.length} bytes, then ${again.length})`);
      return check('state', 'pass', `save_state → restore_state → save_state on fresh instances gives the same ${formatBytes(saved.length)}`);
    } catch (error) {
      return check('state', 'fail', messageOf(error));
    }
  }

  /** restore_state must refuse (non-zero) bytes it cannot read, or an incompatible swap corrupts the module. */
  refusesGarbage(): ConformanceCheck {
    const samples = [garbage(61), Uint8Array.of(0xff)];
    const trapped: string[] = [];
    for (const bytes of samples) {
      let code: number;
      try {
        code = this.fresh().restoreState(bytes);
      } catch (error) {
        trapped.push(messageOf(error));
        continue;
      }
      if (code === 0) return check('garbage', 'fail', `restore_state accepted ${formatBytes(bytes.length)} of garbage (answered 0): it must answer non-zero for state it cannot read, or an incompatible update corrupts the running module`);
    }
    if (trapped.length) return check('garbage', 'warn', `restore_state refused garbage by failing (${trapped[0]}): answering non-zero is the clean refusal`);
    return check('garbage', 'pass', 'restore_state refuses garbage (61 random bytes, 1 byte)');
  }

  benchmark(budgetMs = BENCHMARK_BUDGET_MS): ConformanceCheck {
    try {
      const guest = this.fresh();
      const t0 = performance.now();
      guest.callJson('benchmark_function', 'null');
      const ms = performance.now() - t0;
      const text = `benchmark_function(null) took ${ms.toFixed(1)} ms`;
      return ms > budgetMs ? check('benchmark', 'warn', `${text}, over the default ${budgetMs} ms budget (benchmark_budget_ms): updates to it are refused`) : check('benchmark', 'pass', `${text} (budget ${budgetMs} ms)`);
    } catch (error) {
      return check('benchmark', 'fail', messageOf(error));
    }
  }

  /**
   * Memory growth over {@link GROWTH_CALLS} JSON calls of the first candidate, with the first of
   * {@link GROWTH_ARGS} it answers with something other than an error: an allocator that leaks
   * grows memory. (A guest's functions take what they take: `add(n)` refuses `null`, takes `0`.)
   */
  growth(candidates: string[], timeoutMs = Infinity, calls = GROWTH_CALLS): ConformanceCheck {
    const refused: string[] = [];
    for (const fn of candidates) {
      for (const arg of GROWTH_ARGS) {
        const call = `${fn}(${arg})`;
        const guest = this.fresh();
        try {
          const t0 = performance.now();
          const first = guest.callJson(fn, arg);
          // A call too slow to make 1,000 times within the step's time (a heavy benchmark_function) is not the one to count with.
          if ((performance.now() - t0) * (calls + 10) > timeoutMs / 2) {
            refused.push(`${call} is too slow to call ${calls} times`);
            break;
          }
          if (first !== null && typeof first === 'object' && 'error' in first) {
            refused.push(`${call} answered ${JSON.stringify(first).slice(0, 60)}`);
            continue;
          }
        } catch (error) {
          refused.push(`${call}: ${messageOf(error)}`);
          continue;
        }
        // A few calls first: an allocator may take its first pages on first use.
        for (let i = 0; i < 10; i++) guest.callJson(fn, arg);
        const before = guest.memoryBytes;
        try {
          for (let i = 0; i < calls; i++) guest.callJson(fn, arg);
        } catch (error) {
          return check('memory', 'fail', `${calls} calls of ${call}: ${messageOf(error)}`);
        }
        const grown = guest.memoryBytes - before;
        return grown > 0
          ? check('memory', 'fail', `memory grew by ${formatBytes(grown)} over ${calls} calls of ${call}, from ${formatBytes(before)}: the allocator leaks (are the argument and result freed by dealloc?)`)
          : check('memory', 'pass', `memory stays at ${formatBytes(before)} over ${calls} calls of ${call}`);
      }
    }
    if (!candidates.length) return check('memory', 'skip', 'no JSON export to call');
    return check('memory', 'skip', `no JSON export answered any of ${GROWTH_ARGS.join(', ')} without an error, so memory growth was not measured (${refused.slice(0, 3).join('; ')})`);
  }
}
