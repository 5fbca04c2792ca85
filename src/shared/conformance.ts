/**
 * conformance(bytes): what `hotwasm check` and the playground can say about a module against
 * guest ABI v1 (docs/abi.md) without running it — its imports, how each export can be called, a
 * lifecycle export with the wrong type, the api_version and where it came from — and the plan of
 * what running it would test. Pure and synchronous: it reads the binary, never the engine.
 */
import { WASI_MODULE } from './abi';
import { HotwasmError, messageOf } from './errors';
import { type ExportInfo, type ModuleLayoutInfo, PAGE_BYTES, checkApiVersion, describeLayout, formatBytes, formatSignature, readModuleLayout } from './inspect';
import type { FuncSignature } from './wasm-binary';

/** ✓, ✗, !, or not applicable to this module. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface ConformanceCheck {
  /** Stable identifier for tools: `format`, `imports`, `health_check`, … */
  id: string;
  status: CheckStatus;
  /** One line for people. */
  message: string;
}

/** The type each lifecycle export must have (docs/abi.md#exports); `memory` is a memory, not a function. */
export const LIFECYCLE_SIGNATURES: Readonly<Record<string, FuncSignature | 'memory'>> = {
  memory: 'memory',
  alloc: { params: ['i32'], results: ['i32'] },
  dealloc: { params: ['i32', 'i32'], results: [] },
  _initialize: { params: [], results: [] },
  _start: { params: [], results: [] },
  save_state: { params: [], results: ['i64'] },
  restore_state: { params: ['i32', 'i32'], results: ['i32'] },
  health_check: { params: [], results: ['i64'] },
  get_api_version: { params: [], results: ['i64'] },
  benchmark_function: { params: ['i32', 'i32'], results: ['i64'] },
};

export interface MalformedExport {
  name: string;
  /** What it is: a signature like `(i32) -> i64`, or an export kind (`global`). */
  actual: string;
  expected: string;
}

export interface StaticConformance {
  /** No check failed. */
  ok: boolean;
  checks: ConformanceCheck[];
  /** Null when the bytes are not a readable core module (then `checks` says why). */
  module: {
    kind: 'command' | 'reactor';
    size: number;
    wasiImports: string[];
    /** `module.name`, with ` (kind)` for what is not a function. */
    foreignImports: string[];
    exports: { json: string[]; raw: string[]; lifecycle: string[]; malformed: MalformedExport[]; other: string[] };
    /** Why JSON calls are impossible, or null. */
    jsonAbiProblem: string | null;
    /** From the custom section, else null (get_api_version is only known by running). */
    apiVersion: string | null;
    apiVersionSource: 'section' | null;
  } | null;
  /** What running the module would test; everything false/empty when it cannot run. */
  plan: {
    command: boolean;
    health: boolean;
    saveRestore: boolean;
    restore: boolean;
    benchmark: boolean;
    getApiVersion: boolean;
    /** JSON exports to drive 1,000 times for memory growth, best first (the first that takes `null` is used). */
    jsonCandidates: string[];
  };
}

const sameTypes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
/** Compared type by type, not as joined strings: this runs for every export of a module that may have 100,000. */
const same = (a: FuncSignature, b: FuncSignature) => sameTypes(a.params, b.params) && sameTypes(a.results, b.results);

const LIFECYCLE = new Map(Object.entries(LIFECYCLE_SIGNATURES));
const JSON_SHAPE: FuncSignature = { params: ['i32', 'i32'], results: ['i64'] };

function malformedExport(e: ExportInfo, expected: FuncSignature | 'memory'): MalformedExport | null {
  if (expected === 'memory') return e.kind === 'memory' ? null : { name: e.name, actual: `a ${e.kind}`, expected: 'a memory' };
  if (e.kind !== 'function' || !e.signature) return { name: e.name, actual: `a ${e.kind}`, expected: `a function ${formatSignature(expected)}` };
  return same(e.signature, expected) ? null : { name: e.name, actual: formatSignature(e.signature), expected: formatSignature(expected) };
}

const list = (names: string[], max = 8) => (names.length > max ? `${names.slice(0, max).join(', ')}, … (${names.length})` : names.join(', '));

const EMPTY_PLAN: StaticConformance['plan'] = { command: false, health: false, saveRestore: false, restore: false, benchmark: false, getApiVersion: false, jsonCandidates: [] };

/**
 * The static conformance of `bytes`. Never throws for bad input: a module that cannot be read is a
 * failed `format` check. `memoryBudgetBytes` is the host's memory budget (256 MiB by default).
 */
