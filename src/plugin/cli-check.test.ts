/**
 * `hotwasm check`, spawned as a user runs it: it passes on every prebuilt example meant to work,
 * and fails, for the right reason and with exit 1, on each hostile module — a hanging one within
 * its timeout.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../shared/conformance';
import { cli, type Run } from './test-support/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const at = (rel: string) => join(root, rel);

/** Run at most `n` at once: each check starts a worker thread loading the engine. */
async function pooled<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

const report = (r: Run) => JSON.parse(r.stdout) as CheckReport;

describe('hotwasm check', { timeout: 120_000 }, () => {
  it('passes on every prebuilt example guest, reading the api_version from its section; hello.wasm as a command', async () => {
    const files = ['counter.wasm', 'counter-as.wasm', 'counter-c.wasm', 'counter-rust.wasm', 'hello.wasm'];
    const runs = await pooled(files, 3, (f) => cli(['check', at(`public/examples/${f}`), '--json']));
    for (const [i, r] of runs.entries()) {
      const rep = report(r);
      expect([files[i], r.code, rep.ok, rep.checks.filter((c) => c.status === 'fail')]).toEqual([files[i], 0, true, []]);
    }
    const counter = report(runs[0]!);
    expect(counter.checks.map((c) => [c.id, c.status])).toEqual([
      ['format', 'pass'], ['imports', 'pass'], ['exports', 'pass'], ['api_version', 'pass'], ['load', 'pass'],
      ['health_check', 'pass'], ['state', 'pass'], ['garbage', 'pass'], ['memory', 'pass'],
    ]);
    expect(counter.apiVersion).toEqual({ value: '1.0.0', source: 'section' });
    expect(counter.module!.exports).toMatchObject({ json: ['increment', 'get', 'process'], raw: [], malformed: [] });
    expect(counter.checks.find((c) => c.id === 'memory')!.message).toMatch(/over 1000 calls of get\(null\)/);
    const hello = report(runs[4]!);
    expect(hello.checks.map((c) => c.id)).toEqual(['format', 'imports', 'exports', 'kind', 'load', 'run']);
    expect(hello.checks.find((c) => c.id === 'run')!.message).toMatch(/_start ran and exited 0/);
  });

  it('prints one line per check for people, and exits 1 with the failed checks named', async () => {
    const ok = await cli(['check', at('fixtures/check/good.wasm')]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/^✓ format +a core WebAssembly module/);
    expect(ok.stdout).toMatch(/\ngood\.wasm: conforms to guest ABI v1 \(9 passed\)\n$/);
    const unhealthy = await cli(['check', at('public/examples/counter-unhealthy.wasm')]);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stdout).toMatch(/✗ health_check {2}health_check answers "degraded", not "ok"/);
    expect(unhealthy.stderr).toBe('hotwasm: counter-unhealthy.wasm: 1 check failed (health_check)\n');
  });

  it('fails each hostile module for its own reason', async () => {
    const cases: [string, string, RegExp, string[]?][] = [
      ['public/examples/not-webassembly.wasm', 'format', /is not a WebAssembly module: it starts with 89 50 4E 47, a PNG image/],
      ['fixtures/truncated.wasm', 'format', /truncated\.wasm is not a valid WebAssembly module: section \d+ claims \d+ bytes but only \d+ remain/],
      ['fixtures/component.wasm', 'format', /is a WebAssembly component; components are not supported/],
      ['fixtures/unknown-imports.wasm', 'imports', /imports what hotwasm cannot provide .*: env\.log, env\.now/],
      ['fixtures/check/malformed.wasm', 'lifecycle-types', /save_state is \(i32\) -> i64, expected \(\) -> i64/],
      ['fixtures/check/save-traps.wasm', 'state', /save_state trapped: unreachable/],
      ['fixtures/check/restore-accepts-garbage.wasm', 'garbage', /restore_state accepted 61 bytes of garbage \(answered 0\)/],
      ['fixtures/check/health-hangs.wasm', 'health_check', /health_check did not answer within 1500 ms: it hangs/, ['--timeout-ms', '1500']],
      ['fixtures/check/leaks.wasm', 'memory', /memory grew by .* over 1000 calls of echo\(null\).*: the allocator leaks/],
    ];
    const runs = await pooled(cases, 3, ([file, , , extra]) => cli(['check', at(file), '--json', ...(extra ?? [])]));
    for (const [i, [file, id, message]] of cases.entries()) {
      const r = runs[i]!;
      const rep = report(r);
      const failed = rep.checks.filter((c) => c.status === 'fail');
      // Exactly the one failure the module was made for.
      expect([file, r.code, failed.map((c) => c.id)]).toEqual([file, 1, [id]]);
      expect(failed[0]!.message).toMatch(message);
      expect(r.stderr).toMatch(new RegExp(`1 check failed \\(${id}\\)`));
    }
  });

  it('keeps checking after a hang: the next steps get a new thread', async () => {
    const r = report(await cli(['check', at('fixtures/check/health-hangs.wasm'), '--json', '--timeout-ms', '1000']));
    expect(r.checks.filter((c) => ['state', 'garbage', 'memory'].includes(c.id)).map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(r.timeoutMs).toBe(1000);
  });

  it('refuses wrong arguments with exit 2', async () => {
    for (const args of [['check'], ['check', at('nothing-here.wasm')], ['check', at('fixtures/check/good.wasm'), '--timeout-ms', 'soon'], ['check', 'a.wasm', 'b.wasm']]) {
      const r = await cli(args);
      expect([args, r.code, r.stdout]).toEqual([args, 2, '']);
      expect(r.stderr).toMatch(/^hotwasm: /);
    }
    expect((await cli(['check', '--help'])).stdout).toMatch(/^usage: hotwasm check <file\.wasm> \[--json\] \[--timeout-ms <n>\]/);
  });
});
