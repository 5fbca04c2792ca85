/**
 * The guest host: one instantiated module with its own WASI object, serving JSON and raw calls.
 *
 * Loading checks everything that can be checked before running guest code (header, layout,
 * imports, memory budget), caps memory growth by rewriting the memory section, compiles
 * asynchronously, instantiates, calls `_initialize` once, and reads the API version. `_start` is
 * only ever run by {@link runCommand}, on a fresh instance.
 */
import { type PackedSlice, checkSliceBounds, isHealthy, parseJsonResult, readUtf8, u32, unpackSlice, utf8Length, writeUtf8 } from '../shared/abi';
import { type PackedBatch, type PackedTexts, packTexts, textAt } from '../shared/batch';
import { HotwasmError, serializeError } from '../shared/errors';
import {
  type ExportInfo,
  type ModuleLayoutInfo,
  PAGE_BYTES,
  checkApiVersion,
  checkHostable,
  describeLayout,
  formatSignature,
  readModuleLayout,
  sha256Hex,
} from '../shared/inspect';
import type { GuestOptions, LoadedGuest, OutputStream, RawValue, RunResult } from '../shared/protocol';
import { BinaryFormatError, hasCoreHeader } from '../shared/wasm-binary';
import { compile, compileCapped, instantiate, makeWasi } from './guest-instantiate';
import { GuestOutput } from './output';
import { guestFailure } from './traps';

type WasmFn = (...args: unknown[]) => unknown;

export class Guest {
  private readonly exports: Record<string, unknown>;
  private readonly exportInfo: Map<string, ExportInfo>;
  private readonly memory: WebAssembly.Memory | null;
  private readonly alloc: WasmFn | null;
  private readonly dealloc: WasmFn | null;
  private heap: Uint8Array;
  private readonly jsonFunctions = new Map<string, WasmFn>();

  private constructor(
    readonly module: WebAssembly.Module,
    readonly layout: ModuleLayoutInfo,
    readonly options: GuestOptions,
    private readonly output: GuestOutput,
    instance: WebAssembly.Instance,
  ) {
    this.exports = instance.exports as Record<string, unknown>;
    this.exportInfo = new Map(layout.exports.map((e) => [e.name, e]));
    const memory = this.exports.memory;
    this.memory = memory instanceof WebAssembly.Memory ? memory : null;
    this.alloc = typeof this.exports.alloc === 'function' ? (this.exports.alloc as WasmFn) : null;
    this.dealloc = typeof this.exports.dealloc === 'function' ? (this.exports.dealloc as WasmFn) : null;
    this.heap = this.memory ? new Uint8Array(this.memory.buffer) : new Uint8Array(0);
  }

  /**
   * Check, compile and instantiate `bytes`. Compiling runs off this thread and starts first, with
   * memory growth capped to the budget; the layout and sha256 of the bytes as given are read
   * while it compiles.
   */
  static async load(bytes: Uint8Array, options: GuestOptions, output: GuestOutput): Promise<{ guest: Guest; loaded: LoadedGuest }> {
    const { label } = options;
    const maxPages = Math.floor(options.memoryBudgetBytes / PAGE_BYTES);
    const t0 = performance.now();
    // Compiling starts before the layout is read (the cap needs only a walk over section headers).
    let compiled = hasCoreHeader(bytes) ? compileCapped(bytes, maxPages, label) : null;
    compiled?.catch(() => undefined); // a refusal below is the answer; the engine's is then unread
    let rawLayout;
    try {
      rawLayout = readModuleLayout(bytes, label);
    } catch (error) {
      // For malformed sections the engine's own message is the most precise one. (A bad header
      // is not asked about: its message here names the version, as the page's check does.)
      if (error instanceof HotwasmError && error.code === 'invalid-module' && error.cause instanceof BinaryFormatError) {
        await (compiled ?? compile(bytes, label));
        // The engine accepts what hotwasm's reader cannot read (a proposal it does not know):
        // refused all the same, but not as "not a valid module".
        throw new HotwasmError('unsupported', `${label} is valid WebAssembly that hotwasm cannot read: ${error.cause.message}`);
      }
      throw error;
    }
    const layout = describeLayout(bytes, rawLayout, label);
    checkHostable(layout, label, options.memoryBudgetBytes);
    compiled ??= compileCapped(bytes, maxPages, label);
    // Web Crypto hashes on the calling thread in Chromium (1.3 ms per MiB here): here, while the
    // engine compiles on its own threads, it keeps the page free.
    const hashed = sha256Hex(bytes);
    const [module, sha256] = await Promise.all([compiled, hashed]);
    const compileMs = performance.now() - t0;
    const { guest, instantiateMs } = Guest.instantiate(module, layout, options, output);

    let apiVersion = layout.apiVersionSection;
    let apiVersionSource: LoadedGuest['apiVersionSource'] = apiVersion === null ? null : 'section';
    if (apiVersion === null && typeof guest.exports.get_api_version === 'function') {
      apiVersion = guest.readLifecycleText('get_api_version').trim();
      checkApiVersion(apiVersion, `${label}: get_api_version`);
      apiVersionSource = 'export';
    }
    return { guest, loaded: { layout, sha256, apiVersion, apiVersionSource, compileMs, instantiateMs, module } };
  }

