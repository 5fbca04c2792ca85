/**
 * inspect(bytes): everything hotwasm shows about a module before running it, and the checks that
 * refuse a load before instantiation. Pure and synchronous except {@link sha256Hex}.
 */
import { WASI_MODULE, isLifecycleExport, parseSemver } from './abi';
import { HotwasmError } from './errors';
import { describeNonWasm, hexHead } from './sniff';
import {
  BinaryFormatError,
  type BinaryLayout,
  type ExternKind,
  type FuncSignature,
  type MemoryLimits,
  functionSignature,
  hasCoreHeader,
  readLayout,
} from './wasm-binary';

export type { FuncSignature, MemoryLimits, ExternKind, ValType } from './wasm-binary';

export const PAGE_BYTES = 65536;

export interface ExportInfo {
  name: string;
  kind: ExternKind;
  /** Function exports only. */
  signature?: FuncSignature;
  /** `(i32, i32) -> i64` and the module exports `memory` and `alloc`. */
  jsonCallable: boolean;
  /** Only numeric parameters and results: callable with callRaw. */
  rawCallable: boolean;
  /** One of the ABI's lifecycle exports (alloc, save_state, …). */
  lifecycle: boolean;
}

export interface ImportInfo {
  module: string;
  name: string;
  kind: ExternKind;
  signature?: FuncSignature;
}

export interface ModuleLayoutInfo {
  /** Size in bytes of the binary as given (before any rewriting). */
  size: number;
  /** `command` when it exports `_start`, else `reactor`. */
  kind: 'command' | 'reactor';
  exports: ExportInfo[];
  imports: ImportInfo[];
  memories: MemoryLimits[];
  customSections: { name: string; size: number }[];
  /** The `api_version` custom section, when present (validated as semver). */
  apiVersionSection: string | null;
  /** Why JSON calls are impossible for this module, or null when its ABI exports are in place. */
  jsonAbiProblem: string | null;
  hasStartSection: boolean;
}

/** Format a signature like `(i32, i32) -> i64`. */
export function formatSignature(sig: FuncSignature): string {
  const results = sig.results.length === 0 ? '()' : sig.results.length === 1 ? sig.results[0] : `(${sig.results.join(', ')})`;
  return `(${sig.params.join(', ')}) -> ${results}`;
}

const NUMERIC = new Set(['i32', 'i64', 'f32', 'f64']);
const sameSig = (sig: FuncSignature | undefined, params: string[], results: string[]) =>
  !!sig && sig.params.join() === params.join() && sig.results.join() === results.join();

/**
 * Check the header and say what the bytes are if they are not a core module.
 * `label` names the input in messages (a file name, a URL).
 */
export function checkHeader(bytes: Uint8Array, label: string): void {
  if (bytes.length === 0) throw new HotwasmError('empty', `${label} is empty (0 bytes), not a WebAssembly module`);
  const magic = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) {
    throw new HotwasmError('not-wasm', `${label} is not a WebAssembly module: it starts with ${hexHead(bytes)}, ${describeNonWasm(bytes)}`, {
      head: hexHead(bytes, 8),
    });
  }
  if (bytes.length < 8) throw new HotwasmError('invalid-module', `${label} is truncated: only ${bytes.length} bytes, shorter than a module header`);
  if (bytes[6] === 1 && bytes[7] === 0 && bytes[4] !== 1) {
    throw new HotwasmError('component', `${label} is a WebAssembly component; components are not supported; core modules only`);
  }
  if (!hasCoreHeader(bytes)) {
    throw new HotwasmError('invalid-module', `${label} has an unknown WebAssembly binary version ${hexHead(bytes.subarray(4), 4)} (expected 01 00 00 00)`);
  }
}

/** Read the layout, turning a malformed binary into a HotwasmError that names the input. */
export function readModuleLayout(bytes: Uint8Array, label: string): BinaryLayout {
  checkHeader(bytes, label);
  try {
    return readLayout(bytes);
  } catch (error) {
    if (error instanceof BinaryFormatError) throw new HotwasmError('invalid-module', `${label} is not a valid WebAssembly module: ${error.message}`, {}, { cause: error });
    throw error;
  }
}

function decodeApiVersion(payload: Uint8Array, label: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    throw new HotwasmError('api-version', `${label}: the api_version section is not UTF-8 text`);
  }
  text = text.replace(/[\0\s]+$/, '').trim();
  checkApiVersion(text, `${label}: the api_version section`);
  return text;
}

