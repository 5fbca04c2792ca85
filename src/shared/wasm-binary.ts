/**
 * A small reader for the parts of the WebAssembly binary format hotwasm needs: the type, import,
 * function, memory and export sections plus custom sections. Chromium's `WebAssembly.Module.exports`
 * gives no signatures, so we read them here. Everything is bounds-checked: a truncated or hostile
 * binary yields a {@link BinaryFormatError}, never an out-of-range read. The one change hotwasm
 * makes to a module is the memory budget written into its memory section ({@link memoryCap}).
 */

export class BinaryFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'BinaryFormatError';
  }
}

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | `type 0x${string}`;
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

export interface FuncSignature {
  params: ValType[];
  results: ValType[];
}

export interface MemoryLimits {
  initialPages: number;
  maxPages: number | null;
  shared: boolean;
  memory64: boolean;
}

export interface RawImport {
  module: string;
  name: string;
  kind: ExternKind;
  /** Function imports only. */
  signature?: FuncSignature;
}

export interface RawExport {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface SectionSpan {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset one past the last content byte. */
  end: number;
}

export interface BinaryLayout {
  types: FuncSignature[];
  imports: RawImport[];
  /** Signatures of the imported functions, in index order (they come first in the index space). */
  importedFunctions: (FuncSignature | undefined)[];
  /** Type index of each function defined in the module (not imported ones). */
  functionTypes: number[];
  /** Memories defined in the module (imported memories are listed in `imports`). */
  memories: MemoryLimits[];
  exports: RawExport[];
  customSections: { name: string; size: number; payload: Uint8Array }[];
  hasStartSection: boolean;
}

const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];
const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
export const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, start: 8 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Exported for ./memory-cap.ts. */
export class Reader {
  pos: number;
  constructor(readonly bytes: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  byte(): number {
    if (this.pos >= this.end) throw new BinaryFormatError('unexpected end of data', this.pos);
    return this.bytes[this.pos++]!;
  }
  /** Unsigned LEB128 up to 32 bits, returned as a non-negative number. */
  u32(): number {
    let result = 0;
    let shift = 0;
    const at = this.pos;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) throw new BinaryFormatError('integer too large for u32', at);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 28) throw new BinaryFormatError('integer representation too long', at);
    }
  }
  /** Unsigned LEB128 up to 64 bits (memory64 limits), as a number (exact below 2^53). */
  u64(): number {
    let result = 0;
    let shift = 0;
    const at = this.pos;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new BinaryFormatError('integer representation too long', at);
    }
  }
  take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new BinaryFormatError(`a length of ${n} bytes runs past the end`, this.pos);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string {
    const at = this.pos;
    const raw = this.take(this.u32());
    try {
      return utf8.decode(raw);
    } catch {
      throw new BinaryFormatError('a name is not valid UTF-8', at);
    }
  }
  valtype(): ValType {
    const at = this.pos;
    const b = this.byte();
    // (ref ht) and (ref null ht) are followed by a heap type: read as one byte, every type after
    // them would be misread.
    if (b === 0x63 || b === 0x64) throw new BinaryFormatError(`a typed reference type (0x${b.toString(16)}, function references or GC proposal) is not supported`, at);
    return VALTYPES[b] ?? `type 0x${b.toString(16)}`;
  }
  limits(): MemoryLimits {
    const at = this.pos;
    const flags = this.byte();
    if (flags > 0x0f) throw new BinaryFormatError(`unknown limits flags 0x${flags.toString(16)}`, at);
    const memory64 = (flags & 0x04) !== 0;
    const initialPages = memory64 ? this.u64() : this.u32();
    const maxPages = flags & 0x01 ? (memory64 ? this.u64() : this.u32()) : null;
    if (flags & 0x08) this.u32(); // custom page size (proposal): read and ignore
    return { initialPages, maxPages, shared: (flags & 0x02) !== 0, memory64 };
  }
}

/** Is this the 8-byte header of a core module? (`\0asm` + version 1) */
export function hasCoreHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0;
}

/** The sections of a module, in order, each checked to fit in the bytes. Assumes the header was checked. */
/** Exported for ./memory-cap.ts. */
export function* sections(bytes: Uint8Array): Generator<SectionSpan> {
  const top = new Reader(bytes, 8, bytes.length);
  while (!top.done) {
    const start = top.pos;
    const id = top.byte();
    const size = top.u32();
    const contentStart = top.pos;
    if (size > bytes.length - contentStart) {
      throw new BinaryFormatError(`section ${id} claims ${size} bytes but only ${bytes.length - contentStart} remain`, start);
    }
    top.pos = contentStart + size;
    yield { id, start, contentStart, end: top.pos };
  }
}

