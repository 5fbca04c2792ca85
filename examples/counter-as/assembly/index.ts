// counter-as — the hotwasm "counter" guest in AssemblyScript, on the kit in kits/as/lib.
// The kit gives alloc/dealloc, save_state/restore_state, health_check (re-exported below)
// and, through its transform in asconfig.json, the api_version custom section.
import { bytes, concat, json0, state, text, utf8, UNVERSIONED } from "../../../kits/as/lib/index";
export * from "../../../kits/as/lib/exports";

let count: i64 = 0;

// The state stays the 8-byte little-endian count (no version byte): e2e tests and fixtures swap it.
state(UNVERSIONED, (w) => w.i64(count), (r) => { count = r.i64(); });

function isSpace(c: i32): bool { return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d; }

// The counters' argument grammar, older than the kit's JSON: whitespace, then `null` (→ 1) or
// -?[0-9]+ (leading zeros allowed, wrapping on overflow), then whitespace.
function incrementText(arg: string): string {
  let p = 0, end = arg.length, n: i64 = 1;
  while (p < end && isSpace(arg.charCodeAt(p))) p++;
  while (end > p && isSpace(arg.charCodeAt(end - 1))) end--;
  if (arg.slice(p, end) != "null") {
    const neg = p < end && arg.charCodeAt(p) == 0x2d;
    if (neg) p++;
    if (p == end) return '{"error":"increment takes null or an integer"}';
    for (n = 0; p < end; p++) {
      const d = arg.charCodeAt(p) - 0x30;
      if (d < 0 || d > 9) return '{"error":"increment takes null or an integer"}';
      n = n * 10 + d;
    }
    if (neg) n = -n;
  }
  return (count += n).toString();
}
export function increment(ptr: usize, len: usize): u64 { return text(ptr, len, incrementText); }

export function get(ptr: usize, len: usize): u64 { return json0(ptr, len, (): i64 => count); }

// {"input":<arg>,"bytes":<n>}, the argument copied byte for byte. Exported as `process` under
// another name, so the WASI shim's global `process` (stdout) stays visible here.
function processCall(ptr: usize, len: usize): u64 {
  return bytes(ptr, len, (arg) => {
    const n = arg.length.toString();
    process.stdout.write("processed " + n + " bytes\n");
    return concat([utf8('{"input":'), arg, utf8(',"bytes":' + n + "}")]);
  });
}
export { processCall as process };
