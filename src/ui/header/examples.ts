/**
 * The examples menu: the bundled guests (public/examples/), each loaded as a user would load
 * it. Some show what hotwasm refuses or recovers from; those meant to update the counter say so
 * with `name`. The misbehaving ones are copies of test fixtures (src/ui/header/examples.test.ts
 * keeps them the same bytes).
 */
export interface Example {
  /** What it is, for the menu. */
  label: string;
  /** What to try with it. */
  note: string;
  /** Relative to the site's base URL. */
  url: string;
  /** Load it under this module name (an update of that module); by default the file's name. */
  name?: string;
}

export interface ExampleGroup {
  heading: string;
  examples: readonly Example[];
}

export const EXAMPLES: readonly ExampleGroup[] = [
  {
    heading: 'A counter, in four languages',
    examples: [
      { label: 'Counter in WebAssembly text', note: 'the one that opens first; edit it in Source', url: 'examples/counter.wasm' },
      { label: 'Counter in AssemblyScript', note: 'the same guest ABI, built with asc', url: 'examples/counter-as.wasm' },
      { label: 'Counter in C', note: 'built with clang for wasm32-wasi', url: 'examples/counter-c.wasm' },
      { label: 'Counter in Rust', note: 'built with cargo for wasm32-wasi', url: 'examples/counter-rust.wasm' },
    ],
  },
  {
    heading: 'A command',
    examples: [{ label: 'Hello, a WASI command', note: 'Run it with arguments; it prints to the console', url: 'examples/hello.wasm' }],
  },
  {
    heading: 'What hotwasm refuses or recovers from',
    examples: [
      { label: 'An unhealthy counter build', note: 'refused as an update: the counter keeps serving, its count kept', url: 'examples/counter-unhealthy.wasm', name: 'counter' },
      { label: 'Misbehaving calls', note: 'trap, spin (never returns), out-of-bounds results, text that is not JSON', url: 'examples/misbehaving.wasm' },
      { label: 'Not WebAssembly', note: 'a PNG image with a .wasm name: refused, saying what it is', url: 'examples/not-webassembly.wasm' },
    ],
  },
];
