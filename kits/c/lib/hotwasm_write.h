// hotwasm_write.h — the writer of the hotwasm C kit: a growable byte buffer that writes JSON
// (comma placement is automatic) or plain bytes (state, text). Included by hotwasm_json.h.
#ifndef HOTWASM_WRITE_H
#define HOTWASM_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Start from `hw_writer w = {0};`. After an allocation failure `failed` is set and every later
// write is ignored; the kit traps on a failed result rather than return half of one.
typedef struct {
    char *buf;
    size_t len, cap;
    bool comma;  // the next value or key needs a ',' before it
    bool failed;
} hw_writer;

// Growth by malloc + copy + free rather than realloc, which would link another ~3 KB of
// dlmalloc into every guest; doubling keeps the copying linear. Out of line for the same reason.
__attribute__((noinline, unused)) static bool hw__reserve(hw_writer *w, size_t n) {
    if (w->failed) return false;
    if (n <= w->cap - w->len) return true;
    size_t cap = w->cap ? w->cap : 64;
    while (cap - w->len < n) {
        if (cap > SIZE_MAX / 2) return w->failed = true, false;
        cap *= 2;
    }
    char *grown = (char *)malloc(cap);
    if (!grown) return w->failed = true, false;
    if (w->len) memcpy(grown, w->buf, w->len);
    free(w->buf);
    w->buf = grown, w->cap = cap;
    return true;
}

// Append bytes as they are (no JSON punctuation): for state encodings and plain text.
__attribute__((noinline, unused)) static void hw_write_bytes(hw_writer *w, const void *bytes, size_t n) {
    if (n && hw__reserve(w, n)) memcpy(w->buf + w->len, bytes, n), w->len += n;
}

static inline void hw__sep(hw_writer *w) {
    if (w->comma) hw_write_bytes(w, ",", 1);
    w->comma = false;
}

// A value already serialised as JSON (copied verbatim, e.g. from hw_json_source).
static inline void hw_write_raw(hw_writer *w, const char *json, size_t n) {
    hw__sep(w);
    hw_write_bytes(w, json, n);
    w->comma = true;
}

static inline void hw_write_null(hw_writer *w) { hw_write_raw(w, "null", 4); }
static inline void hw_write_bool(hw_writer *w, bool b) { b ? hw_write_raw(w, "true", 4) : hw_write_raw(w, "false", 5); }

// Decimal digits of n at the END of buf; returns the start. (No printf: it is large.)
static inline char *hw__format_i64(int64_t n, char *buf_end) {
    char *p = buf_end;
    uint64_t mag = n < 0 ? 0 - (uint64_t)n : (uint64_t)n; // right for INT64_MIN too
    do *--p = (char)('0' + mag % 10), mag /= 10;
    while (mag);
    if (n < 0) *--p = '-';
    return p;
}

static inline void hw_write_int(hw_writer *w, int64_t n) {
    char buf[24], *start = hw__format_i64(n, buf + sizeof buf);
    hw_write_raw(w, start, (size_t)(buf + sizeof buf - start));
}

// The shortest of %.15g..%.17g that reads back as d; NaN and infinities (not JSON) as null.
// Uses snprintf and strtod, which are linked into the module only if you call this.
#include <stdio.h>
static inline void hw_write_double(hw_writer *w, double d) {
    char buf[32];
    if (!__builtin_isfinite(d)) {
        hw_write_null(w);
        return;
    }
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, sizeof buf, "%.*g", precision, d);
        if (strtod(buf, NULL) == d) break;
    }
    hw_write_raw(w, buf, strlen(buf));
}

// A JSON string from n bytes of UTF-8: quotes, backslashes and control characters are escaped,
// ill-formed UTF-8 is replaced by U+FFFD (the host refuses results that are not UTF-8).
static inline void hw_write_stringn(hw_writer *w, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    hw__sep(w);
    hw_write_bytes(w, "\"", 1);
    while (p < end) {
        const unsigned char *run = p; // copy runs of bytes that need nothing, in one go
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) p++;
        hw_write_bytes(w, run, (size_t)(p - run));
        if (p == end) break;
        unsigned c = *p;
        char esc[6] = {'\\', 0, '0', '0', hex[c >> 4], hex[c & 15]};
        size_t seq;
        if (c >= 0x80) {
            seq = hw__utf8_seq(p, (size_t)(end - p));
            seq ? hw_write_bytes(w, p, seq) : hw_write_bytes(w, "\xEF\xBF\xBD", 3);
            p += seq ? seq : 1;
            continue;
        }
        esc[1] = c == '"' ? '"' : c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : c == '\f' ? 'f' : 'u';
        hw_write_bytes(w, esc, esc[1] == 'u' ? 6 : 2);
        p++;
    }
    hw_write_bytes(w, "\"", 1);
    w->comma = true;
}
// A NUL-terminated string; NULL writes null.
static inline void hw_write_string(hw_writer *w, const char *s) { s ? hw_write_stringn(w, s, strlen(s)) : hw_write_null(w); }

static inline void hw_write_array_begin(hw_writer *w) { hw__sep(w), hw_write_bytes(w, "[", 1); }
static inline void hw_write_array_end(hw_writer *w) { hw_write_bytes(w, "]", 1), w->comma = true; }
static inline void hw_write_object_begin(hw_writer *w) { hw__sep(w), hw_write_bytes(w, "{", 1); }
static inline void hw_write_object_end(hw_writer *w) { hw_write_bytes(w, "}", 1), w->comma = true; }

// An object member's key; write its value next. (hw_write_keyn: n bytes, which may hold NULs.)
static inline void hw_write_keyn(hw_writer *w, const char *key, size_t n) {
    hw_write_stringn(w, key, n);
    hw_write_bytes(w, ":", 1);
    w->comma = false;
}
static inline void hw_write_key(hw_writer *w, const char *key) { hw_write_keyn(w, key, strlen(key)); }

// {"error":"<message>"}: the kit's way of answering a bad argument.
static inline void hw_write_error(hw_writer *w, const char *message) {
    hw_write_object_begin(w);
    hw_write_key(w, "error");
    hw_write_string(w, message);
    hw_write_object_end(w);
}

#endif // HOTWASM_WRITE_H