  /** Instantiate an already compiled module (first load, or a restart after a runaway call). */
  static instantiate(
    module: WebAssembly.Module,
    layout: ModuleLayoutInfo,
    options: GuestOptions,
    output: GuestOutput,
  ): { guest: Guest; instantiateMs: number } {
    const t0 = performance.now();
    const wasi = makeWasi(options.args, options.env, output);
    const instance = instantiate(module, wasi, options.label, layout.hasStartSection);
    const guest = new Guest(module, layout, options, output, instance);
    try {
      // The shim needs the instance for every WASI call, even in modules without _initialize.
      wasi.initialize(instance as never);
    } catch (error) {
      throw new HotwasmError('init-failed', `${options.label}: _initialize failed: ${guest.failure(error, '_initialize').message}`);
    }
    return { guest, instantiateMs: performance.now() - t0 };
  }

  private view(): Uint8Array {
    // memory.grow detaches the old buffer; refresh the view when that happened.
    if (this.memory && this.heap.buffer !== this.memory.buffer) this.heap = new Uint8Array(this.memory.buffer);
    return this.heap;
  }

  private failure(error: unknown, what: string): HotwasmError {
    const memoryBytes = this.memory ? this.memory.buffer.byteLength : 0;
    return guestFailure(error, what, { memoryBytes, budgetBytes: this.options.memoryBudgetBytes });
  }

  private functionExport(fn: string): WasmFn {
    const info = this.exportInfo.get(fn);
    if (!info) {
      const functions = this.layout.exports.filter((e) => e.kind === 'function').map((e) => e.name);
      const list = functions.length ? `; its functions are ${functions.slice(0, 12).join(', ')}${functions.length > 12 ? ', …' : ''}` : '';
      throw new HotwasmError('no-such-export', `${this.options.label} has no export named "${fn}"${list}`);
    }
    if (info.kind !== 'function') throw new HotwasmError('not-a-function', `"${fn}" is a ${info.kind} export, not a function`);
    return this.exports[fn] as WasmFn;
  }

  /** alloc(n), with the block checked to lie inside memory. */
  private allocate(n: number, what: string): number {
    let ptr: number;
    try {
      ptr = u32(this.alloc!(n) as number);
    } catch (error) {
      throw this.failure(error, `alloc(${n}) for ${what}`);
    }
    checkSliceBounds({ ptr, len: n }, this.view().length, `alloc(${n}) for ${what}`);
    return ptr;
  }

  /** Free the argument and result blocks through dealloc, once when they are the same block. */
  private free(argPtr: number, argLen: number, resultPtr: number, resultLen: number, what: string): void {
    if (!this.dealloc) return;
    try {
      if (argPtr >= 0) this.dealloc(argPtr, argLen);
      if (resultPtr !== argPtr) this.dealloc(resultPtr, resultLen);
    } catch (error) {
      throw this.failure(error, `dealloc after ${what}`);
    }
  }

