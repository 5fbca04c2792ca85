// Hot-swap test guests: variants of the example counter (examples/counter-wat/counter.wat), each
// differing in one lifecycle behaviour. They keep the counter's 8-byte state format, so state
// moves between any of them and the example counters. Written to fixtures/swap/<name>.wat (the
// committed source) and compiled to .wasm by scripts/build-fixtures.mjs.

const LOOP = '(loop $forever (br $forever))';

/** Each variant: the counter with `hide` exports unexported, `api` as its version, `add` appended. */
export const SWAP_VARIANTS = {
  'counter-b': { about: 'the same counter under another build id: a distinct sha256 for successful swaps', build: 'b' },
  'api-v2': { about: 'API version 2.0.0: a major change', api: '2.0.0' },
  'api-v1-2': { about: 'API version 1.2.0: a compatible minor change', api: '1.2.0' },
  stateless: { about: 'no save_state or restore_state', hide: ['save_state', 'restore_state'] },
  'restore-refuses': {
    about: 'restore_state answers 1 (refused)',
    hide: ['restore_state'],
    add: '(func (export "restore_state") (param i32 i32) (result i32) (i32.const 1))',
  },
  'restore-traps': { about: 'restore_state traps', hide: ['restore_state'], add: '(func (export "restore_state") (param i32 i32) (result i32) unreachable)' },
  'restore-hangs': { about: 'restore_state never returns', hide: ['restore_state'], add: `(func (export "restore_state") (param i32 i32) (result i32) ${LOOP} (i32.const 0))` },
  unhealthy: {
    about: 'health_check answers "degraded"',
    hide: ['health_check'],
    add: '(data (i32.const 960) "degraded") (func (export "health_check") (result i64) (call $return_copy (i32.const 960) (i32.const 8)))',
  },
  'health-hangs': { about: 'health_check never returns', hide: ['health_check'], add: `(func (export "health_check") (result i64) ${LOOP} (i64.const 0))` },
  'save-traps': { about: 'save_state traps (a serving version whose state cannot be taken)', hide: ['save_state'], add: '(func (export "save_state") (result i64) unreachable)' },
  'init-hangs': { about: '_initialize never returns', add: `(func (export "_initialize") ${LOOP})` },
  'init-traps': { about: '_initialize traps: refused at stage as a hot swap, as on a first load', add: '(func (export "_initialize") unreachable)' },
  'start-traps': { about: 'its start function traps during instantiation: refused at stage as a hot swap', add: '(func $boom unreachable) (start $boom)' },
  'bench-ok': {
    about: 'a benchmark_function that answers at once',
    add: '(func (export "benchmark_function") (param $p i32) (param $n i32) (result i64) (call $return_i64 (i64.const 1)))',
  },
  'bench-slow': {
    about: 'a benchmark_function that spins for 2^27 iterations (well over 100 ms)',
    add: '(func (export "benchmark_function") (param $p i32) (param $n i32) (result i64) (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 134217728)))) (call $return_i64 (i64.extend_i32_u (local.get $i))))',
  },
  'bench-long': {
    about: 'a benchmark_function that spins for 2^30 iterations (about a second): an update that is still staging when something else happens',
    add: '(func (export "benchmark_function") (param $p i32) (param $n i32) (result i64) (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 1073741824)))) (call $return_i64 (i64.extend_i32_u (local.get $i))))',
  },
  'bench-hangs': { about: 'benchmark_function never returns', add: `(func (export "benchmark_function") (param i32 i32) (result i64) ${LOOP} (i64.const 0))` },
  'increment-traps': {
    about: 'increment traps (for probation: fails right after it goes live)',
    hide: ['increment'],
    add: '(func (export "increment") (param i32 i32) (result i64) unreachable)',
  },
  'counter-spin': {
    about: 'the counter plus a `spin` export that never returns (checkpoint recovery after a runaway call)',
    add: `(func (export "spin") (param i32 i32) (result i64) ${LOOP} (i64.const 0))`,
  },
  'refuses-final-state': {
    about: 'takes the state of a count up to 10 and refuses a larger one, after a benchmark_function of 2^25 iterations: staged while calls keep coming, it passes the shadow check and fails the cutover',
    hide: ['restore_state'],
    add:
      '(func (export "restore_state") (param $ptr i32) (param $len i32) (result i32) (if (i32.ne (local.get $len) (i32.const 8)) (then (return (i32.const 1)))) (if (i64.gt_s (i64.load (local.get $ptr)) (i64.const 10)) (then (return (i32.const 2)))) (global.set $count (i64.load (local.get $ptr))) (i32.const 0))\n' +
      '  (func (export "benchmark_function") (param $p i32) (param $n i32) (result i64) (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 33554432)))) (call $return_i64 (i64.extend_i32_u (local.get $i))))',
  },
  'save-only': { about: 'save_state but no restore_state: its state can be read, never given (State panel injection refused)', hide: ['restore_state'] },
  'state-v2': {
    about: 'a new state format: 9 bytes, a format byte 2 then the count (little-endian i64); restore_state refuses the counter\'s 8-byte state (answers 1) and another format byte (answers 2)',
    hide: ['save_state', 'restore_state'],
    add:
      '(func (export "save_state") (result i64) (local $ptr i32) (local.set $ptr (call $alloc (i32.const 9))) (i32.store8 (local.get $ptr) (i32.const 2)) (i64.store (i32.add (local.get $ptr) (i32.const 1)) (global.get $count)) (call $pack (local.get $ptr) (i32.const 9)))\n' +
      '  (func (export "restore_state") (param $ptr i32) (param $len i32) (result i32) (if (i32.ne (local.get $len) (i32.const 9)) (then (return (i32.const 1)))) (if (i32.ne (i32.load8_u (local.get $ptr)) (i32.const 2)) (then (return (i32.const 2)))) (global.set $count (i64.load (i32.add (local.get $ptr) (i32.const 1)))) (i32.const 0))',
  },
  'increment-traps-negative': {
    about: 'increment traps for a negative amount and works for others (a canary that fails on some inputs)',
    build: 'traps-negative',
    hide: ['increment'],
    add: '(func (export "increment") (param $ptr i32) (param $len i32) (result i64) (local $n i64) (local $ok i32) (local $i i32) (local.set $n (i64.const 1)) (if (i32.eqz (call $arg_is_null (local.get $ptr) (local.get $len))) (then (call $arg_i64 (local.get $ptr) (local.get $len)) (local.set $ok) (local.set $n))) (if (i64.lt_s (local.get $n) (i64.const 0)) (then unreachable)) (global.set $count (i64.add (global.get $count) (local.get $n))) (call $return_i64 (global.get $count)))',
  },
  'increment-slow': {
    about: 'increment spins 2^26 iterations first (tens of ms): a canary slower than the baseline past any noise of a loaded 2-core machine',
    build: 'slow',
    hide: ['increment'],
    add: '(func (export "increment") (param $ptr i32) (param $len i32) (result i64) (local $n i64) (local $ok i32) (local $i i32) (local.set $n (i64.const 1)) (if (i32.eqz (call $arg_is_null (local.get $ptr) (local.get $len))) (then (call $arg_i64 (local.get $ptr) (local.get $len)) (local.set $ok) (local.set $n))) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 67108864)))) (global.set $count (i64.add (global.get $count) (local.get $n))) (call $return_i64 (global.get $count)))',
  },
  'restore-refuses-big': {
    about: 'takes the state of a count below 1000 and refuses a larger one (answers 2): a rolling update refused at the instance holding a big count',
    build: 'refuses-big',
    hide: ['restore_state'],
    add: '(func (export "restore_state") (param $ptr i32) (param $len i32) (result i32) (if (i32.ne (local.get $len) (i32.const 8)) (then (return (i32.const 1)))) (if (i64.ge_s (i64.load (local.get $ptr)) (i64.const 1000)) (then (return (i32.const 2)))) (global.set $count (i64.load (local.get $ptr))) (i32.const 0))',
  },
  'get-off-by-one': {
    about: 'get answers the count + 1 (a shadow candidate whose answers diverge)',
    build: 'off-by-one',
    hide: ['get'],
    add: '(func (export "get") (param i32 i32) (result i64) (call $return_i64 (i64.add (global.get $count) (i64.const 1))))',
  },
  'counter-spin-b': {
    about: 'counter-spin under another build id: a roll between two builds that both have `spin` (an instance crashing mid-roll)',
    build: 'spin-b',
    add: `(func (export "spin") (param i32 i32) (result i64) ${LOOP} (i64.const 0))`,
  },
  'counter-work': {
    about: 'the counter plus `work(n)`: n × 10,000 rounds of xorshift, answering the last value (a CPU-bound export for pool throughput)',
    build: 'work',
    add: '(func (export "work") (param $ptr i32) (param $len i32) (result i64) (local $n i64) (local $ok i32) (local $x i64) (local $i i64) (call $arg_i64 (local.get $ptr) (local.get $len)) (local.set $ok) (local.set $n) (local.set $n (i64.mul (local.get $n) (i64.const 10000))) (local.set $x (i64.const 88172645463325252)) (block $done (loop $l (br_if $done (i64.ge_s (local.get $i) (local.get $n))) (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13)))) (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7)))) (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17)))) (local.set $i (i64.add (local.get $i) (i64.const 1))) (br $l))) (call $return_i64 (i64.and (local.get $x) (i64.const 1048575))))',
  },
  'increment-hangs': { about: 'increment never returns (for probation)', hide: ['increment'], add: `(func (export "increment") (param i32 i32) (result i64) ${LOOP} (i64.const 0))` },
};

/** Build one variant's WAT text from the counter's. Throws if the counter no longer has what it edits. */
export function swapVariantWat(counterWat, name) {
  const v = SWAP_VARIANTS[name];
  let text = counterWat;
  const replaceOnce = (from, to) => {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${name}: expected "${from}" once in counter.wat, found ${count}`);
    text = text.replace(from, to);
  };
  if (v.api) replaceOnce('(@custom "api_version" "1.0.0")', `(@custom "api_version" "${v.api}")`);
  if (v.build) replaceOnce('(@custom "api_version" "1.0.0")', `(@custom "api_version" "1.0.0")\n  (@custom "build" "${v.build}")`);
  for (const exp of v.hide ?? []) replaceOnce(`(export "${exp}")`, `(; not exported: (export "${exp}") ;)`);
  const header = `;; fixtures/swap/${name}.wat — generated by scripts/swap-fixtures.mjs from the example counter.\n;; ${v.about}\n`;
  if (v.add) text = text.replace(/\)\s*$/, `\n  ;; --- ${name} ---\n  ${v.add}\n)\n`);
  return header + text;
}
