// hotwasm.h — the hotwasm C guest kit (guest ABI v1, docs/abi.md). Include it in ONE .c file:
// it defines the `alloc`, `dealloc` and `health_check` exports. (Other files of the same guest
// define HOTWASM_NO_EXPORTS before including it, to get only the JSON API.)
//
//   #include "hotwasm.h"
//   HOTWASM_API_VERSION("1.0.0");
//   HOTWASM_STATE(struct counter, state, 1);
//   static void add(hw_json arg, hw_writer *out) {
//       int64_t n;
//       if (hw_json_int(hw_json_get(arg, "n"), &n)) hw_write_int(out, state.total += n);
//       else hw_write_error(out, "add takes {\"n\": <integer>}");
//   }
//   HOTWASM_JSON_EXPORT(add);
//
// Build: clang --target=wasm32-wasi -mexec-model=reactor -O2 -o guest.wasm guest.c
// Options, #defined before the #include:
//   HOTWASM_HEALTH_CHECK my_fn      health_check calls `static const char *my_fn(void)`
//                                   (return "ok" when healthy, else a message); default "ok"
//   HOTWASM_JSON_MAX_DEPTH n        deepest nesting an argument may have (default 128)
//   HOTWASM_JSON_LEADING_ZEROS      accept numbers such as 007 (not JSON) as 7
//   HOTWASM_NO_EXPORTS              the API only, no exports
#ifndef HOTWASM_H
#define HOTWASM_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotwasm_json.h"

#define HOTWASM_EXPORT(name) __attribute__((export_name(name)))

// The `api_version` custom section: UTF-8 semver, no terminator. Use at file scope, with a ';'.
#define HOTWASM_API_VERSION(semver) \
    __asm__(".section .custom_section.api_version,\"\",@\n.ascii \"" semver "\"\n.text\n")

// A result for the host: pointer in the high 32 bits, length in the low 32 bits.
static inline uint64_t hw_pack(const void *ptr, size_t len) {
    return (uint64_t)(uintptr_t)ptr << 32 | (uint32_t)len;
}

// Hand the writer's buffer to the host (which frees it through dealloc). A failed writer traps:
// half a result would be worse than a failed call.
static inline uint64_t hw__finish(hw_writer *w) {
    if (w->failed || (!w->buf && !hw__reserve(w, 1))) __builtin_trap();
    return hw_pack(w->buf, w->len);
}

// The body of every JSON export: parse the argument, run fn, free the parse, return the result.
// fn writes exactly one JSON value; if it writes nothing, the result is null.
static inline uint64_t hw__json_call(void (*fn)(hw_json, hw_writer *), const void *ptr, size_t len) {
    hw_json_doc doc;
    hw_writer out = {0};
    fn(hw_json_parse(&doc, ptr, len), &out);
    hw_json_free(&doc);
    if (!out.len) hw_write_null(&out);
    return hw__finish(&out);
}

// Export `static void fn(hw_json arg, hw_writer *out)` as the JSON call `fn`, or as `name`.
#define HOTWASM_JSON_EXPORT(fn) HOTWASM_JSON_EXPORT_AS(fn, #fn)
#define HOTWASM_JSON_EXPORT_AS(fn, name)                                            \
    HOTWASM_EXPORT(name) uint64_t hw__export_##fn(const uint8_t *ptr, size_t len); \
    uint64_t hw__export_##fn(const uint8_t *ptr, size_t len) { return hw__json_call(fn, ptr, len); } \
    _Static_assert(1, name)

// ---------------------------------------------------------------------------------------------
// State: save_state/restore_state from one declaration.
// ---------------------------------------------------------------------------------------------

// Restore status codes (any non-zero is a refusal; the module keeps its state).
enum { HW_STATE_OK = 0, HW_STATE_BAD_LENGTH = 1, HW_STATE_BAD_VERSION = 2 };

static inline uint64_t hw__save_versioned(uint8_t version, const void *state, size_t size) {
    hw_writer w = {0};
    hw_write_bytes(&w, &version, 1);
    hw_write_bytes(&w, state, size);
    return hw__finish(&w);
}

static inline int32_t hw__restore_versioned(uint8_t version, void *state, size_t size, const uint8_t *p, size_t n) {
    if (n == 0) return HW_STATE_BAD_LENGTH;
    if (p[0] != version) return HW_STATE_BAD_VERSION;
    if (n != 1 + size) return HW_STATE_BAD_LENGTH;
    memcpy(state, p + 1, size);
    return HW_STATE_OK;
}

// `HOTWASM_STATE(struct s, name, version);` or `HOTWASM_STATE(struct s, name, version) = {...};`
// declares `static struct s name` and exports save_state/restore_state for it. Encoding: the
// version byte (0-255), then the struct's bytes as laid out in wasm32 memory (little-endian).
// restore_state refuses another version (2) or another length (1). Bump the version whenever
// you change the struct, so a hot swap refuses the old state instead of misreading it. The
// struct must be plain data: no pointers (they would not survive a new instance).
#define HOTWASM_STATE(type, name, version)                                                    \
    _Static_assert((version) >= 0 && (version) <= 255, "the state version is one byte");      \
    static type name;                                                                         \
    HOTWASM_EXPORT("save_state") uint64_t hw__save_state(void);                               \
    uint64_t hw__save_state(void) { return hw__save_versioned((version), &name, sizeof name); } \
    HOTWASM_EXPORT("restore_state") int32_t hw__restore_state(const uint8_t *p, size_t n);    \
    int32_t hw__restore_state(const uint8_t *p, size_t n) {                                   \
        return hw__restore_versioned((version), &name, sizeof name, p, n);                    \
    }                                                                                         \
    static type name

