/**
 * compareLayouts on real binaries: modules written as WAT, compiled with the npm wabt package
 * and read back through readModuleLayout + describeLayout, as the engine reads a build.
 */
import { readFileSync } from 'node:fs';
import createWabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { compareLayouts } from './compare';
import { type ModuleLayoutInfo, describeLayout, readModuleLayout } from './inspect';

// scripts/wat.mjs has no shared memories, memory64 or several memories: this helper adds them.
const FEATURES = { annotations: true, multi_value: true, bulk_memory: true, threads: true, memory64: true, multi_memory: true };
const wabt = await createWabt();

function wat(text: string): Uint8Array {
  const module = wabt.parseWat('m.wat', text, FEATURES);
  try {
    module.resolveNames();
    (module as unknown as { validate(features: typeof FEATURES): void }).validate(FEATURES);
    return new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
const inspect = (bytes: Uint8Array): ModuleLayoutInfo => describeLayout(bytes, readModuleLayout(bytes, 'm.wasm'), 'm.wasm');
const layout = (text: string) => inspect(wat(text));
const file = (path: string) => inspect(new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url))));

const sig = (params: string[], results: string[]) => ({ params, results });
const NONE = { entries: [], unchanged: 0 };

const OLD = layout(`(module
  (@custom "api_version" "1.2.0")
  (@custom "notes" "abc")
  (@custom "producers" "x")
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "env" "clock" (func (result i64)))
  (memory (export "memory") 1 16)
  (global (export "count") (mut i32) (i32.const 0))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "increment") (param i32 i32) (result i64) (i64.const 0))
  (func (export "gone") (param i32 i32) (result i64) (i64.const 0))
  (func (export "flip") (result i32) (i32.const 0))
)`);

const NEW = layout(`(module
  (@custom "api_version" "2.0.0")
  (@custom "notes" "abcdef")
  (@custom "build" "b")
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i64)))
  (import "env" "random" (func (result f64)))
  (memory (export "memory") 2)
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "increment") (param i32 i32 i32) (result i64) (i64.const 0))
  (func (export "fresh") (param i32 i32) (result i64) (i64.const 0))
  (global (export "flip") i32 (i32.const 1))
  (func (export "count") (result i32) (i32.const 0))
)`);

