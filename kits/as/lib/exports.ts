// The ABI exports every hotwasm guest needs. Re-export them from your entry file — only the
// entry file's exports become WebAssembly exports:
//
//   export * from "../hotwasm-kit/exports";
//
// Nothing else lives here, so that line exports exactly these five functions.
import { returnBytes, returnString } from "./call";
import { healthText, restoreStateBytes, saveStateBytes } from "./state";

/** A block of len bytes for the host to write into (an argument, restore_state's bytes). */
export function alloc(len: usize): usize {
  return heap.alloc(len);
}

/** Free a block the host is done with. The host frees the argument and the result in either
 *  order; each block is a separate heap block, so the order does not matter. */
export function dealloc(ptr: usize, len: usize): void {
  if (ptr) heap.free(ptr);
}

export function save_state(): u64 {
  const bytes = saveStateBytes();
  return returnBytes(bytes.dataStart, <usize>bytes.length);
}

/** 0 = accepted; non-zero = refused, the state is unchanged. */
export function restore_state(ptr: usize, len: usize): i32 {
  return restoreStateBytes(ptr, len);
}

export function health_check(): u64 {
  return returnString(healthText());
}
