/**
 * For the kits' tests only: a guest driven through ABI v1 in this process, the way the host
 * drives it (alloc + write the argument, call, unpack, read, dealloc argument and result), with
 * a WASI whose fd_write is captured and whose other functions return 0.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

type Fn = (...args: (number | bigint)[]) => number | bigint | undefined;

export interface Guest {
  exports: Record<string, Fn>;
  memory: WebAssembly.Memory;
  /** Custom section api_version as text, or null. */
  apiVersion: string | null;
  /** What the guest wrote to stdout since the last call of this. */
  stdout(): string;
  /** A JSON call with raw argument text; the raw result text. `freeResultFirst` frees the result before the argument. */
  callRaw(name: string, argText: string, options?: { freeResultFirst?: boolean }): string;
  /** A JSON call: the argument JSON-encoded, the result JSON-parsed. */
  call(name: string, arg?: unknown): unknown;
  saveState(): Uint8Array;
  restoreState(bytes: Uint8Array): number;
  healthCheck(): string;
}

export function loadGuest(bytes: Uint8Array): Guest {
  const module = new WebAssembly.Module(bytes as BufferSource);
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function') throw new Error(`foreign import ${imp.module}.${imp.name}`);
  }
  const sections = WebAssembly.Module.customSections(module, 'api_version');
  // Set once the instance exists (fd_write is only called after that).
  const ref: { memory?: WebAssembly.Memory } = {};
  const out: Uint8Array[] = [];
  const wasi: Record<string, Fn> = {
    fd_write(fd, iovs, iovsLen, nwritten) {
      const view = new DataView(ref.memory!.buffer);
      let total = 0;
      for (let i = 0; i < Number(iovsLen); i++) {
        const ptr = view.getUint32(Number(iovs) + i * 8, true);
        const len = view.getUint32(Number(iovs) + i * 8 + 4, true);
        if (fd === 1) out.push(new Uint8Array(ref.memory!.buffer, ptr, len).slice());
        total += len;
      }
      view.setUint32(Number(nwritten), total, true);
      return 0;
    },
    proc_exit(code) {
      throw new Error(`proc_exit(${code})`);
    },
  };
  const imports = new Proxy(wasi, { get: (target, name: string) => target[name] ?? (() => 0) });
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  const ex = instance.exports as unknown as Record<string, Fn> & { memory: WebAssembly.Memory };
  ref.memory = ex.memory;
  ex._initialize?.();

  const mem = () => new Uint8Array(ex.memory.buffer);
  const write = (data: Uint8Array) => {
    const ptr = Number(ex.alloc!(data.length));
    mem().set(data, ptr);
    return ptr;
  };
  const unpack = (r: number | bigint | undefined) => {
    if (typeof r !== 'bigint') throw new Error(`not an i64: ${String(r)}`);
    const u = BigInt.asUintN(64, r);
    return { ptr: Number(u >> 32n), len: Number(u & 0xffffffffn) };
  };
  const free = (ptr: number, len: number) => ex.dealloc?.(ptr, len);
  const take = (r: number | bigint | undefined) => {
    const { ptr, len } = unpack(r);
    const data = mem().slice(ptr, ptr + len);
    free(ptr, len);
    return data;
  };

  const guest: Guest = {
    exports: ex,
    memory: ex.memory,
    apiVersion: sections.length === 1 ? new TextDecoder().decode(sections[0]) : null,
    stdout() {
      const text = out.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
      out.length = 0;
      return text;
    },
    callRaw(name, argText, options = {}) {
      const arg = encoder.encode(argText);
      const argPtr = write(arg);
      const { ptr, len } = unpack(ex[name]!(argPtr, arg.length));
      const text = decoder.decode(mem().slice(ptr, ptr + len));
      if (options.freeResultFirst && ptr !== argPtr) free(ptr, len);
      free(argPtr, arg.length);
      if (!options.freeResultFirst && ptr !== argPtr) free(ptr, len);
      return text;
    },
    call(name, arg) {
      return JSON.parse(guest.callRaw(name, JSON.stringify(arg === undefined ? null : arg))) as unknown;
    },
    saveState: () => take(ex.save_state!()),
    restoreState(data) {
      const ptr = write(data);
      const status = Number(ex.restore_state!(ptr, data.length));
      free(ptr, data.length);
      return status;
    },
    healthCheck: () => decoder.decode(take(ex.health_check!())),
  };
  return guest;
}
