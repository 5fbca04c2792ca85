// __NAME__ — a hotwasm guest in AssemblyScript. Edit, save, and `hotwasm dev` swaps it in live,
// keeping the state below.
import { json, state, Value } from "../hotwasm-kit/index";
// alloc, dealloc, save_state, restore_state, health_check: the ABI exports every guest needs.
export * from "../hotwasm-kit/exports";

// The state, kept across hot swaps. save writes the fields and load reads them back in the same
// order; bump the version (1) when the fields change, so older bytes are refused, not misread.
let total: i64 = 0;
let names: string[] = [];
state(1, (w) => { w.i64(total); w.strings(names); }, (r) => { total = r.i64(); names = r.strings(); });

/** add(n: integer) → the running total. */
function addTo(n: i64): i64 {
  total += n;
  return total;
}
export function add(ptr: usize, len: usize): u64 { return json(ptr, len, addTo); }

/** greet(name: string) → {"hello": name, "seen": how many names so far}. */
function greetName(name: string): Value {
  names.push(name);
  return Value.object().set("hello", Value.str(name)).set("seen", Value.int(names.length));
}
export function greet(ptr: usize, len: usize): u64 { return json(ptr, len, greetName); }