describe('compareLayouts', () => {
  const c = compareLayouts(OLD, NEW);

  it('lists exports added, removed and changed (kind or signature), with both sides', () => {
    const old = (n: string) => OLD.exports.find((e) => e.name === n)!;
    const now = (n: string) => NEW.exports.find((e) => e.name === n)!;
    expect(c.exports).toEqual({
      entries: [
        { status: 'changed', left: old('increment'), right: now('increment'), changes: ['signature'] },
        { status: 'added', left: null, right: now('fresh') },
        { status: 'changed', left: old('flip'), right: now('flip'), changes: ['kind'] },
        { status: 'changed', left: old('count'), right: now('count'), changes: ['kind'] },
        { status: 'removed', left: old('gone'), right: null },
      ],
      unchanged: 2, // memory, alloc
    });
    const increment = c.exports.entries[0]!;
    expect([increment.left?.signature, increment.right?.signature]).toEqual([sig(['i32', 'i32'], ['i64']), sig(['i32', 'i32', 'i32'], ['i64'])]);
  });

  it('lists imports by module and name', () => {
    expect(c.imports).toEqual({
      entries: [
        {
          status: 'changed',
          left: { module: 'wasi_snapshot_preview1', name: 'proc_exit', kind: 'function', signature: sig(['i32'], []) },
          right: { module: 'wasi_snapshot_preview1', name: 'proc_exit', kind: 'function', signature: sig(['i64'], []) },
          changes: ['signature'],
        },
        { status: 'added', left: null, right: { module: 'env', name: 'random', kind: 'function', signature: sig([], ['f64']) } },
        { status: 'removed', left: { module: 'env', name: 'clock', kind: 'function', signature: sig([], ['i64']) }, right: null },
      ],
      unchanged: 1,
    });
  });

  it("gives each side's memory limits and says which changed", () => {
    expect(c.memories).toEqual([
      {
        index: 0,
        status: 'changed',
        left: { initialPages: 1, maxPages: 16, shared: false, memory64: false },
        right: { initialPages: 2, maxPages: null, shared: false, memory64: false },
        changes: ['initialPages', 'maxPages'],
      },
    ]);
  });

  it('lists custom sections added, removed and resized', () => {
    expect(c.customSections).toEqual({
      entries: [
        { status: 'changed', left: { name: 'notes', size: 9 }, right: { name: 'notes', size: 12 }, changes: ['size'] },
        { status: 'added', left: null, right: { name: 'build', size: 7 } },
        { status: 'removed', left: { name: 'producers', size: 11 }, right: null },
      ],
      unchanged: 1, // api_version: same size, other text
    });
  });

  it('says when the API major changed', () => {
    expect(c.apiVersion).toEqual({ left: '1.2.0', right: '2.0.0', changed: true, majorChanged: true });
    const minor = compareLayouts(OLD, { ...OLD, apiVersionSection: '1.3.0' });
    expect(minor.apiVersion).toEqual({ left: '1.2.0', right: '1.3.0', changed: true, majorChanged: false });
    // Like the engine's checkApi: a side that declares no version is not a major change.
    expect(compareLayouts(OLD, { ...OLD, apiVersionSection: null }).apiVersion).toEqual({ left: '1.2.0', right: null, changed: true, majorChanged: false });
  });

  it('gives the size delta in bytes and percent', () => {
    expect(c.size).toEqual({ left: OLD.size, right: NEW.size, deltaBytes: NEW.size - OLD.size, deltaPercent: ((NEW.size - OLD.size) / OLD.size) * 100 });
    expect(compareLayouts({ ...OLD, size: 200 }, { ...OLD, size: 150 }).size).toEqual({ left: 200, right: 150, deltaBytes: -50, deltaPercent: -25 });
    expect(c.sameLayout).toBe(false);
  });

  it('sees a module become a command', () => {
    const command = layout(`(module (memory (export "memory") 1) (func (export "_start")))`);
    const reactor = layout(`(module (memory (export "memory") 1) (func (export "_initialize")))`);
    expect(compareLayouts(reactor, command).kind).toEqual({ left: 'reactor', right: 'command', changed: true });
  });

  it('finds no change between a module and itself', () => {
    const counter = file('public/examples/counter.wasm');
    const same = compareLayouts(counter, file('public/examples/counter.wasm'));
    expect(same).toEqual({
      size: { left: counter.size, right: counter.size, deltaBytes: 0, deltaPercent: 0 },
      kind: { left: 'reactor', right: 'reactor', changed: false },
      apiVersion: { left: '1.0.0', right: '1.0.0', changed: false, majorChanged: false },
      exports: { entries: [], unchanged: counter.exports.length },
      imports: { entries: [], unchanged: counter.imports.length },
      memories: [{ index: 0, status: 'unchanged', left: counter.memories[0], right: counter.memories[0] }],
      customSections: { entries: [], unchanged: counter.customSections.length },
      sameLayout: true,
    });
    expect(counter.exports.length).toBeGreaterThan(3);
  });

  it('sees only the API version between the example counter and its 2.0.0 build', () => {
    const c2 = compareLayouts(file('public/examples/counter.wasm'), file('fixtures/swap/api-v2.wasm'));
    expect(c2.apiVersion).toEqual({ left: '1.0.0', right: '2.0.0', changed: true, majorChanged: true });
    expect(c2.sameLayout).toBe(true);
    expect(c2.size.deltaBytes).toBe(0);
  });

  it('pairs memories by index: shared, memory64, added and removed', () => {
    const one = layout(`(module (memory 1 4 shared))`);
    const two = layout(`(module (memory 1 4) (memory i64 3))`);
    expect(compareLayouts(one, two).memories).toEqual([
      { index: 0, status: 'changed', left: { initialPages: 1, maxPages: 4, shared: true, memory64: false }, right: { initialPages: 1, maxPages: 4, shared: false, memory64: false }, changes: ['shared'] },
      { index: 1, status: 'added', left: null, right: { initialPages: 3, maxPages: null, shared: false, memory64: true } },
    ]);
    expect(compareLayouts(two, one).memories[1]).toEqual({ index: 1, status: 'removed', left: { initialPages: 3, maxPages: null, shared: false, memory64: true }, right: null });
    const none = compareLayouts(layout('(module)'), layout('(module)'));
    expect([none.memories, none.exports, none.imports, none.customSections, none.sameLayout]).toEqual([[], NONE, NONE, NONE, true]);
  });

  it('pairs an import repeated under one name by occurrence', () => {
    const left = layout(`(module (import "m" "f" (func (param i32))) (import "m" "f" (func (param i64))))`);
    const right = layout(`(module (import "m" "f" (func (param i32))) (import "m" "f" (func (param f32))) (import "m" "f" (func)))`);
    expect(compareLayouts(left, right).imports).toEqual({
      entries: [
        { status: 'changed', left: left.imports[1], right: right.imports[1], changes: ['signature'] },
        { status: 'added', left: null, right: right.imports[2] },
      ],
      unchanged: 1,
    });
    // A module "a.b" name "c" is not module "a" name "b.c".
    const dotted = compareLayouts(layout(`(module (import "a.b" "c" (func)))`), layout(`(module (import "a" "b.c" (func)))`));
    expect(dotted.imports.entries.map((e) => e.status)).toEqual(['added', 'removed']);
  });
});
