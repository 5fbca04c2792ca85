;; Benchmark guest: a counter whose state also carries a blob of configurable size, to measure
;; the swap pause with small and large state. State bytes = 8-byte LE count + the blob.
;;   increment(_) -> count + 1        resize(n) -> n (the blob becomes n bytes)
;; Memory: the blob at 1 MiB (up to 32 MiB), save_state's out-box at 33 MiB (the host's dealloc
;; leaves it alone), and the argument/result heap from 66 MiB, growing as needed.
(module
  (@custom "api_version" "1.0.0")
  (memory (export "memory") 1057) ;; 66 MiB + 64 KiB: blob, out-box, start of the heap
  (global $count (mut i64) (i64.const 0))
  (global $size (mut i32) (i32.const 0))          ;; blob size
  (global $BLOB i32 (i32.const 1048576))
  (global $OUT i32 (i32.const 34603008))
  (global $HEAP i32 (i32.const 69206016))
  (global $heap (mut i32) (i32.const 69206016))
  (global $live (mut i32) (i32.const 0))

  (func $ensure (param $end i32)
    (local $have i32)
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 0xffff)) (i32.const 16))) (i32.const -1))
        (then unreachable)))))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $len)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (call $ensure (global.get $heap))
    (local.get $p))
  (func (export "dealloc") (param $p i32) (param $n i32)
    ;; Blocks in the out-box are not heap blocks.
    (if (i32.lt_u (local.get $p) (global.get $HEAP)) (then return))
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.eqz (global.get $live)) (then (global.set $heap (global.get $HEAP)))))

  (func $pack (param $p i32) (param $n i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $p)) (i64.const 32)) (i64.extend_i32_u (local.get $n))))

  ;; Write n as decimal at a fresh heap block; return it packed.
  (func $number (param $n i64) (result i64)
    (local $buf i32) (local $p i32) (local $len i32)
    (local.set $buf (call $alloc (i32.const 24)))
    (local.set $p (i32.add (local.get $buf) (i32.const 24)))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $d (i64.ne (local.get $n) (i64.const 0))))
    (local.set $len (i32.sub (i32.add (local.get $buf) (i32.const 24)) (local.get $p)))
    (memory.copy (local.get $buf) (local.get $p) (local.get $len))
    (call $pack (local.get $buf) (local.get $len)))

  (func (export "increment") (param i32 i32) (result i64)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (call $number (global.get $count)))
  (func (export "get") (param i32 i32) (result i64)
    (call $number (global.get $count)))

  ;; resize(n): parse a plain decimal n, make the blob n bytes (filled with a pattern).
  (func (export "resize") (param $p i32) (param $len i32) (result i64)
    (local $n i32) (local $i i32) (local $c i32)
    (block $done (loop $digits
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
      (br_if $done (i32.or (i32.lt_u (local.get $c) (i32.const 48)) (i32.gt_u (local.get $c) (i32.const 57))))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $digits)))
    (if (i32.gt_u (local.get $n) (i32.const 33554432)) (then unreachable))
    (memory.fill (global.get $BLOB) (i32.const 0x5a) (local.get $n))
    (global.set $size (local.get $n))
    (call $number (i64.extend_i32_u (local.get $n))))

  (func (export "save_state") (result i64)
    (local $out i32)
    (local.set $out (global.get $OUT))
    (i64.store (local.get $out) (global.get $count))
    (memory.copy (i32.add (local.get $out) (i32.const 8)) (global.get $BLOB) (global.get $size))
    (call $pack (local.get $out) (i32.add (global.get $size) (i32.const 8))))

  (func (export "restore_state") (param $p i32) (param $len i32) (result i32)
    (local $n i32)
    (if (i32.lt_u (local.get $len) (i32.const 8)) (then (return (i32.const 1))))
    (local.set $n (i32.sub (local.get $len) (i32.const 8)))
    (if (i32.gt_u (local.get $n) (i32.const 33554432)) (then (return (i32.const 2))))
    (global.set $count (i64.load (local.get $p)))
    (memory.copy (global.get $BLOB) (i32.add (local.get $p) (i32.const 8)) (local.get $n))
    (global.set $size (local.get $n))
    (i32.const 0))

  (data (i32.const 16) "ok")
  (func (export "health_check") (result i64)
    (local $b i32)
    (local.set $b (call $alloc (i32.const 2)))
    (memory.copy (local.get $b) (i32.const 16) (i32.const 2))
    (call $pack (local.get $b) (i32.const 2)))
)