  /** The packed (ptr, len) a guest returned, checked to lie inside memory. */
  private resultSlice(packed: unknown, what: string): PackedSlice {
    if (typeof packed !== 'bigint') throw new HotwasmError('bad-result', `${what} did not return an i64`);
    const slice = unpackSlice(packed);
    checkSliceBounds(slice, this.view().length, what);
    return slice;
  }

  /** The export as a JSON function: checked once, then remembered. */
  private jsonFunction(fn: string): WasmFn {
    const known = this.jsonFunctions.get(fn);
    if (known) return known;
    const f = this.functionExport(fn);
    const info = this.exportInfo.get(fn)!;
    if (this.layout.jsonAbiProblem) throw new HotwasmError('not-json-callable', `not JSON-callable: ${fn} cannot be called with JSON because ${this.layout.jsonAbiProblem}`);
    if (!info.jsonCallable) {
      throw new HotwasmError(
        'not-json-callable',
        `not JSON-callable: ${fn} has type ${formatSignature(info.signature!)}, a JSON call needs (i32, i32) -> i64${info.rawCallable ? '; use a raw call' : ''}`,
      );
    }
    this.jsonFunctions.set(fn, f);
    return f;
  }

  /**
   * JSON call: ABI v1 `(ptr, len) -> packed (ptr, len)`. This is every call's hot path, so text
   * goes straight between JS strings and guest memory with no intermediate buffers.
   */
  callJson(fn: string, argJson: string): unknown {
    return parseJsonResult(this.callJsonText(fn, argJson), fn);
  }

  /** {@link callJson} up to its result's text, not parsed. */
  private callJsonText(fn: string, argJson: string): string {
    const f = this.jsonFunction(fn);
    const n = utf8Length(argJson);
    const ptr = this.allocate(n, fn);
    writeUtf8(argJson, n, this.view(), ptr);
    let packed: unknown;
    try {
      packed = f(ptr, n);
    } catch (error) {
      throw this.failure(error, fn);
    }
    const what = `The result of ${fn}`;
    const slice = this.resultSlice(packed, what);
    const text = readUtf8(this.view(), slice.ptr, slice.len, what);
    this.free(ptr, n, slice.ptr, slice.len, fn);
    return text;
  }

  /** Many JSON calls of one export in one request; each settles on its own (the page parses the results). */
  batch(fn: string, args: PackedTexts): PackedBatch {
    const results: string[] = new Array(args.ends.length);
    const failed: PackedBatch['failed'] = [];
    for (let i = 0; i < results.length; i++) {
      try {
        results[i] = this.callJsonText(fn, textAt(args, i));
      } catch (error) {
        results[i] = '';
        failed.push({ index: i, error: serializeError(error) });
      }
    }
    return { ...packTexts(results), failed };
  }

  /** Raw call with numeric arguments; i64 parameters take BigInt. */
  callRaw(fn: string, args: RawValue[]): RawValue | RawValue[] | undefined {
    const f = this.functionExport(fn);
    const sig = this.exportInfo.get(fn)!.signature!;
    const shape = formatSignature(sig);
    if (args.length !== sig.params.length) {
      throw new HotwasmError('bad-arguments', `${fn} takes ${sig.params.length} argument${sig.params.length === 1 ? '' : 's'} ${shape}, got ${args.length}`);
    }
    sig.params.forEach((type, i) => {
      const value = args[i];
      const where = `argument ${i + 1} of ${fn}`;
      if (type === 'i64') {
        if (typeof value !== 'bigint') {
          throw new HotwasmError('bad-arguments', `${where} is an i64: pass a BigInt (e.g. ${typeof value === 'number' && Number.isInteger(value) ? `${value}n` : '5n'}), not ${describe(value)}`);
        }
      } else if (type === 'i32' || type === 'f32' || type === 'f64') {
        if (typeof value !== 'number') throw new HotwasmError('bad-arguments', `${where} is an ${type}: pass a Number, not ${describe(value)}`);
        if (type === 'i32' && !Number.isInteger(value)) throw new HotwasmError('bad-arguments', `${where} is an i32: pass an integer, not ${value}`);
      } else {
        throw new HotwasmError('bad-arguments', `${fn} has a ${type} parameter, which a raw call cannot pass`);
      }
    });
    try {
      return f(...args) as RawValue | RawValue[] | undefined;
    } catch (error) {
      throw this.failure(error, fn);
    }
  }