export function conformance(bytes: Uint8Array, label = 'the module', memoryBudgetBytes = 256 * 1024 * 1024): StaticConformance {
  const checks: ConformanceCheck[] = [];
  const add = (id: string, status: CheckStatus, message: string) => checks.push({ id, status, message });
  const done = (module: StaticConformance['module'], plan = EMPTY_PLAN): StaticConformance => ({ ok: checks.every((c) => c.status !== 'fail'), checks, module, plan });

  let info: ModuleLayoutInfo;
  let apiVersion: string | null = null;
  let apiProblem: string | null = null;
  try {
    const layout = readModuleLayout(bytes, label);
    // The api_version section is judged on its own below, so that a bad one does not hide the rest.
    info = describeLayout(bytes, { ...layout, customSections: layout.customSections.filter((s) => s.name !== 'api_version') }, label);
    const section = layout.customSections.filter((s) => s.name === 'api_version');
    if (section.length > 0) {
      try {
        apiVersion = describeLayout(bytes, { ...layout, customSections: section.slice(0, 1) }, label).apiVersionSection;
      } catch (error) {
        apiProblem = messageOf(error);
      }
    }
  } catch (error) {
    const code = error instanceof HotwasmError ? ` (${error.code})` : '';
    add('format', 'fail', `${messageOf(error)}${code}`);
    return done(null);
  }
  const memoryNote = info.memories.length ? `, ${formatBytes(info.memories[0]!.initialPages * PAGE_BYTES)} initial memory` : ', no memory';
  add('format', 'pass', `a core WebAssembly module, ${formatBytes(info.size)}${memoryNote}`);
  const rest = layoutConformance(info, { apiVersion, apiProblem, memoryBudgetBytes });
  checks.push(...rest.checks);
  return done(rest.module, rest.plan);
}

/**
 * The checks that need only a module's layout (as the engine's inspection gives it, `ModuleInfo`
 * included): imports, memory, exports, lifecycle types, the JSON ABI, the api_version — and the
 * plan of what running it would test. What the playground shows of a module it has loaded.
 * `apiVersion` is the version found (from the section, or asked of `get_api_version` when
 * `apiVersionFrom` says so); `apiProblem` why a section could not be read.
 */
