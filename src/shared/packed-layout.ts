/**
 * A module's layout as it crosses between threads. Structured clone makes one object per export,
 * and reading them back cost the page's main thread 70-90 ms in one task for a module of 100,000
 * exports (headless Chromium, 2-core VM). As columns (one string of names, typed arrays and the
 * few distinct signatures) it is a handful of objects, and the descriptions are rebuilt in a
 * fraction of that.
 */
import type { ExportInfo, ExternKind, FuncSignature, ModuleLayoutInfo } from './inspect';

const KINDS: readonly ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];
const JSON_CALLABLE = 1;
const RAW_CALLABLE = 2;
const LIFECYCLE = 4;

export interface PackedExports {
  /** Every name, one after the other: name i ends at `ends[i]`. */
  names: string;
  ends: Uint32Array;
  /** Index into KINDS. */
  kinds: Uint8Array;
  flags: Uint8Array;
  /** Index into `signatures`, or -1 for exports that are not functions. */
  signatureOf: Int32Array;
  /** Each distinct signature once (exports of one type share it). */
  signatures: FuncSignature[];
}

/** A layout whose exports travel as columns. */
export type PackedLayout = Omit<ModuleLayoutInfo, 'exports'> & { exports: PackedExports };

export function packLayout(layout: ModuleLayoutInfo): PackedLayout {
  const { exports } = layout;
  const n = exports.length;
  const ends = new Uint32Array(n);
  const kinds = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const signatureOf = new Int32Array(n);
  const signatures: FuncSignature[] = [];
  const known = new Map<FuncSignature, number>();
  const names: string[] = new Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const e = exports[i]!;
    names[i] = e.name;
    at += e.name.length;
    ends[i] = at;
    kinds[i] = KINDS.indexOf(e.kind);
    flags[i] = (e.jsonCallable ? JSON_CALLABLE : 0) | (e.rawCallable ? RAW_CALLABLE : 0) | (e.lifecycle ? LIFECYCLE : 0);
    if (e.signature) {
      let index = known.get(e.signature);
      if (index === undefined) {
        index = signatures.push(e.signature) - 1;
        known.set(e.signature, index);
      }
      signatureOf[i] = index;
    } else signatureOf[i] = -1;
  }
  return { ...layout, exports: { names: names.join(''), ends, kinds, flags, signatureOf, signatures } };
}

export function unpackLayout(packed: PackedLayout): ModuleLayoutInfo {
  const { names, ends, kinds, flags, signatureOf, signatures } = packed.exports;
  const exports: ExportInfo[] = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const s = signatureOf[i]!;
    const f = flags[i]!;
    // The shape describeLayout makes (signature present, undefined for non-functions).
    exports[i] = {
      name: names.slice(start, end),
      kind: KINDS[kinds[i]!]!,
      signature: s < 0 ? undefined : signatures[s],
      jsonCallable: (f & JSON_CALLABLE) !== 0,
      rawCallable: (f & RAW_CALLABLE) !== 0,
      lifecycle: (f & LIFECYCLE) !== 0,
    };
    start = end;
  }
  return { ...packed, exports };
}

/** Is this a packed layout (checked on arrival from a worker)? */
export function isPackedLayout(value: unknown): value is PackedLayout {
  const e = (value as { exports?: Partial<PackedExports> } | null)?.exports;
  return typeof e?.names === 'string' && e.ends instanceof Uint32Array && e.kinds instanceof Uint8Array && e.flags instanceof Uint8Array && e.signatureOf instanceof Int32Array && Array.isArray(e.signatures);
}