  /** Call a lifecycle export that returns a packed UTF-8 string (health_check, get_api_version). */
  readLifecycleText(fn: string): string {
    const f = this.functionExport(fn);
    let packed: unknown;
    try {
      packed = f();
    } catch (error) {
      throw this.failure(error, fn);
    }
    const what = `The result of ${fn}`;
    const slice = this.resultSlice(packed, what);
    const text = readUtf8(this.view(), slice.ptr, slice.len, what);
    this.free(-1, 0, slice.ptr, slice.len, fn);
    return text;
  }

  /** The size of linear memory now, in bytes (0 without one). */
  get memoryBytes(): number {
    return this.memory ? this.memory.buffer.byteLength : 0;
  }

  /** Does the module export a function of this name? */
  has(fn: string): boolean {
    return this.exportInfo.get(fn)?.kind === 'function';
  }

  /** `save_state` as a copy of the state bytes (freed in the guest), or null without the export. */
  saveState(): Uint8Array | null {
    if (!this.has('save_state')) return null;
    const f = this.exports.save_state as WasmFn;
    let packed: unknown;
    try {
      packed = f();
    } catch (error) {
      throw this.failure(error, 'save_state');
    }
    const slice = this.resultSlice(packed, 'The result of save_state');
    const state = this.view().slice(slice.ptr, slice.ptr + slice.len);
    this.free(-1, 0, slice.ptr, slice.len, 'save_state');
    return state;
  }

  /** `restore_state` through alloc; answers its code (0 = accepted). */
  restoreState(state: Uint8Array): number {
    const f = this.functionExport('restore_state');
    if (!this.alloc) throw new HotwasmError('not-json-callable', `${this.options.label} exports restore_state but not alloc, so state cannot be passed to it`);
    const ptr = this.allocate(state.length, 'restore_state');
    this.view().set(state, ptr);
    let code: unknown;
    try {
      code = f(ptr, state.length);
    } catch (error) {
      throw this.failure(error, 'restore_state');
    }
    if (this.dealloc) {
      try {
        this.dealloc(ptr, state.length);
      } catch (error) {
        throw this.failure(error, 'dealloc after restore_state');
      }
    }
    return typeof code === 'number' ? code : -1;
  }

  /** `health_check`: healthy iff it answers `ok` or `"ok"`; null without the export. */
  health(): { text: string; healthy: boolean } | null {
    if (!this.has('health_check')) return null;
    const text = this.readLifecycleText('health_check');
    return { text, healthy: isHealthy(text) };
  }

  /** Time `iterations` direct calls inside the worker: the floor the page-side call path is compared with. */
  measure(fn: string, argJson: string | null, iterations: number): number {
    const t0 = performance.now();
    if (argJson === null) {
      const f = this.functionExport(fn);
      for (let i = 0; i < iterations; i++) f();
    } else {
      for (let i = 0; i < iterations; i++) this.callJson(fn, argJson);
    }
    return performance.now() - t0;
  }

  /** Run `_start` on a fresh instance of the same module, with its own WASI object. */
  async runCommand(args: string[], env: string[]): Promise<RunResult> {
    if (!this.has('_start')) {
      throw new HotwasmError('not-a-command', `${this.options.label} is not a command module: it has no _start export to run`);
    }
    const collected = { stdout: '', stderr: '' };
    const tap = (stream: OutputStream, text: string) => void (collected[stream] += text);
    this.output.taps.add(tap);
    try {
      const wasi = makeWasi([this.options.label, ...args], env, this.output);
      const instance = instantiate(this.module, wasi, this.options.label, this.layout.hasStartSection);
      let exitCode: number;
      try {
        exitCode = wasi.start(instance as never);
      } catch (error) {
        const memory = instance.exports.memory instanceof WebAssembly.Memory ? instance.exports.memory.buffer.byteLength : 0;
        throw guestFailure(error, '_start', { memoryBytes: memory, budgetBytes: this.options.memoryBudgetBytes });
      }
      return { exitCode, ...collected };
    } finally {
      this.output.taps.delete(tap);
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the Number ${value}`;
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return value === null ? 'null' : `a ${typeof value}`;
}
