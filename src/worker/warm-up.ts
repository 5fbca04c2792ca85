/**
 * Warm-up for a spare worker: while it waits to be used, run the load and call paths on a
 * throwaway module so that the first real load does not pay for compiling hotwasm's own code.
 *
 * The module is generated with a few thousand functions and exports: the binary reader's loops
 * then run long enough for the JavaScript engine to compile them, which matters for large guests
 * (reading the layout of a 1 MiB module took 1.6 ms cold and 0.3 ms warm).
 */
import type { GuestOptions } from '../shared/protocol';
import { encodeU32 } from '../shared/wasm-binary';
import { Guest } from './guest';
import { GuestOutput } from './output';

const u32 = encodeU32;

const text = (s: string) => [...u32(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]) => [id, ...u32(body.length), ...body];
const vector = (items: number[][]) => [...u32(items.length), ...items.flat()];

/**
 * A reactor with the ABI exports (memory, alloc, an `echo` JSON call), `functions` filler
 * functions each exported, and an api_version section. Function 0 is alloc, 1 is echo.
 */
export function warmUpModule(functions: number): Uint8Array {
  const I32 = 0x7f;
  const I64 = 0x7e;
  const types = vector([
    [0x60, 1, I32, 1, I32], // (i32) -> i32: alloc and the fillers
    [0x60, 2, I32, I32, 1, I64], // (i32, i32) -> i64: echo
  ]);
  const funcTypes = vector([[0], [1], ...Array.from({ length: functions }, () => [0])]);
  const memory = vector([[0x00, 1]]); // one page, no maximum: the budget rewrite runs too
  const exports = vector([
    [...text('memory'), 0x02, 0],
    [...text('alloc'), 0x00, 0],
    [...text('echo'), 0x00, 1],
    ...Array.from({ length: functions }, (_, i) => [...text(`f${i}`), 0x00, ...u32(i + 2)]),
  ]);
  const body = (code: number[]) => [...u32(code.length + 1), 0x00, ...code]; // no locals
  const code = vector([
    body([0x41, 0x80, 0x08, 0x0b]), // alloc: i32.const 1024
    // echo: the argument slice back, packed as (ptr << 32) | len
    body([0x20, 0x00, 0xad, 0x42, 0x20, 0x86, 0x20, 0x01, 0xad, 0x84, 0x0b]),
    ...Array.from({ length: functions }, (_, i) => body([0x20, 0x00, 0x41, ...u32(i & 0x3f), 0x6a, 0x0b])), // x + i
  ]);
  const apiVersion = section(0, [...text('api_version'), ...new TextEncoder().encode('1.0.0')]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(3, funcTypes),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
    ...apiVersion,
  ]);
}

/**
 * Load the warm-up module twice and call it, unless `used` says real work has arrived;
 * failures are irrelevant and ignored.
 */
export async function warmUp(used: () => boolean = () => false): Promise<void> {
  const quiet = new GuestOutput(() => undefined);
  const options: GuestOptions = { label: 'warm-up', memoryBudgetBytes: 1 << 20, args: [], env: [] };
  const bytes = warmUpModule(3000);
  try {
    for (let i = 0; i < 2 && !used(); i++) {
      const { guest } = await Guest.load(bytes, options, quiet);
      guest.callJson('echo', '"warm"');
    }
  } catch {
    // A warm-up that fails only means the first load is a little slower.
  }
}