/** Refuse an API version that is not semver; `where` says where it came from. */
export function checkApiVersion(text: string, where: string): void {
  if (!parseSemver(text)) {
    throw new HotwasmError('api-version', `${where} is ${JSON.stringify(text.slice(0, 80))}, which is not a semantic version like 1.2.0`, { apiVersion: text });
  }
}

/** Describe a module's layout. Throws HotwasmError for anything that is not an inspectable core module. */
export function describeLayout(bytes: Uint8Array, layout: BinaryLayout, label: string): ModuleLayoutInfo {
  const exported = new Map(layout.exports.map((e) => [e.name, e]));
  const sig = (name: string) => {
    const e = exported.get(name);
    return e?.kind === 'function' ? functionSignature(layout, e.index) : undefined;
  };
  let jsonAbiProblem: string | null = null;
  if (exported.get('memory')?.kind !== 'memory') jsonAbiProblem = 'the module does not export its memory as "memory"';
  else if (!exported.has('alloc')) jsonAbiProblem = 'the module does not export alloc';
  else if (!sameSig(sig('alloc'), ['i32'], ['i32'])) jsonAbiProblem = `alloc has type ${formatSignature(sig('alloc') ?? { params: [], results: [] })}, expected (i32) -> i32`;

  const exports: ExportInfo[] = layout.exports.map((e) => {
    const signature = e.kind === 'function' ? functionSignature(layout, e.index) : undefined;
    const jsonShape = sameSig(signature, ['i32', 'i32'], ['i64']);
    return {
      name: e.name,
      kind: e.kind,
      signature,
      // benchmark_function is a lifecycle export that is also a JSON call.
      jsonCallable: jsonShape && jsonAbiProblem === null && (!isLifecycleExport(e.name) || e.name === 'benchmark_function'),
      rawCallable: !!signature && signature.params.every((t) => NUMERIC.has(t)) && signature.results.every((t) => NUMERIC.has(t)),
      lifecycle: isLifecycleExport(e.name),
    };
  });
  const section = layout.customSections.find((s) => s.name === 'api_version');
  return {
    size: bytes.length,
    kind: exported.get('_start')?.kind === 'function' ? 'command' : 'reactor',
    exports,
    imports: layout.imports.map(({ module, name, kind, signature }) => ({ module, name, kind, signature })),
    memories: layout.memories,
    customSections: layout.customSections.map(({ name, size }) => ({ name, size })),
    apiVersionSection: section ? decodeApiVersion(section.payload, label) : null,
    jsonAbiProblem,
    hasStartSection: layout.hasStartSection,
  };
}

/**
 * The load-time refusals that need no engine: imports outside WASI (each named), imported memory,
 * memory64 and memories whose initial size is over the budget.
 */
export function checkHostable(info: ModuleLayoutInfo, label: string, memoryBudgetBytes: number): void {
  const foreign = info.imports.filter((i) => i.module !== WASI_MODULE || i.kind !== 'function');
  if (foreign.length > 0) {
    const names = foreign.map((i) => `${i.module}.${i.name}${i.kind === 'function' ? '' : ` (${i.kind})`}`);
    throw new HotwasmError(
      'unknown-import',
      `${label} imports ${names.length === 1 ? 'something' : `${names.length} things`} hotwasm cannot provide: ${names.join(', ')}. Guests may only import functions of ${WASI_MODULE}.`,
      { imports: names },
    );
  }
  for (const m of info.memories) {
    if (m.memory64) throw new HotwasmError('unsupported', `${label} uses a 64-bit memory (memory64), which hotwasm does not support`);
    if (m.initialPages * PAGE_BYTES > memoryBudgetBytes) {
      throw new HotwasmError(
        'memory-budget',
        `${label} needs ${formatBytes(m.initialPages * PAGE_BYTES)} of initial memory, over the memory budget of ${formatBytes(memoryBudgetBytes)}`,
        { initialBytes: m.initialPages * PAGE_BYTES, budgetBytes: memoryBudgetBytes },
      );
    }
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Hex SHA-256 through Web Crypto (available in pages, workers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  if (!subtle) {
    // Browsers offer Web Crypto only in secure contexts: e.g. not on a dev server opened by its LAN address.
    throw new HotwasmError('unsupported', `A module's sha256 needs Web Crypto, which this page does not have (it is not a secure context): open it over https or from localhost`);
  }
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