/**
 * The function section: one type index per defined function, tens of thousands in a large
 * module. Indices below 128 (one byte, nearly all of them) are read inline; reading each through
 * the Reader took 2 ms for 41,000 functions.
 */
function readFunctionTypes(r: Reader, out: number[]): void {
  const { bytes, end } = r;
  const n = r.u32();
  if (n > end - r.pos) throw new BinaryFormatError(`the function section claims ${n} functions in ${end - r.pos} bytes`, r.pos);
  let pos = r.pos;
  for (let i = 0; i < n; i++) {
    const b = pos < end ? bytes[pos]! : 0x80;
    if (b < 0x80) {
      out.push(b);
      pos++;
    } else {
      r.pos = pos;
      out.push(r.u32());
      pos = r.pos;
    }
  }
  r.pos = pos;
}

/** Parse the sections hotwasm needs. Assumes the header was checked; throws BinaryFormatError on malformed input. */
export function readLayout(bytes: Uint8Array): BinaryLayout {
  const layout: BinaryLayout = {
    types: [],
    imports: [],
    importedFunctions: [],
    functionTypes: [],
    memories: [],
    exports: [],
    customSections: [],
    hasStartSection: false,
  };
  for (const span of sections(bytes)) {
    const { id, contentStart, end } = span;
    const size = end - contentStart;
    const r = new Reader(bytes, contentStart, end);
    switch (id) {
      case SECTION.custom: {
        const name = r.name();
        layout.customSections.push({ name, size, payload: bytes.subarray(r.pos, end) });
        continue; // custom sections have no count and may be any length
      }
      case SECTION.type:
        for (let n = r.u32(), i = 0; i < n; i++) {
          const at = r.pos;
          const form = r.byte();
          if (form !== 0x60) throw new BinaryFormatError(`type form 0x${form.toString(16)} (GC proposal types are not supported)`, at);
          const params = Array.from({ length: r.u32() }, () => r.valtype());
          const results = Array.from({ length: r.u32() }, () => r.valtype());
          layout.types.push({ params, results });
        }
        break;
      case SECTION.import:
        for (let n = r.u32(), i = 0; i < n; i++) {
          const module = r.name();
          const name = r.name();
          const at = r.pos;
          const kindByte = r.byte();
          const kind = KINDS[kindByte];
          if (!kind) throw new BinaryFormatError(`unknown import kind ${kindByte}`, at);
          const entry: RawImport = { module, name, kind };
          if (kind === 'function') {
            const typeIndex = r.u32();
            entry.signature = layout.types[typeIndex];
            layout.importedFunctions.push(entry.signature);
          } else if (kind === 'table') {
            r.valtype();
            r.limits();
          } else if (kind === 'memory') {
            r.limits();
          } else if (kind === 'global') {
            r.valtype();
            r.byte();
          } else {
            r.byte();
            r.u32();
          }
          layout.imports.push(entry);
        }
        break;
      case SECTION.function:
        readFunctionTypes(r, layout.functionTypes);
        break;
      case SECTION.memory:
        for (let n = r.u32(), i = 0; i < n; i++) layout.memories.push(r.limits());
        break;
      case SECTION.export:
        for (let n = r.u32(), i = 0; i < n; i++) {
          const name = r.name();
          const at = r.pos;
          const kindByte = r.byte();
          const kind = KINDS[kindByte];
          if (!kind) throw new BinaryFormatError(`unknown export kind ${kindByte}`, at);
          layout.exports.push({ name, kind, index: r.u32() });
        }
        break;
      case SECTION.start:
        layout.hasStartSection = true;
        break;
      default:
        break; // table, global, element, code, data, data count, tag: not needed
    }
  }
  return layout;
}

/** The signature of function `index` in the module's function index space (imports first). */
export function functionSignature(layout: BinaryLayout, index: number): FuncSignature | undefined {
  const imported = layout.importedFunctions;
  if (index < imported.length) return imported[index];
  const typeIndex = layout.functionTypes[index - imported.length];
  return typeIndex === undefined ? undefined : layout.types[typeIndex];
}