// Your own encoding: `static void save(hw_writer *out)` writes the bytes (hw_write_bytes), and
// `static int restore(const uint8_t *bytes, size_t len)` returns 0 to accept them, non-zero to
// refuse (and must leave the state untouched when it refuses).
#define HOTWASM_STATE_CODEC(save_fn, restore_fn)                                               \
    HOTWASM_EXPORT("save_state") uint64_t hw__save_state(void);                                \
    uint64_t hw__save_state(void) {                                                            \
        hw_writer w = {0};                                                                     \
        save_fn(&w);                                                                           \
        return hw__finish(&w);                                                                 \
    }                                                                                          \
    HOTWASM_EXPORT("restore_state") int32_t hw__restore_state(const uint8_t *p, size_t n);     \
    int32_t hw__restore_state(const uint8_t *p, size_t n) { return (int32_t)restore_fn(p, n); } \
    _Static_assert(1, #save_fn)

// ---------------------------------------------------------------------------------------------
// Printing: hw_printf/hw_eprintf write to stdout/stderr at once (one fd_write per call). stdio's
// printf would buffer, and nothing flushes stdio in a reactor; it is also large. Supported:
// %% %c %s %.*s and %d %i %u %x with the length modifiers hh h l ll z j t.
// ---------------------------------------------------------------------------------------------
static inline void hw_vformat(hw_writer *w, const char *fmt, va_list ap) {
    static const char hex[] = "0123456789abcdef";
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            const char *run = p;
            while (p[1] && p[1] != '%') p++;
            hw_write_bytes(w, run, (size_t)(p - run + 1));
            continue;
        }
        int precision = -1, longs = 0, size_t_arg = 0;
        if (p[1] == '.' && p[2] == '*') precision = va_arg(ap, int), p += 2;
        while (p[1] == 'h') p++;
        while (p[1] == 'l') longs++, p++;
        if (p[1] == 'z' || p[1] == 't') size_t_arg = 1, p++;
        if (p[1] == 'j') longs = 2, p++;
        char c = *++p, digits[24], *end = digits + sizeof digits, *d = end;
        if (c == 's') {
            const char *s = va_arg(ap, const char *);
            size_t n = s ? strlen(s) : 6;
            hw_write_bytes(w, s ? s : "(null)", precision >= 0 && (size_t)precision < n ? (size_t)precision : n);
        } else if (c == 'c') {
            char ch = (char)va_arg(ap, int);
            hw_write_bytes(w, &ch, 1);
        } else if (c == 'd' || c == 'i' || c == 'u' || c == 'x') {
            uint64_t v;
            bool neg = false;
            if (c == 'd' || c == 'i') {
                int64_t s = longs >= 2 ? va_arg(ap, long long) : longs || size_t_arg ? va_arg(ap, long) : va_arg(ap, int);
                neg = s < 0, v = neg ? 0 - (uint64_t)s : (uint64_t)s;
            } else {
                v = longs >= 2 ? va_arg(ap, unsigned long long) : longs || size_t_arg ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            }
            unsigned base = c == 'x' ? 16 : 10;
            do *--d = hex[v % base], v /= base;
            while (v);
            if (neg) *--d = '-';
            hw_write_bytes(w, d, (size_t)(end - d));
        } else {
            hw_write_bytes(w, "%", 1); // %% (or an unsupported conversion, shown as is)
            if (c && c != '%') hw_write_bytes(w, &c, 1);
            if (!c) break;
        }
    }
}

// Append formatted text to a writer (as plain bytes).
__attribute__((format(printf, 2, 3))) static inline void hw_format(hw_writer *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hw_vformat(w, fmt, ap);
    va_end(ap);
}

static inline void hw__vprint(int fd, const char *fmt, va_list ap) {
    hw_writer w = {0};
    hw_vformat(&w, fmt, ap);
    if (w.len) write(fd, w.buf, w.len);
    free(w.buf);
}
__attribute__((format(printf, 1, 2))) static inline void hw_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hw__vprint(1, fmt, ap);
    va_end(ap);
}
__attribute__((format(printf, 1, 2))) static inline void hw_eprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hw__vprint(2, fmt, ap);
    va_end(ap);
}

// ---------------------------------------------------------------------------------------------
// The exports every guest gets: alloc, dealloc, health_check.
// ---------------------------------------------------------------------------------------------
#ifndef HOTWASM_NO_EXPORTS

// malloc/free: each block the host gets (argument or result) is its own, so the host may free
// them in any order, and a result that is the argument block is freed once, as the ABI says.
// A failed allocation traps instead of handing the host address 0 to write into.
HOTWASM_EXPORT("alloc") void *hw__alloc(size_t len);
void *hw__alloc(size_t len) {
    void *p = malloc(len ? len : 1);
    if (!p) __builtin_trap();
    return p;
}
HOTWASM_EXPORT("dealloc") void hw__dealloc(void *ptr, size_t len);
void hw__dealloc(void *ptr, size_t len) {
    (void)len;
    free(ptr);
}

#ifdef HOTWASM_HEALTH_CHECK
static inline const char *HOTWASM_HEALTH_CHECK(void);
#else
static inline const char *hw__healthy(void) { return "ok"; }
#define HOTWASM_HEALTH_CHECK hw__healthy
#endif
HOTWASM_EXPORT("health_check") uint64_t hw__health_check(void);
uint64_t hw__health_check(void) {
    const char *status = HOTWASM_HEALTH_CHECK();
    hw_writer w = {0};
    hw_write_bytes(&w, status, strlen(status));
    return hw__finish(&w);
}

#endif // HOTWASM_NO_EXPORTS
#endif // HOTWASM_H
