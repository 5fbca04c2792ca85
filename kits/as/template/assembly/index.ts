// __NAME__ — a hotwasm guest in AssemblyScript. Edit, save, and `hotwasm dev` swaps it in live,
// keeping the state below.
import { apiVersion, json, state, Value } from "../hotwasm-kit/index";
// alloc, dealloc, save_state, restore_state, health_check: the ABI exports every guest needs.
export * from "../hotwasm-kit/exports";

// Your guest's API version (the kit's transform writes it into the api_version section). Bump the
// major version when a change would break callers: the host then loads it fresh, not hot-swapped.
apiVersion("0.1.0");

// The state, kept across hot swaps. save writes the fields and load reads them back in the same
// order (version byte 1, then total as i64 and greeted as i32, little-endian); bump the version
// when the fields change, so older bytes are refused, not misread.
let total: i64 = 0;
let greeted: i32 = 0;
state(1, (w) => { w.i64(total); w.i32(greeted); }, (r) => { total = r.i64(); greeted = r.i32(); });

/** add(n: integer) → the running total. */
function addTo(n: i64): i64 {
  total += n;
  return total;
}
// The last argument is the answer to an argument that is not an integer.
export function add(ptr: usize, len: usize): u64 { return json(ptr, len, addTo, "add takes an integer"); }

/** greet(name: string) → {"hello": name, "greeted": how many greet calls so far, this one included}. */
function greetName(name: string): Value {
  greeted++;
  return Value.object().set("hello", Value.str(name)).set("greeted", Value.int(greeted));
}
export function greet(ptr: usize, len: usize): u64 { return json(ptr, len, greetName, "greet takes a string"); }