export function layoutConformance(
  info: ModuleLayoutInfo,
  { apiVersion = null, apiProblem = null, apiVersionFrom = 'section', memoryBudgetBytes = 256 * 1024 * 1024 }: { apiVersion?: string | null; apiProblem?: string | null; apiVersionFrom?: 'section' | 'export'; memoryBudgetBytes?: number } = {},
): { checks: ConformanceCheck[]; module: NonNullable<StaticConformance['module']>; plan: StaticConformance['plan'] } {
  const checks: ConformanceCheck[] = [];
  const add = (id: string, status: CheckStatus, message: string) => checks.push({ id, status, message });

  // Imports: only functions of WASI can be provided.
  const wasiImports = info.imports.filter((i) => i.module === WASI_MODULE && i.kind === 'function').map((i) => i.name);
  const foreignImports = info.imports
    .filter((i) => i.module !== WASI_MODULE || i.kind !== 'function')
    .map((i) => `${i.module}.${i.name}${i.kind === 'function' ? '' : ` (${i.kind})`}`);
  if (foreignImports.length) add('imports', 'fail', `imports what hotwasm cannot provide (only functions of ${WASI_MODULE}): ${list(foreignImports)}`);
  else add('imports', 'pass', wasiImports.length ? `imports only WASI functions (${wasiImports.length}: ${list(wasiImports, 5)})` : 'imports nothing');

  for (const m of info.memories) {
    if (m.memory64) add('memory', 'fail', 'uses a 64-bit memory (memory64), which hotwasm does not support');
    else if (m.initialPages * PAGE_BYTES > memoryBudgetBytes) {
      add('memory', 'fail', `needs ${formatBytes(m.initialPages * PAGE_BYTES)} of initial memory, over the ${formatBytes(memoryBudgetBytes)} memory budget`);
    }
  }

  // Exports, by how the host can use them: in one pass, as a module may have 100,000 of them.
  const malformed: MalformedExport[] = [];
  const json: string[] = [];
  const raw: string[] = [];
  const lifecycle: string[] = [];
  const other: string[] = [];
  const jsonShaped: string[] = [];
  /** Well-formed lifecycle functions, by name. */
  const present = new Set<string>();
  let stateful = false;
  for (const e of info.exports) {
    const expected = LIFECYCLE.get(e.name);
    let wellFormed = true;
    if (expected !== undefined) {
      const m = malformedExport(e, expected);
      if (m) malformed.push(m);
      else if (e.kind === 'function') present.add(e.name);
      wellFormed = m === null;
      if (e.name === 'save_state' || e.name === 'restore_state') stateful = true;
    }
    if (e.lifecycle) {
      if (wellFormed) lifecycle.push(e.name);
      continue;
    }
    const isFunction = e.kind === 'function';
    if (isFunction && e.jsonCallable) json.push(e.name);
    else if (isFunction && e.rawCallable) raw.push(e.name);
    else other.push(`${e.name} (${e.kind})`);
    if (isFunction && e.signature && same(e.signature, JSON_SHAPE)) jsonShaped.push(e.name);
  }
  const parts = [
    `${json.length} JSON-callable${json.length ? ` (${list(json)})` : ''}`,
    `${raw.length} raw${raw.length ? ` (${list(raw)})` : ''}`,
    `${lifecycle.length} lifecycle${lifecycle.length ? ` (${list(lifecycle)})` : ''}`,
  ];
  if (other.length) parts.push(`${other.length} other (${list(other)})`);
  add('exports', 'pass', `exports ${parts.join(', ')}`);
  if (malformed.length) {
    add('lifecycle-types', 'fail', `lifecycle exports with the wrong type: ${malformed.map((m) => `${m.name} is ${m.actual}, expected ${m.expected}`).join('; ')}`);
  }

  const command = info.kind === 'command';
  if (command) {
    add('kind', 'pass', 'a command (exports _start): each run starts a fresh instance, so it keeps no state across a hot swap and the lifecycle checks do not apply');
  } else if (info.jsonAbiProblem) {
    // A module with JSON-shaped functions or state to pass is meant to be called with JSON.
    const meant = jsonShaped.length > 0 || stateful;
    add('json-abi', meant ? 'fail' : 'warn', `no JSON calls: ${info.jsonAbiProblem}${meant ? ` (yet it exports ${list([...jsonShaped, ...(stateful ? ['save_state/restore_state'] : [])])})` : '; only raw calls work'}`);
  }

  if (apiProblem) add('api_version', 'fail', apiProblem);
  else if (apiVersion) add('api_version', 'pass', `api_version ${apiVersion} (${apiVersionFrom === 'section' ? 'custom section' : 'from get_api_version'})`);
  else if (present.has('get_api_version')) add('api_version', 'skip', 'no api_version section: get_api_version is asked when the module runs');
  else if (!command) add('api_version', 'warn', 'no api_version: declare one (a custom section named api_version holding e.g. 1.0.0) so that an incompatible update is refused');

  const has = (name: string) => present.has(name);
  const runnable = !foreignImports.length && !checks.some((c) => c.id === 'memory');
  const jsonOk = info.jsonAbiProblem === null;
  const plan: StaticConformance['plan'] = runnable
    ? {
        command,
        health: !command && has('health_check'),
        saveRestore: !command && jsonOk && has('save_state') && has('restore_state'),
        restore: !command && jsonOk && has('restore_state'),
        benchmark: !command && jsonOk && has('benchmark_function'),
        getApiVersion: apiVersion === null && !apiProblem && has('get_api_version'),
        // benchmark_function is meant to be called by the host; then `get`, the usual read-only call.
        jsonCandidates: command || !jsonOk ? [] : [...(has('benchmark_function') ? ['benchmark_function'] : []), ...json.filter((n) => n === 'get'), ...json.filter((n) => n !== 'get')],
      }
    : EMPTY_PLAN;
  return {
    checks,
    module: {
      kind: info.kind,
      size: info.size,
      wasiImports,
      foreignImports,
      exports: { json, raw, lifecycle, malformed, other },
      jsonAbiProblem: info.jsonAbiProblem,
      apiVersion: apiVersionFrom === 'section' ? apiVersion : null,
      apiVersionSource: apiVersion === null || apiVersionFrom !== 'section' ? null : 'section',
    },
    plan,
  };
}

/** Check a version text from get_api_version the way the engine does on load. */
export function checkExportedApiVersion(text: string, label: string): ConformanceCheck {
  try {
    checkApiVersion(text, `${label}: get_api_version`);
    return { id: 'api_version', status: 'pass', message: `api_version ${text} (get_api_version)` };
  } catch (error) {
    return { id: 'api_version', status: 'fail', message: messageOf(error) };
  }
}

/** What `hotwasm check --json` prints (schema 1). */
export interface CheckReport {
  schema: 1;
  /** The file as given. */
  file: string;
  /** No check failed (warnings and skips allowed). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  /** In the order they ran: static first, then the running ones. */
  checks: ConformanceCheck[];
  module: StaticConformance['module'];
  apiVersion: { value: string; source: 'section' | 'get_api_version' } | null;
  /** The per-step timeout the running checks had. */
  timeoutMs: number;
}
