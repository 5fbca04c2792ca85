// counter-as — the hotwasm "counter" guest in AssemblyScript, guest ABI v1.
//
// Built with @assemblyscript/wasi-shim (see asconfig.json), so the only imports are
// `wasi_snapshot_preview1` functions: `abort` and `process.stdout` go through WASI.
// `exportStart: "_initialize"` makes this a reactor: the host calls `_initialize` once.
// The `api_version` custom section is appended by scripts/build-examples.mjs, because
// asc cannot emit custom sections itself.
//
// Every JSON call has the wasm type (i32 ptr, i32 len) -> i64: the UTF-8 JSON argument is
// at ptr, and the result is returned packed — pointer in the high 32 bits, length in the low.

// The state: a signed 64-bit count.
let count: i64 = 0;

const ERROR_JSON = '{"error":"increment takes null or an integer"}';

// ---------------------------------------------------------------------------
// Memory: the host writes arguments into blocks from `alloc` and frees every block we
// hand back (arguments and results) with `dealloc`. `heap` is AssemblyScript's raw
// allocator: its blocks are not managed by the garbage collector.
// ---------------------------------------------------------------------------

export function alloc(len: usize): usize {
  return heap.alloc(len);
}

export function dealloc(ptr: usize, len: usize): void {
  heap.free(ptr);
}

function pack(ptr: usize, len: usize): i64 {
  return (<i64>ptr << 32) | <i64>len;
}

/** Copy bytes into a fresh heap block and return it packed. */
function returnBytes(src: usize, len: usize): i64 {
  const ptr = heap.alloc(len);
  memory.copy(ptr, src, len);
  return pack(ptr, len);
}

/** Encode a string as UTF-8 into a fresh heap block and return it packed. */
function returnString(s: string): i64 {
  const len = <usize>String.UTF8.byteLength(s);
  const ptr = heap.alloc(len);
  String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, ptr);
  return pack(ptr, len);
}

// ---------------------------------------------------------------------------
// Parsing the increment argument: whitespace, then `null` or `-?[0-9]+`, then whitespace.
// ---------------------------------------------------------------------------

function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

function skipSpace(p: usize, end: usize): usize {
  while (p < end && isSpace(load<u8>(p))) p++;
  return p;
}

let parsedAmount: i64 = 0;

/** Parse the increment argument into `parsedAmount` (null → 1). Returns false if invalid. */
function parseAmount(ptr: usize, len: usize): bool {
  const end = ptr + len;
  let p = skipSpace(ptr, end);

  if (end - p >= 4 && load<u8>(p) == 0x6e && load<u8>(p, 1) == 0x75
      && load<u8>(p, 2) == 0x6c && load<u8>(p, 3) == 0x6c) { // "null"
    parsedAmount = 1;
    return skipSpace(p + 4, end) == end;
  }

  let negative = false;
  if (p < end && load<u8>(p) == 0x2d) { // '-'
    negative = true;
    p++;
  }
  const digitsStart = p;
  let n: i64 = 0;
  while (p < end) {
    const d = <u32>load<u8>(p) - 0x30;
    if (d > 9) break;
    n = n * 10 + <i64>d; // wraps on overflow, like the other languages
    p++;
  }
  if (p == digitsStart) return false;
  parsedAmount = negative ? -n : n;
  return skipSpace(p, end) == end;
}

// ---------------------------------------------------------------------------
// JSON calls
// ---------------------------------------------------------------------------

export function increment(ptr: usize, len: usize): i64 {
  if (!parseAmount(ptr, len)) return returnString(ERROR_JSON);
  count += parsedAmount;
  return returnString(count.toString());
}

export function get(ptr: usize, len: usize): i64 {
  return returnString(count.toString());
}

/**
 * {"input":<arg>,"bytes":<n>} — the argument is copied byte for byte, n counts bytes.
 * Exported as `process`; named differently here so the WASI shim's global `process`
 * (used for stdout) stays visible.
 */
function processJson(ptr: usize, len: usize): i64 {
  const n = len.toString();
  process.stdout.write("processed " + n + " bytes\n");

  const head = '{"input":';
  const tail = ',"bytes":' + n + "}"; // ASCII only, so string length == byte length
  const total = <usize>head.length + len + <usize>tail.length;
  const out = heap.alloc(total);
  String.UTF8.encodeUnsafe(changetype<usize>(head), head.length, out);
  memory.copy(out + head.length, ptr, len);
  String.UTF8.encodeUnsafe(changetype<usize>(tail), tail.length, out + head.length + len);
  return pack(out, total);
}
export { processJson as process };

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

/** 8 bytes: the count as a little-endian i64. */
export function save_state(): i64 {
  const ptr = heap.alloc(8);
  store<i64>(ptr, count); // wasm memory is little-endian
  return pack(ptr, 8);
}

/** Accept exactly 8 bytes (0); refuse anything else (1) and keep the count. */
export function restore_state(ptr: usize, len: usize): i32 {
  if (len != 8) return 1;
  count = load<i64>(ptr);
  return 0;
}

export function health_check(): i64 {
  return returnString("ok");
}
