;; counter.wat — the hotwasm "counter" guest, hand-written against guest ABI v1.
;;
;; State: one signed 64-bit count, starting at 0.
;; JSON calls all have the type (i32 ptr, i32 len) -> i64: the argument is UTF-8 JSON
;; written by the host at ptr (through our `alloc`), and the result is returned as a
;; packed i64 — pointer in the high 32 bits, length in the low 32 bits.
;;
;;   increment(null) -> count + 1, increment(n) -> count + n, anything else -> error object
;;   get(_)          -> count
;;   process(arg)    -> {"input":<arg>,"bytes":<n>}, and prints "processed <n> bytes\n"
;;
;; Lifecycle: save_state / restore_state (8 bytes, little-endian i64), health_check ("ok"),
;; and the `api_version` custom section below.
;;
;; Build: node scripts/build-examples.mjs counter-wat   (→ public/examples/counter.wasm)
(module
  (@custom "api_version" "1.0.0")

  ;; The only import a guest may have: WASI functions.
  ;; fd_write(fd, iovs, iovs_len, nwritten_out) -> errno
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  ;; ---------------------------------------------------------------------------
  ;; Memory layout
  ;;   0    .. 15    iovec for fd_write (buf ptr, buf len) + nwritten
  ;;   64   .. 127   scratch for formatting a number (digits are written backwards)
  ;;   128  .. 255   scratch for the stdout line
  ;;   256  .. 1023  constant strings (below)
  ;;   1024 ..       heap: a bump allocator, see $alloc
  ;; ---------------------------------------------------------------------------
  (global $NUM_END i32 (i32.const 128))   ;; one past the end of the number scratch
  (global $LINE i32 (i32.const 128))
  (global $HEAP_BASE i32 (i32.const 1024))

  (data (i32.const 256) "{\"error\":\"increment takes null or an integer\"}") ;; 46 bytes
  (data (i32.const 320) "ok")                                               ;; 2 bytes
  (data (i32.const 336) "processed ")                                       ;; 10 bytes
  (data (i32.const 352) " bytes\n")                                         ;; 7 bytes
  (data (i32.const 368) "{\"input\":")                                      ;; 9 bytes
  (data (i32.const 384) ",\"bytes\":")                                      ;; 9 bytes
  (data (i32.const 400) "null")                                             ;; 4 bytes

  ;; The state.
  (global $count (mut i64) (i64.const 0))

  ;; ---------------------------------------------------------------------------
  ;; Allocator: bump allocation, 8-byte aligned. `dealloc` only counts live blocks;
  ;; when the host has freed everything it was given, the heap is reset to its base.
  ;; (A host that never frees some block just keeps the heap growing — still correct.)
  ;; ---------------------------------------------------------------------------
  (global $heap (mut i32) (i32.const 1024))
  (global $live (mut i32) (i32.const 0))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    ;; ptr = align8(heap); end = ptr + len
    (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    ;; grow memory when end is past the current size (in whole 64 KiB pages)
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq
              (memory.grow
                (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 0xffff))
                           (i32.const 16)))
              (i32.const -1))
          (then unreachable))))   ;; out of memory: trap, the host reports it
    (global.set $heap (local.get $end))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))

  (func (export "dealloc") (param $ptr i32) (param $len i32)
    (if (i32.eqz (global.get $live)) (then return))
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.eqz (global.get $live))
      (then (global.set $heap (global.get $HEAP_BASE)))))

  ;; ---------------------------------------------------------------------------
  ;; Helpers
  ;; ---------------------------------------------------------------------------

  ;; Pack a (ptr, len) pair into the i64 a JSON call returns.
  (func $pack (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32))
            (i64.extend_i32_u (local.get $len))))

  ;; Copy len bytes from src into a fresh heap block and return it packed.
  ;; Results always live on the heap because the host deallocs them.
  (func $return_copy (param $src i32) (param $len i32) (result i64)
    (local $ptr i32)
    (local.set $ptr (call $alloc (local.get $len)))
    (memory.copy (local.get $ptr) (local.get $src) (local.get $len))
    (call $pack (local.get $ptr) (local.get $len)))

  ;; Format n as decimal into the number scratch, ending at $NUM_END.
  ;; Returns the start pointer; the length is NUM_END - start.
  (func $format_i64 (param $n i64) (result i32)
    (local $p i32) (local $mag i64)
    (local.set $p (global.get $NUM_END))
    ;; magnitude as unsigned: 0 - n also works for i64 min
    (local.set $mag
      (select (i64.sub (i64.const 0) (local.get $n)) (local.get $n)
              (i64.lt_s (local.get $n) (i64.const 0))))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p)
        (i64.add (i64.const 48) (i64.rem_u (local.get $mag) (i64.const 10))))
      (local.set $mag (i64.div_u (local.get $mag) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $mag) (i64.const 0))))
    (if (i64.lt_s (local.get $n) (i64.const 0))
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))   ;; '-'
    (local.get $p))

  ;; Return n as a JSON number.
  (func $return_i64 (param $n i64) (result i64)
    (local $p i32)
    (local.set $p (call $format_i64 (local.get $n)))
    (call $return_copy (local.get $p) (i32.sub (global.get $NUM_END) (local.get $p))))

  ;; Skip JSON whitespace (space, \t, \n, \r) from p up to end; return the new p.
  (func $skip_ws (param $p i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done
          (i32.eqz
            (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
                    (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $p))

  ;; Parse the increment argument. Returns the amount to add (null -> 1) and a
  ;; status: 1 = ok, 0 = not null and not an integer. (Two results: multi-value.)
  (func $parse_amount (param $ptr i32) (param $len i32) (result i64 i32)
    (local $p i32) (local $end i32) (local $neg i32) (local $n i64) (local $start i32) (local $c i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $p (call $skip_ws (local.get $ptr) (local.get $end)))

    ;; null, followed only by whitespace
    (if (i32.and
          (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 4))
          (i32.eq (i32.load (local.get $p)) (i32.load (i32.const 400))))
      (then
        (return (i64.const 1)
          (i32.eq (call $skip_ws (i32.add (local.get $p) (i32.const 4)) (local.get $end))
                  (local.get $end)))))

    ;; optional '-'
    (if (i32.and (i32.lt_u (local.get $p) (local.get $end))
                 (i32.eq (i32.load8_u (local.get $p)) (i32.const 45)))
      (then
        (local.set $neg (i32.const 1))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))))

    ;; digits (wrapping arithmetic on overflow, like the other languages)
    (local.set $start (local.get $p))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (if (i32.eq (local.get $p) (local.get $start))
      (then (return (i64.const 0) (i32.const 0))))   ;; no digits

    (if (local.get $neg) (then (local.set $n (i64.sub (i64.const 0) (local.get $n)))))
    (local.get $n)
    (i32.eq (call $skip_ws (local.get $p) (local.get $end)) (local.get $end)))

  ;; ---------------------------------------------------------------------------
  ;; JSON calls
  ;; ---------------------------------------------------------------------------

  (func (export "increment") (param $ptr i32) (param $len i32) (result i64)
    (local $amount i64) (local $ok i32)
    (call $parse_amount (local.get $ptr) (local.get $len))
    (local.set $ok)
    (local.set $amount)
    (if (i32.eqz (local.get $ok))
      (then (return (call $return_copy (i32.const 256) (i32.const 46)))))
    (global.set $count (i64.add (global.get $count) (local.get $amount)))
    (call $return_i64 (global.get $count)))

  (func (export "get") (param $ptr i32) (param $len i32) (result i64)
    (call $return_i64 (global.get $count)))

  (func (export "process") (param $ptr i32) (param $len i32) (result i64)
    (local $num i32) (local $numlen i32) (local $out i32) (local $p i32)
    ;; the byte count as decimal text
    (local.set $num (call $format_i64 (i64.extend_i32_u (local.get $len))))
    (local.set $numlen (i32.sub (global.get $NUM_END) (local.get $num)))

    ;; stdout line: "processed " <n> " bytes\n", built in the line scratch
    (memory.copy (global.get $LINE) (i32.const 336) (i32.const 10))
    (memory.copy (i32.add (global.get $LINE) (i32.const 10)) (local.get $num) (local.get $numlen))
    (memory.copy (i32.add (global.get $LINE) (i32.add (i32.const 10) (local.get $numlen)))
                 (i32.const 352) (i32.const 7))
    (i32.store (i32.const 0) (global.get $LINE))                            ;; iov.buf
    (i32.store (i32.const 4) (i32.add (local.get $numlen) (i32.const 17)))  ;; iov.buf_len
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))

    ;; result: {"input":<arg>,"bytes":<n>}  — 9 + len + 9 + numlen + 1 bytes
    (local.set $out (call $alloc (i32.add (i32.add (local.get $len) (local.get $numlen)) (i32.const 19))))
    (local.set $p (local.get $out))
    (memory.copy (local.get $p) (i32.const 368) (i32.const 9))
    (local.set $p (i32.add (local.get $p) (i32.const 9)))
    (memory.copy (local.get $p) (local.get $ptr) (local.get $len))          ;; arg, byte for byte
    (local.set $p (i32.add (local.get $p) (local.get $len)))
    (memory.copy (local.get $p) (i32.const 384) (i32.const 9))
    (local.set $p (i32.add (local.get $p) (i32.const 9)))
    (memory.copy (local.get $p) (local.get $num) (local.get $numlen))
    (local.set $p (i32.add (local.get $p) (local.get $numlen)))
    (i32.store8 (local.get $p) (i32.const 125))                             ;; '}'
    (call $pack (local.get $out) (i32.sub (i32.add (local.get $p) (i32.const 1)) (local.get $out))))

  ;; ---------------------------------------------------------------------------
  ;; Lifecycle
  ;; ---------------------------------------------------------------------------

  ;; 8 bytes: the count, little-endian (wasm memory is little-endian).
  (func (export "save_state") (result i64)
    (local $ptr i32)
    (local.set $ptr (call $alloc (i32.const 8)))
    (i64.store (local.get $ptr) (global.get $count))
    (call $pack (local.get $ptr) (i32.const 8)))

  ;; Accept exactly 8 bytes; refuse anything else and keep the count.
  (func (export "restore_state") (param $ptr i32) (param $len i32) (result i32)
    (if (i32.ne (local.get $len) (i32.const 8)) (then (return (i32.const 1))))
    (global.set $count (i64.load (local.get $ptr)))
    (i32.const 0))

  (func (export "health_check") (result i64)
    (call $return_copy (i32.const 320) (i32.const 2)))
)
