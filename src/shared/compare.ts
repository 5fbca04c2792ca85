/**
 * compareLayouts(a, b): what changed between two versions of a module, as the History panel shows
 * it side by side. Pure data: the words for people are made by the panel (src/ui/history), and
 * every entry keeps both sides' values, structured, so another view (a CLI's --json) can use it.
 *
 * Only what {@link ModuleLayoutInfo} holds can be compared: custom sections by size (a payload
 * rewritten at the same size is not seen), and the API version by its `api_version` section (a
 * module answering `get_api_version` instead is only known once it runs).
 */
import { parseSemver } from './abi';
import type { ExportInfo, FuncSignature, ImportInfo, MemoryLimits, ModuleLayoutInfo } from './inspect';

/** How an entry present on at least one side compares. */
export type EntryDiff<T, Aspect extends string> =
  | { status: 'added'; left: null; right: T }
  | { status: 'removed'; left: T; right: null }
  /** `changes` is never empty. */
  | { status: 'changed'; left: T; right: T; changes: readonly Aspect[] };

/** The entries of a list (exports, imports, custom sections) that differ, and how many do not. */
export interface ListDiff<T, Aspect extends string> {
  /** In the newer module's order (changed and added), then the removed ones in the older one's. */
  entries: EntryDiff<T, Aspect>[];
  unchanged: number;
}

/** What can differ between an export (or import) of one name on both sides. */
export type InterfaceAspect = 'kind' | 'signature';
export type MemoryAspect = 'initialPages' | 'maxPages' | 'shared' | 'memory64';
export type SectionAspect = 'size';
export type CustomSectionInfo = ModuleLayoutInfo['customSections'][number];

/** Memory `index` of either side: memories have no names, so they pair by position. */
export type MemoryDiff = { index: number } & (EntryDiff<MemoryLimits, MemoryAspect> | { status: 'unchanged'; left: MemoryLimits; right: MemoryLimits });

export interface LayoutComparison {
  size: {
    left: number;
    right: number;
    /** right − left, in bytes. */
    deltaBytes: number;
    /** deltaBytes as a percentage of left; null when left is 0 (no module is that small). */
    deltaPercent: number | null;
  };
  kind: { left: ModuleLayoutInfo['kind']; right: ModuleLayoutInfo['kind']; changed: boolean };
  apiVersion: {
    left: string | null;
    right: string | null;
    changed: boolean;
    /**
     * Both sides declare a version and their majors differ: the swap the engine would refuse
     * (`checkApi`). A side without a version is not checked, so this is false then.
     */
    majorChanged: boolean;
  };
  exports: ListDiff<ExportInfo, InterfaceAspect>;
  /** Paired by module and name; a pair imported twice pairs its first, second, … occurrences. */
  imports: ListDiff<ImportInfo, InterfaceAspect>;
  /** Every memory index either side defines (imported memories are among the imports). */
  memories: MemoryDiff[];
  /** Paired by name, repeated names by occurrence like imports. */
  customSections: ListDiff<CustomSectionInfo, SectionAspect>;
  /** Exports, imports, memories and custom sections are all the same (size, API version may differ). */
  sameLayout: boolean;
}

/** Compare two versions of a module: `a` the older (left), `b` the newer (right). */
export function compareLayouts(a: ModuleLayoutInfo, b: ModuleLayoutInfo): LayoutComparison {
  const exports = diffList(a.exports, b.exports, (e) => e.name, interfaceChanges);
  const imports = diffList(a.imports, b.imports, (i) => JSON.stringify([i.module, i.name]), interfaceChanges);
  const customSections = diffList(a.customSections, b.customSections, (s) => s.name, (l, r) => (l.size === r.size ? [] : ['size']));
  const memories = diffMemories(a.memories, b.memories);
  const deltaBytes = b.size - a.size;
  const leftMajor = a.apiVersionSection === null ? null : (parseSemver(a.apiVersionSection)?.major ?? null);
  const rightMajor = b.apiVersionSection === null ? null : (parseSemver(b.apiVersionSection)?.major ?? null);
  return {
    size: { left: a.size, right: b.size, deltaBytes, deltaPercent: a.size === 0 ? null : (deltaBytes / a.size) * 100 },
    kind: { left: a.kind, right: b.kind, changed: a.kind !== b.kind },
    apiVersion: {
      left: a.apiVersionSection,
      right: b.apiVersionSection,
      changed: a.apiVersionSection !== b.apiVersionSection,
      majorChanged: leftMajor !== null && rightMajor !== null && leftMajor !== rightMajor,
    },
    exports,
    imports,
    memories,
    customSections,
    sameLayout: [exports, imports, customSections].every((d) => d.entries.length === 0) && memories.every((m) => m.status === 'unchanged'),
  };
}

/** Same parameter and result types, in order. */
export function sameSignature(a: FuncSignature, b: FuncSignature): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((t, i) => t === y[i]);
  return same(a.params, b.params) && same(a.results, b.results);
}

/** A signature is compared only when both sides have one: a changed kind says the rest. */
function interfaceChanges(l: ExportInfo | ImportInfo, r: ExportInfo | ImportInfo): InterfaceAspect[] {
  if (l.kind !== r.kind) return ['kind'];
  return l.signature && r.signature && !sameSignature(l.signature, r.signature) ? ['signature'] : [];
}

function memoryChanges(l: MemoryLimits, r: MemoryLimits): MemoryAspect[] {
  return (['initialPages', 'maxPages', 'shared', 'memory64'] as const).filter((k) => l[k] !== r[k]);
}

function diffMemories(left: readonly MemoryLimits[], right: readonly MemoryLimits[]): MemoryDiff[] {
  const out: MemoryDiff[] = [];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const l = left[index];
    const r = right[index];
    if (!l) out.push({ index, status: 'added', left: null, right: r! });
    else if (!r) out.push({ index, status: 'removed', left: l, right: null });
    else {
      const changes = memoryChanges(l, r);
      out.push(changes.length === 0 ? { index, status: 'unchanged', left: l, right: r } : { index, status: 'changed', left: l, right: r, changes });
    }
  }
  return out;
}

/**
 * Pair entries by key, a repeated key by occurrence (the second `a` on the left with the second
 * on the right), and say how each pair differs.
 */
function diffList<T, A extends string>(left: readonly T[], right: readonly T[], keyOf: (item: T) => string, changesOf: (l: T, r: T) => A[]): ListDiff<T, A> {
  // Indices into `left` of each key not yet paired, in order.
  const unpaired = new Map<string, number[]>();
  left.forEach((item, i) => {
    const key = keyOf(item);
    const queue = unpaired.get(key);
    if (queue) queue.push(i);
    else unpaired.set(key, [i]);
  });
  const paired = new Set<number>();
  const entries: EntryDiff<T, A>[] = [];
  let unchanged = 0;
  for (const r of right) {
    const i = unpaired.get(keyOf(r))?.shift();
    if (i === undefined) {
      entries.push({ status: 'added', left: null, right: r });
      continue;
    }
    paired.add(i);
    const l = left[i]!;
    const changes = changesOf(l, r);
    if (changes.length === 0) unchanged++;
    else entries.push({ status: 'changed', left: l, right: r, changes });
  }
  left.forEach((l, i) => {
    if (!paired.has(i)) entries.push({ status: 'removed', left: l, right: null });
  });
  return { entries, unchanged };
}
