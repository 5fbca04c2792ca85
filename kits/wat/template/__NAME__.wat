;; __NAME__.wat — a hotwasm guest in WebAssembly text. Your code is above the kit line; the
;; kit below it (hotwasm-kit/kit.wat) gives alloc/dealloc, save_state/restore_state, health_check
;; and the $helpers used here. `npx hotwasm dev __NAME__.wat` rebuilds and hot-swaps on every save.
(module
  ;; Your guest's API version (a new project starts at 0.1.0): bump the major version when a
  ;; change would break callers, so the host loads it fresh instead of hot-swapping.
  (@custom "api_version" "0.1.0")
  (memory (export "memory") 1)
  (global $heap_base i32 (i32.const 1024))   ;; your data at 256..1023; the kit's heap from here
  (data (i32.const 256) "{\"error\":\"add takes an integer\"}")   ;; 32 bytes
  (data (i32.const 288) "{\"error\":\"greet takes a string\"}")   ;; 32 bytes
  ;; The two halves of greet's answer, {"hello":<name>,"greeted":<n>}, around the name.
  (data (i32.const 320) "{\"hello\":,\"greeted\":")               ;; 9 + 11 bytes

  ;; The state, kept across hot swaps: written by $state_save, read back by $state_load.
  (global $total (mut i64) (i64.const 0))
  (global $greeted (mut i32) (i32.const 0))

  ;; add(n: integer) -> the running total
  (func (export "add") (param $ptr i32) (param $len i32) (result i64)
    (local $n i64) (local $ok i32)
    (call $arg_i64 (local.get $ptr) (local.get $len)) (local.set $ok) (local.set $n)
    (if (i32.eqz (local.get $ok)) (then (return (call $return_copy (i32.const 256) (i32.const 32)))))
    (global.set $total (i64.add (global.get $total) (local.get $n)))
    (call $return_i64 (global.get $total)))

  ;; greet(name: string) -> {"hello":name,"greeted":how many greet calls so far, this one included}
  (func (export "greet") (param $ptr i32) (param $len i32) (result i64)
    (local $s i32) (local $n i32) (local $ok i32)
    (call $arg_string (local.get $ptr) (local.get $len)) (local.set $ok) (local.set $n) (local.set $s)
    (if (i32.eqz (local.get $ok)) (then (return (call $return_copy (i32.const 288) (i32.const 32)))))
    (global.set $greeted (i32.add (global.get $greeted) (i32.const 1)))
    (call $out_begin)
    (call $out_bytes (i32.const 320) (i32.const 9))
    (call $out_string (local.get $s) (local.get $n))
    (call $out_bytes (i32.const 329) (i32.const 11))
    (call $out_i64 (i64.extend_i32_u (global.get $greeted)))
    (call $out_byte (i32.const 125))
    (call $out_end))

  ;; State version 1: the total (i64), then the greeted count (i32). Bump the version when the
  ;; fields change: bytes of another version are then refused, not misread.
  (func $state_save (result i64)
    (call $save_begin (i32.const 1))
    (call $save_i64 (global.get $total))
    (call $save_i32 (global.get $greeted))
    (call $save_end))

  ;; Read into locals, and assign only once $load_end says every byte was right.
  (func $state_load (param $ptr i32) (param $len i32) (result i32)
    (local $total i64) (local $greeted i32) (local $status i32)
    (call $load_begin (local.get $ptr) (local.get $len) (i32.const 1))
    (local.set $total (call $load_i64))
    (local.set $greeted (call $load_i32))
    (local.set $status (call $load_end))
    (if (local.get $status) (then (return (local.get $status))))
    (global.set $total (local.get $total))
    (global.set $greeted (local.get $greeted))
    (i32.const 0))

  ;; ---- hotwasm kit v1 (kits/wat/lib/kit.wat): keep below this line ----
  ;; The guest ABI v1 plumbing, pasted verbatim at the end of your (module ...). WAT has no
  ;; includes, so a guest carries its copy; `hotwasm` checks it is the current one. What your
  ;; code above must define (the kit refers to these names):
  ;;   (memory (export "memory") 1)       the memory (bytes 0..255 are the kit's)
  ;;   (global $heap_base i32 (i32.const N)) the heap starts here: put your data below it
  ;;   (func $state_save (result i64))    the state bytes, packed: see $save_begin below
  ;;   (func $state_load (param $ptr i32) (param $len i32) (result i32))  0 = accepted
  ;; What it gives: the exports alloc, dealloc, save_state, restore_state and health_check, and
  ;; these functions for your code:
  ;;   $pack (ptr len) -> i64              a JSON result (ptr high 32 bits, len low 32 bits)
  ;;   $return_copy (src len) -> i64       copy bytes into a fresh block, packed
  ;;   $return_i64 (n) -> i64              n as JSON, packed
  ;;   $skip_ws (p end) -> p               past JSON whitespace
  ;;   $arg_is_null (ptr len) -> i32       the argument is null
  ;;   $arg_i64 (ptr len) -> (i64 n, i32 ok)   the argument is -?[0-9]+ (leading zeros accepted,
  ;;                                       wrapping past i64), between whitespace
  ;;   $arg_string (ptr len) -> (i32 p, i32 n, i32 ok)  the argument is a JSON string: its UTF-8,
  ;;                                       unescaped in place over the argument (\uXXXX pairs
  ;;                                       joined, a lone surrogate becomes U+FFFD)
  ;;   $format_i64 (n) -> (i32 p, i32 n)   n in decimal, in the kit's scratch (until the next use)
  ;;   $out_begin, $out_byte (b), $out_bytes (src len), $out_i64 (n), $out_string (src len),
  ;;   $out_end -> i64                     build a result at the top of the heap, packed by
  ;;                                       $out_end (no $alloc in between)
  ;;   $save_begin (version), $save_i32 (v), $save_i64 (v), $save_end -> i64: the default
  ;;                                       state encoding: the version byte (none if -1), then
  ;;                                       little-endian fields
  ;;   $load_begin (ptr len version), $load_i32 -> i32, $load_i64 -> i64, $load_end -> status:
  ;;                                       read them back; status 0 when every byte was read
  ;;                                       exactly, 1 when too short/long, 2 another version
  ;;   $health_ptr, $health_len (globals)  what health_check answers ("ok" = healthy)

  ;; Kit memory: 0..31 number scratch (digits written backwards), 32..47 hex digits, 48.. text.
  (data (i32.const 32) "0123456789abcdef")
  (data (i32.const 48) "ok")
  (data (i32.const 52) "null")
  (global $health_ptr (mut i32) (i32.const 48))
  (global $health_len (mut i32) (i32.const 2))

  ;; Allocator. Each block has an 8-byte header (size, in-use mark). Freed blocks go on a
  ;; first-fit free list; when every block handed out has been freed — the host frees the
  ;; argument and the result after each call, in either order — the heap starts over. So calls
  ;; never grow memory, and a block the host never frees only keeps its own bytes.
  (global $heap_top (mut i32) (i32.const 0))   ;; 0: not started (then $heap_base)
  (global $free_list (mut i32) (i32.const 0))
  (global $live (mut i32) (i32.const 0))

  (func $heap_start (result i32)
    (i32.and (i32.add (global.get $heap_base) (i32.const 7)) (i32.const -8)))

  ;; Make sure memory reaches `end`, growing it in whole pages; trap when it cannot grow.
  (func $reserve (param $end i32)
    (local $have i32)
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have))
                                                     (i32.const 0xffff)) (i32.const 16)))
                    (i32.const -1))
          (then unreachable)))))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $size i32) (local $p i32) (local $prev i32)
    (if (i32.eqz (global.get $heap_top)) (then (global.set $heap_top (call $heap_start))))
    (local.set $size (i32.and (i32.add (local.get $len) (i32.const 7)) (i32.const -8)))
    (if (i32.lt_u (local.get $size) (i32.const 8)) (then (local.set $size (i32.const 8))))
    ;; first fit on the free list (its link is the block's first 4 bytes)
    (local.set $p (global.get $free_list))
    (block $none
      (loop $next
        (br_if $none (i32.eqz (local.get $p)))
        (if (i32.ge_u (i32.load (i32.sub (local.get $p) (i32.const 8))) (local.get $size))
          (then
            (if (local.get $prev)
              (then (i32.store (local.get $prev) (i32.load (local.get $p))))
              (else (global.set $free_list (i32.load (local.get $p)))))
            (i32.store (i32.sub (local.get $p) (i32.const 4)) (i32.const 0x55534544))   ;; "USED"
            (global.set $live (i32.add (global.get $live) (i32.const 1)))
            (return (local.get $p))))
        (local.set $prev (local.get $p))
        (local.set $p (i32.load (local.get $p)))
        (br $next)))
    ;; else bump
    (local.set $p (i32.add (global.get $heap_top) (i32.const 8)))
    (call $reserve (i32.add (local.get $p) (local.get $size)))
    (i32.store (i32.sub (local.get $p) (i32.const 8)) (local.get $size))
    (i32.store (i32.sub (local.get $p) (i32.const 4)) (i32.const 0x55534544))
    (global.set $heap_top (i32.add (local.get $p) (local.get $size)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $p))

  (func $dealloc (export "dealloc") (param $ptr i32) (param $len i32)
    ;; Anything but a block in use is ignored: a second free, a pointer we never gave.
    (if (i32.or (i32.or (i32.lt_u (local.get $ptr) (i32.add (call $heap_start) (i32.const 8)))
                        (i32.ge_u (local.get $ptr) (global.get $heap_top)))
                (i32.and (local.get $ptr) (i32.const 7)))
      (then return))
    (if (i32.ne (i32.load (i32.sub (local.get $ptr) (i32.const 4))) (i32.const 0x55534544))
      (then return))
    (i32.store (i32.sub (local.get $ptr) (i32.const 4)) (i32.const 0x46524545))        ;; "FREE"
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.eqz (global.get $live))
      (then
        (global.set $heap_top (call $heap_start))
        (global.set $free_list (i32.const 0))
        (return)))
    (i32.store (local.get $ptr) (global.get $free_list))
    (global.set $free_list (local.get $ptr)))

  (func $pack (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32))
            (i64.extend_i32_u (local.get $len))))

  (func $return_copy (param $src i32) (param $len i32) (result i64)
    (local $ptr i32)
    (local.set $ptr (call $alloc (local.get $len)))
    (memory.copy (local.get $ptr) (local.get $src) (local.get $len))
    (call $pack (local.get $ptr) (local.get $len)))

  (func $format_i64 (param $n i64) (result i32 i32)
    (local $p i32) (local $mag i64)
    (local.set $p (i32.const 32))
    ;; the magnitude as unsigned: 0 - n is right for i64 min too
    (local.set $mag (select (i64.sub (i64.const 0) (local.get $n)) (local.get $n)
                            (i64.lt_s (local.get $n) (i64.const 0))))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $mag) (i64.const 10))))
      (local.set $mag (i64.div_u (local.get $mag) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $mag) (i64.const 0))))
    (if (i64.lt_s (local.get $n) (i64.const 0))
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))
    (local.get $p)
    (i32.sub (i32.const 32) (local.get $p)))

  (func $return_i64 (param $n i64) (result i64)
    (call $return_copy (call $format_i64 (local.get $n))))

  ;; ---- reading the argument ----
  (func $skip_ws (param $p i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
                                      (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $p))

  (func $arg_is_null (param $ptr i32) (param $len i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $p (call $skip_ws (local.get $ptr) (local.get $end)))
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 4)) (then (return (i32.const 0))))
    (if (i32.ne (i32.load align=1 (local.get $p)) (i32.load (i32.const 52))) (then (return (i32.const 0))))
    (i32.eq (call $skip_ws (i32.add (local.get $p) (i32.const 4)) (local.get $end)) (local.get $end)))

  (func $arg_i64 (param $ptr i32) (param $len i32) (result i64 i32)
    (local $p i32) (local $end i32) (local $neg i32) (local $n i64) (local $start i32) (local $c i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $p (call $skip_ws (local.get $ptr) (local.get $end)))
    (if (i32.and (i32.lt_u (local.get $p) (local.get $end)) (i32.eq (i32.load8_u (local.get $p)) (i32.const 45)))
      (then (local.set $neg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (local.set $start (local.get $p))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (if (i32.eq (local.get $p) (local.get $start)) (then (return (i64.const 0) (i32.const 0))))
    (if (local.get $neg) (then (local.set $n (i64.sub (i64.const 0) (local.get $n)))))
    (local.get $n)
    (i32.eq (call $skip_ws (local.get $p) (local.get $end)) (local.get $end)))

  (func $hex (param $c i32) (result i32)
    (if (i32.le_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)) (then (return (i32.sub (local.get $c) (i32.const 48)))))
    (local.set $c (i32.or (local.get $c) (i32.const 32)))
    (if (i32.le_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 5)) (then (return (i32.sub (local.get $c) (i32.const 87)))))
    (i32.const -1))

  ;; Four hex digits at p as a number, or -1.
  (func $hex4 (param $p i32) (result i32)
    (local $i i32) (local $d i32) (local $v i32)
    (loop $next
      (local.set $d (call $hex (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
      (if (i32.lt_s (local.get $d) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 4)) (local.get $d)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 4))))
    (local.get $v))

  ;; Write code point cp as UTF-8 at q; return the new q.
  (func $put_utf8 (param $q i32) (param $cp i32) (result i32)
    (if (i32.lt_u (local.get $cp) (i32.const 0x80))
      (then (i32.store8 (local.get $q) (local.get $cp)) (return (i32.add (local.get $q) (i32.const 1)))))
    (if (i32.lt_u (local.get $cp) (i32.const 0x800))
      (then
        (i32.store8 (local.get $q) (i32.or (i32.const 0xc0) (i32.shr_u (local.get $cp) (i32.const 6))))
        (i32.store8 offset=1 (local.get $q) (i32.or (i32.const 0x80) (i32.and (local.get $cp) (i32.const 63))))
        (return (i32.add (local.get $q) (i32.const 2)))))
    (if (i32.lt_u (local.get $cp) (i32.const 0x10000))
      (then
        (i32.store8 (local.get $q) (i32.or (i32.const 0xe0) (i32.shr_u (local.get $cp) (i32.const 12))))
        (i32.store8 offset=1 (local.get $q) (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $cp) (i32.const 6)) (i32.const 63))))
        (i32.store8 offset=2 (local.get $q) (i32.or (i32.const 0x80) (i32.and (local.get $cp) (i32.const 63))))
        (return (i32.add (local.get $q) (i32.const 3)))))
    (i32.store8 (local.get $q) (i32.or (i32.const 0xf0) (i32.shr_u (local.get $cp) (i32.const 18))))
    (i32.store8 offset=1 (local.get $q) (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $cp) (i32.const 12)) (i32.const 63))))
    (i32.store8 offset=2 (local.get $q) (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $cp) (i32.const 6)) (i32.const 63))))
    (i32.store8 offset=3 (local.get $q) (i32.or (i32.const 0x80) (i32.and (local.get $cp) (i32.const 63))))
    (i32.add (local.get $q) (i32.const 4)))

  ;; Decoded in place, over the argument's own bytes (unescaping never makes text longer).
  (func $arg_string (param $ptr i32) (param $len i32) (result i32 i32 i32)
    (local $p i32) (local $end i32) (local $q i32) (local $c i32) (local $lo i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $p (call $skip_ws (local.get $ptr) (local.get $end)))
    (if (i32.or (i32.ge_u (local.get $p) (local.get $end)) (i32.ne (i32.load8_u (local.get $p)) (i32.const 34)))
      (then (return (i32.const 0) (i32.const 0) (i32.const 0))))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.set $q (local.get $ptr))
    (block $bad
      (loop $next
        (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.eq (local.get $c) (i32.const 34))   ;; closing quote: only whitespace may follow
          (then
            (br_if $bad (i32.ne (call $skip_ws (local.get $p) (local.get $end)) (local.get $end)))
            (return (local.get $ptr) (i32.sub (local.get $q) (local.get $ptr)) (i32.const 1))))
        (br_if $bad (i32.lt_u (local.get $c) (i32.const 32)))
        (if (i32.eq (local.get $c) (i32.const 92))
          (then
            (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $c (i32.load8_u (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (if (i32.eq (local.get $c) (i32.const 117))   ;; \uXXXX
              (then
                (br_if $bad (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
                (local.set $c (call $hex4 (local.get $p)))
                (br_if $bad (i32.lt_s (local.get $c) (i32.const 0)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                ;; a high surrogate followed by \u and a low one is one code point; a lone one is U+FFFD
                (if (i32.eq (i32.and (local.get $c) (i32.const 0xfc00)) (i32.const 0xd800))
                  (then
                    (local.set $lo (i32.const -1))
                    (if (i32.and (i32.le_u (i32.add (local.get $p) (i32.const 6)) (local.get $end))
                                 (i32.eq (i32.load16_u align=1 (local.get $p)) (i32.const 0x755c)))   ;; "\u"
                      (then (local.set $lo (call $hex4 (i32.add (local.get $p) (i32.const 2))))))
                    (if (i32.eq (i32.and (local.get $lo) (i32.const 0xfc00)) (i32.const 0xdc00))
                      (then
                        (local.set $c (i32.add (i32.const 0x10000)
                          (i32.or (i32.shl (i32.and (local.get $c) (i32.const 0x3ff)) (i32.const 10))
                                  (i32.and (local.get $lo) (i32.const 0x3ff)))))
                        (local.set $p (i32.add (local.get $p) (i32.const 6))))
                      (else (local.set $c (i32.const 0xfffd))))))
                (if (i32.eq (i32.and (local.get $c) (i32.const 0xfc00)) (i32.const 0xdc00))
                  (then (local.set $c (i32.const 0xfffd))))
                (local.set $q (call $put_utf8 (local.get $q) (local.get $c)))
                (br $next)))
            ;; the one-letter escapes: " \ / b f n r t
            (if (i32.eq (local.get $c) (i32.const 98)) (then (local.set $c (i32.const 8)))
              (else (if (i32.eq (local.get $c) (i32.const 102)) (then (local.set $c (i32.const 12)))
              (else (if (i32.eq (local.get $c) (i32.const 110)) (then (local.set $c (i32.const 10)))
              (else (if (i32.eq (local.get $c) (i32.const 114)) (then (local.set $c (i32.const 13)))
              (else (if (i32.eq (local.get $c) (i32.const 116)) (then (local.set $c (i32.const 9)))
              (else (br_if $bad (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 34))
                                                         (i32.eq (local.get $c) (i32.const 92)))
                                                 (i32.eq (local.get $c) (i32.const 47)))))))))))))))))
        (i32.store8 (local.get $q) (local.get $c))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next)))
    (i32.const 0) (i32.const 0) (i32.const 0))

  ;; ---- building a result at the top of the heap ----
  (global $out_start (mut i32) (i32.const 0))
  (global $out_at (mut i32) (i32.const 0))

  (func $out_begin
    (if (i32.eqz (global.get $heap_top)) (then (global.set $heap_top (call $heap_start))))
    (global.set $out_start (i32.add (global.get $heap_top) (i32.const 8)))
    (global.set $out_at (global.get $out_start)))

  (func $out_bytes (param $src i32) (param $len i32)
    (call $reserve (i32.add (global.get $out_at) (local.get $len)))
    (memory.copy (global.get $out_at) (local.get $src) (local.get $len))
    (global.set $out_at (i32.add (global.get $out_at) (local.get $len))))

  (func $out_byte (param $b i32)
    (call $reserve (i32.add (global.get $out_at) (i32.const 1)))
    (i32.store8 (global.get $out_at) (local.get $b))
    (global.set $out_at (i32.add (global.get $out_at) (i32.const 1))))

  (func $out_i64 (param $n i64)
    (call $out_bytes (call $format_i64 (local.get $n))))

  ;; src..src+len (UTF-8) as a JSON string literal: quotes, \" \\ and control characters escaped.
  (func $out_string (param $src i32) (param $len i32)
    (local $end i32) (local $c i32)
    (local.set $end (i32.add (local.get $src) (local.get $len)))
    (call $out_byte (i32.const 34))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $src)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92)))
          (then (call $out_byte (i32.const 92)) (call $out_byte (local.get $c)))
          (else
            (if (i32.lt_u (local.get $c) (i32.const 32))
              (then
                (call $out_byte (i32.const 92)) (call $out_byte (i32.const 117))
                (call $out_byte (i32.const 48)) (call $out_byte (i32.const 48))
                (call $out_byte (i32.load8_u offset=32 (i32.shr_u (local.get $c) (i32.const 4))))
                (call $out_byte (i32.load8_u offset=32 (i32.and (local.get $c) (i32.const 15)))))
              (else (call $out_byte (local.get $c))))))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (br $next)))
    (call $out_byte (i32.const 34)))

  ;; Close the result: it becomes a block like $alloc's (the host frees it), packed.
  (func $out_end (result i64)
    (local $size i32) (local $cap i32)
    (local.set $size (i32.sub (global.get $out_at) (global.get $out_start)))
    (local.set $cap (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8)))
    (if (i32.lt_u (local.get $cap) (i32.const 8)) (then (local.set $cap (i32.const 8))))
    (call $reserve (i32.add (global.get $out_start) (local.get $cap)))
    (i32.store (i32.sub (global.get $out_start) (i32.const 8)) (local.get $cap))
    (i32.store (i32.sub (global.get $out_start) (i32.const 4)) (i32.const 0x55534544))
    (global.set $heap_top (i32.add (global.get $out_start) (local.get $cap)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (call $pack (global.get $out_start) (local.get $size)))

  ;; ---- state: the default encoding (version byte, little-endian fields) ----
  (func $save_begin (param $version i32)
    (call $out_begin)
    (if (i32.ge_s (local.get $version) (i32.const 0)) (then (call $out_byte (local.get $version)))))
  (func $save_i32 (param $v i32)
    (call $reserve (i32.add (global.get $out_at) (i32.const 4)))
    (i32.store align=1 (global.get $out_at) (local.get $v))
    (global.set $out_at (i32.add (global.get $out_at) (i32.const 4))))
  (func $save_i64 (param $v i64)
    (call $reserve (i32.add (global.get $out_at) (i32.const 8)))
    (i64.store align=1 (global.get $out_at) (local.get $v))
    (global.set $out_at (i32.add (global.get $out_at) (i32.const 8))))
  (func $save_end (result i64) (call $out_end))

  (global $load_at (mut i32) (i32.const 0))
  (global $load_end (mut i32) (i32.const 0))
  (global $load_status (mut i32) (i32.const 0))

  (func $load_begin (param $ptr i32) (param $len i32) (param $version i32)
    (global.set $load_at (local.get $ptr))
    (global.set $load_end (i32.add (local.get $ptr) (local.get $len)))
    (global.set $load_status (i32.const 0))
    (if (i32.lt_s (local.get $version) (i32.const 0)) (then return))
    (if (i32.eqz (local.get $len)) (then (global.set $load_status (i32.const 1)) (return)))
    (if (i32.ne (i32.load8_u (local.get $ptr)) (local.get $version)) (then (global.set $load_status (i32.const 2))))
    (global.set $load_at (i32.add (local.get $ptr) (i32.const 1))))

  ;; The address of the next n bytes, or 0 (status 1) when fewer are left.
  (func $load_take (param $n i32) (result i32)
    (local $at i32)
    (if (i32.or (global.get $load_status)
                (i32.lt_u (i32.sub (global.get $load_end) (global.get $load_at)) (local.get $n)))
      (then
        (if (i32.eqz (global.get $load_status)) (then (global.set $load_status (i32.const 1))))
        (return (i32.const 0))))
    (local.set $at (global.get $load_at))
    (global.set $load_at (i32.add (local.get $at) (local.get $n)))
    (local.get $at))

  (func $load_i32 (result i32)
    (local $at i32)
    (local.set $at (call $load_take (i32.const 4)))
    (if (result i32) (local.get $at) (then (i32.load align=1 (local.get $at))) (else (i32.const 0))))
  (func $load_i64 (result i64)
    (local $at i32)
    (local.set $at (call $load_take (i32.const 8)))
    (if (result i64) (local.get $at) (then (i64.load align=1 (local.get $at))) (else (i64.const 0))))

  ;; 0 when every byte was read and no more are left; else non-zero: do not use what was read.
  (func $load_end (result i32)
    (if (i32.and (i32.eqz (global.get $load_status)) (i32.ne (global.get $load_at) (global.get $load_end)))
      (then (global.set $load_status (i32.const 1))))
    (global.get $load_status))

  ;; ---- lifecycle exports ----
  (func (export "save_state") (result i64)
    (call $state_save))

  (func (export "restore_state") (param $ptr i32) (param $len i32) (result i32)
    (call $state_load (local.get $ptr) (local.get $len)))

  (func (export "health_check") (result i64)
    (call $return_copy (global.get $health_ptr) (global.get $health_len)))
)
