/**
 * conformance(bytes), the static half of `hotwasm check` (and what the playground can show on
 * load): never throws, and says what each export is for the host.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkExportedApiVersion, conformance, layoutConformance } from './conformance';
import type { ExportInfo, ModuleLayoutInfo } from './inspect';

const file = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
const status = (r: ReturnType<typeof conformance>) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('conformance', () => {
  it('classifies the counter: WASI imports, JSON exports, lifecycle, the api_version from its section, and a full plan', () => {
    const r = conformance(file('public/examples/counter-c.wasm'), 'counter-c.wasm');
    expect(r.ok).toBe(true);
    expect(status(r)).toEqual({ format: 'pass', imports: 'pass', exports: 'pass', api_version: 'pass' });
    // In the module's export order, which is its compiler's business: compared as sets.
    const { json, lifecycle, ...exports } = r.module!.exports;
    expect(exports).toEqual({ raw: [], malformed: [], other: [] });
    expect([...json].sort()).toEqual(['get', 'increment', 'process']);
    expect([...lifecycle].sort()).toEqual(['_initialize', 'alloc', 'dealloc', 'health_check', 'memory', 'restore_state', 'save_state']);
    expect(r.module).toMatchObject({ kind: 'reactor', wasiImports: ['fd_write'], foreignImports: [], apiVersion: '1.0.0', apiVersionSource: 'section' });
    expect(r.plan).toEqual({ command: false, health: true, saveRestore: true, restore: true, benchmark: false, getApiVersion: false, jsonCandidates: ['get', 'increment', 'process'] });
  });

  it('names lifecycle exports with the wrong type, and plans nothing that would call them', () => {
    const r = conformance(file('fixtures/check/malformed.wasm'), 'malformed.wasm');
    expect(r.ok).toBe(false);
    expect(r.module!.exports.malformed).toEqual([
      { name: 'health_check', actual: 'a global', expected: 'a function () -> i64' },
      { name: 'save_state', actual: '(i32) -> i64', expected: '() -> i64' },
      { name: 'restore_state', actual: '(i32, i32) -> ()', expected: '(i32, i32) -> i32' },
    ]);
    expect(r.checks.find((c) => c.id === 'lifecycle-types')!.message).toMatch(/save_state is \(i32\) -> i64, expected \(\) -> i64/);
    expect(r.module!.exports).toMatchObject({ json: ['echo'], raw: ['add'] });
    expect(r.plan).toMatchObject({ health: false, saveRestore: false, restore: false });
  });

  it('fails without throwing on bytes that are not a core module', () => {
    for (const [path, message] of [
      ['fixtures/logo.wasm', /a PNG image \(not-wasm\)/],
      ['fixtures/truncated.wasm', /not a valid WebAssembly module.*\(invalid-module\)/],
      ['fixtures/component.wasm', /components are not supported.*\(component\)/],
      ['fixtures/empty.wasm', /is empty \(0 bytes\)/],
    ] as const) {
      const r = conformance(file(path));
      expect([path, r.ok, r.module, r.checks.length]).toEqual([path, false, null, 1]);
      expect(r.checks[0]!.message).toMatch(message);
      expect(r.plan.jsonCandidates).toEqual([]);
    }
  });

  it('refuses imports other than WASI functions, and plans no run', () => {
    const r = conformance(file('fixtures/unknown-imports.wasm'));
    expect(r.module!.foreignImports).toEqual(['env.log', 'env.now']);
    expect(status(r).imports).toBe('fail');
    expect(r.plan.jsonCandidates).toEqual([]);
  });

  it('says where the api_version comes from: a bad section fails, get_api_version is asked when run, none is a warning', () => {
    expect(conformance(file('fixtures/bad-api-version.wasm')).checks.find((c) => c.id === 'api_version')).toMatchObject({ status: 'fail', message: expect.stringMatching(/"banana", which is not a semantic version/) });
    const exported = conformance(file('fixtures/api-export.wasm'));
    expect(exported.checks.find((c) => c.id === 'api_version')!.status).toBe('skip');
    expect(exported.plan.getApiVersion).toBe(true);
    expect(status(conformance(file('public/examples/misbehaving.wasm'))).api_version).toBe('warn');
    expect(checkExportedApiVersion('1.4.2', 'm')).toEqual({ id: 'api_version', status: 'pass', message: 'api_version 1.4.2 (get_api_version)' });
    expect(checkExportedApiVersion('soon', 'm').status).toBe('fail');
  });

  it('takes a command for a command: no lifecycle to check, only _start to run', () => {
    const r = conformance(file('public/examples/hello.wasm'));
    expect(r.ok).toBe(true);
    expect(r.module!.kind).toBe('command');
    expect(status(r)).toMatchObject({ kind: 'pass' });
    expect(r.plan).toMatchObject({ command: true, health: false, saveRestore: false, jsonCandidates: [] });
  });

  it('puts benchmark_function first among the calls for the memory-growth check', () => {
    const r = conformance(file('fixtures/swap/bench-ok.wasm'));
    expect(r.plan.benchmark).toBe(true);
    expect(r.plan.jsonCandidates[0]).toBe('benchmark_function');
  });

  it('fails a module meant for JSON calls that cannot have them, naming what says it is meant for them', () => {
    const fn = (name: string, params: string[], results: string[], lifecycle = false): ExportInfo => ({ name, kind: 'function', signature: { params, results } as ExportInfo['signature'], jsonCallable: false, rawCallable: true, lifecycle });
    const layout = (exports: ExportInfo[]): ModuleLayoutInfo => ({ size: 1, kind: 'reactor', exports, imports: [], memories: [], customSections: [], apiVersionSection: null, jsonAbiProblem: 'it exports no memory', hasStartSection: false });
    const meant = layoutConformance(layout([fn('echo', ['i32', 'i32'], ['i64']), fn('save_state', [], ['i64'], true), { name: 'g', kind: 'global', jsonCallable: false, rawCallable: false, lifecycle: false }]));
    expect(meant.checks.find((c) => c.id === 'json-abi')).toEqual({ id: 'json-abi', status: 'fail', message: 'no JSON calls: it exports no memory (yet it exports echo, save_state/restore_state)' });
    expect(meant.module.exports).toMatchObject({ json: [], raw: ['echo'], lifecycle: ['save_state'], other: ['g (global)'] });
    expect(meant.plan).toMatchObject({ saveRestore: false, jsonCandidates: [] });
    const rawOnly = layoutConformance(layout([fn('add', ['i32', 'i32'], ['i32'])]));
    expect(rawOnly.checks.find((c) => c.id === 'json-abi')).toMatchObject({ status: 'warn', message: 'no JSON calls: it exports no memory; only raw calls work' });
  });
});
