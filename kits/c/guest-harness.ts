// A guest driven through ABI v1 in plain Node, the way the hotwasm host drives it (alloc, write
// the argument, call, unpack the i64, read, dealloc both), for the C kit's tests.
import { readFileSync } from 'node:fs';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface Guest {
  exports: Record<string, unknown> & { memory: WebAssembly.Memory };
  /** A JSON call with raw argument bytes or text; the raw result text. `resultFirst` frees the result before the argument. */
  callRaw(name: string, arg: string | Uint8Array, options?: { resultFirst?: boolean }): string;
  call(name: string, arg?: unknown): unknown;
  /** A lifecycle export that returns packed bytes (save_state, health_check). */
  take(name: string): Uint8Array;
  restore(bytes: Uint8Array): number;
  /** What the guest wrote to fd 1 and 2 since the last call of output(). */
  output(): { stdout: string; stderr: string };
  memoryBytes(): number;
}

export function apiVersion(module: WebAssembly.Module): string | null {
  const sections = WebAssembly.Module.customSections(module, 'api_version');
  return sections.length === 1 ? new TextDecoder().decode(sections[0]) : null;
}

export function loadGuest(source: string | WebAssembly.Module): Guest {
  const module = typeof source === 'string' ? new WebAssembly.Module(readFileSync(source)) : source;
  const bound: { memory?: WebAssembly.Memory } = {}; // set once instantiated; fd_write needs it
  const out: Record<number, number[]> = { 1: [], 2: [] };
  const wasi: Record<string, (...args: number[]) => number> = {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      const memory = bound.memory!;
      const view = new DataView(memory.buffer);
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view.getUint32(iovs + i * 8, true);
        const len = view.getUint32(iovs + i * 8 + 4, true);
        (out[fd] ??= []).push(...new Uint8Array(memory.buffer, ptr, len));
        written += len;
      }
      view.setUint32(nwrittenPtr, written, true);
      return 0;
    },
  };
  const imports = new Proxy(wasi, { get: (target, name: string) => target[name] ?? (() => 0) });
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  const ex = instance.exports as Guest['exports'];
  const memory = (bound.memory = ex.memory);
  (ex._initialize as (() => void) | undefined)?.();

  const fn = <T extends (...args: never[]) => unknown>(name: string) => {
    const f = ex[name];
    if (typeof f !== 'function') throw new Error(`no export ${name}`);
    return f as T;
  };
  const alloc = fn<(len: number) => number>('alloc');
  const dealloc = fn<(ptr: number, len: number) => void>('dealloc');
  const unpack = (r: bigint) => {
    const u = BigInt.asUintN(64, r);
    return { ptr: Number(u >> 32n), len: Number(u & 0xffffffffn) };
  };
  const write = (data: Uint8Array) => {
    const ptr = alloc(data.length);
    new Uint8Array(memory.buffer).set(data, ptr);
    return ptr;
  };
  const read = (ptr: number, len: number) => new Uint8Array(memory.buffer).slice(ptr, ptr + len);

  return {
    exports: ex,
    callRaw(name, arg, { resultFirst = false } = {}) {
      const bytes = typeof arg === 'string' ? encoder.encode(arg) : arg;
      const argPtr = write(bytes);
      const { ptr, len } = unpack(fn<(p: number, n: number) => bigint>(name)(argPtr, bytes.length));
      const text = decoder.decode(read(ptr, len));
      const frees = [() => dealloc(argPtr, bytes.length), () => ptr !== argPtr && dealloc(ptr, len)];
      for (const free of resultFirst ? frees.reverse() : frees) free();
      return text;
    },
    call(name, arg) {
      return JSON.parse(this.callRaw(name, JSON.stringify(arg === undefined ? null : arg)));
    },
    take(name) {
      const { ptr, len } = unpack(fn<() => bigint>(name)());
      const bytes = read(ptr, len);
      dealloc(ptr, len);
      return bytes;
    },
    restore(bytes) {
      const ptr = write(bytes);
      const status = fn<(p: number, n: number) => number>('restore_state')(ptr, bytes.length);
      dealloc(ptr, bytes.length);
      return status;
    },
    output() {
      const text = (fd: number) => decoder.decode(new Uint8Array((out[fd] ?? []).splice(0)));
      return { stdout: text(1), stderr: text(2) };
    },
    memoryBytes: () => memory.buffer.byteLength,
  };
}
