// hotwasm_json.h — the JSON half of the hotwasm C kit: a parser into read-only values, and a
// writer for results. Included by hotwasm.h; usable on its own (it exports nothing).
//
// Everything is `static`, so functions a guest never calls cost nothing in its .wasm (numbers
// are converted to double only in hw_json_double, so strtod is linked only if you call it; the
// same for snprintf and hw_write_double).
#ifndef HOTWASM_JSON_H
#define HOTWASM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Nesting deeper than this is refused as invalid, so a hostile argument cannot overflow the stack.
#ifndef HOTWASM_JSON_MAX_DEPTH
#define HOTWASM_JSON_MAX_DEPTH 128
#endif

typedef enum {
    HW_JSON_NONE,   // no value: a missing key or index, or an argument that is not valid JSON
    HW_JSON_NULL,
    HW_JSON_BOOL,
    HW_JSON_NUMBER,
    HW_JSON_STRING,
    HW_JSON_ARRAY,
    HW_JSON_OBJECT,
} hw_json_kind;

// One parsed value. Containers are followed by their children; `next` is the distance to the
// next sibling (0 for the last), so walking a container never recurses.
struct hw_json_node {
    uint8_t kind;
    uint8_t is_int;          // a number written without fraction or exponent
    uint8_t truth;           // the value of a bool
    uint32_t next, count;    // count: elements of an array, members of an object
    const char *key;         // the (decoded) key when this is a member of an object
    uint32_t key_len;
    const char *str;         // a decoded string (NUL-terminated); a number's text; NONE: the error
    uint32_t str_len;
    const char *src;         // the value's text in the source (the root: all of it)
    uint32_t src_len;
};
typedef const struct hw_json_node *hw_json;

// The storage behind one parse; hw_json_free releases it (and every hw_json taken from it).
typedef struct {
    struct hw_json_node *nodes;
    char *strings;
} hw_json_doc;

static const struct hw_json_node hw__json_none = {HW_JSON_NONE, 0, 0, 0, 0, NULL, 0, NULL, 0, NULL, 0};

// ---------------------------------------------------------------------------------------------
// UTF-8: the length of the well-formed sequence at p (Unicode table 3-7), 0 if ill-formed.
// ---------------------------------------------------------------------------------------------
// Helpers the parser calls from several places are kept out of line: it keeps the parser
// ~1 KB smaller, which matters for guests that are mostly dlmalloc.
#define HW__OUTLINE __attribute__((noinline, unused)) static

HW__OUTLINE size_t hw__utf8_seq(const unsigned char *p, size_t avail) {
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t n;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (avail < n || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

static inline char *hw__utf8_put(char *o, uint32_t cp) {
    if (cp < 0x80) *o++ = (char)cp;
    else if (cp < 0x800) *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000) *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    else *o++ = (char)(0xF0 | cp >> 18), *o++ = (char)(0x80 | ((cp >> 12) & 0x3F)), *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    return o;
}

// ---------------------------------------------------------------------------------------------
// The parser: RFC 8259, strict. Lone surrogate escapes (\ud800 alone) become U+FFFD, so every
// decoded string is valid UTF-8; raw bytes in strings must already be valid UTF-8.
// ---------------------------------------------------------------------------------------------
typedef struct {
    const unsigned char *p, *end;
    struct hw_json_node *nodes;
    uint32_t n, cap;
    char *strings, *str_end; // decoded strings: never longer than their source, so len+1 bytes do
    size_t total;
    const char *error;
} hw__parser;

static inline int hw__fail(hw__parser *P, const char *message) {
    if (!P->error) P->error = message;
    return -1;
}

static inline void hw__ws(hw__parser *P) {
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r')) P->p++;
}

HW__OUTLINE int64_t hw__node(hw__parser *P, hw_json_kind kind) {
    if (P->n == P->cap) {
        uint32_t cap = P->cap ? P->cap * 2 : 16;
        struct hw_json_node *grown = (struct hw_json_node *)malloc(cap * sizeof *grown); // see hw__reserve
        if (!grown) return hw__fail(P, "out of memory");
        if (P->n) memcpy(grown, P->nodes, P->n * sizeof *grown);
        free(P->nodes);
        P->nodes = grown, P->cap = cap;
    }
    struct hw_json_node *node = &P->nodes[P->n];
    *node = hw__json_none;
    node->kind = (uint8_t)kind;
    node->src = (const char *)P->p;
    return P->n++;
}

HW__OUTLINE int hw__hex4(const unsigned char *p, const unsigned char *end, uint32_t *out) {
    uint32_t v = 0;
    if (end - p < 4) return 0;
#pragma clang loop unroll(disable)
    for (int i = 0; i < 4; i++) {
        unsigned d = p[i] - '0', x = (p[i] | 0x20) - 'a'; // 0x20: A-F → a-f
        if (d > 9 && (d = x + 10, x > 5)) return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

// A string at P->p (on the opening quote); decoded into P->strings.
static inline int hw__string(hw__parser *P, const char **out, uint32_t *out_len) {
    if (!P->strings && !(P->strings = P->str_end = (char *)malloc(P->total + 1))) return hw__fail(P, "out of memory");
    char *o = P->str_end;
    *out = o;
    P->p++;
    for (;;) {
        if (P->p >= P->end) return hw__fail(P, "unterminated string");
        unsigned c = *P->p;
        if (c == '"') break;
        if (c < 0x20) return hw__fail(P, "control character in a string");
        if (c != '\\') {
            size_t n = hw__utf8_seq(P->p, (size_t)(P->end - P->p));
            if (!n) return hw__fail(P, "invalid UTF-8 in a string");
            memcpy(o, P->p, n), o += n, P->p += n;
            continue;
        }
        if (P->end - P->p < 2) return hw__fail(P, "unterminated string");
        c = P->p[1];
        P->p += 2;
        switch (c) {
        case '"': case '\\': case '/': *o++ = (char)c; continue;
        case 'b': *o++ = '\b'; continue;
        case 'f': *o++ = '\f'; continue;
        case 'n': *o++ = '\n'; continue;
        case 'r': *o++ = '\r'; continue;
        case 't': *o++ = '\t'; continue;
        }
        uint32_t cp, low;
        if (c != 'u' || !hw__hex4(P->p, P->end, &cp)) return hw__fail(P, "invalid escape in a string");
        P->p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && P->end - P->p >= 6 && P->p[0] == '\\' && P->p[1] == 'u' &&
            hw__hex4(P->p + 2, P->end, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            P->p += 6;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD; // a lone surrogate has no UTF-8 form
        }
        o = hw__utf8_put(o, cp);
    }
    P->p++;
    *out_len = (uint32_t)(o - *out);
    *o++ = '\0';
    P->str_end = o;
    return 0;
}

static inline int hw__digits(hw__parser *P) {
    const unsigned char *start = P->p;
    while (P->p < P->end && *P->p >= '0' && *P->p <= '9') P->p++;
    return P->p > start;
}

static inline int hw__number(hw__parser *P, struct hw_json_node *node) {
    if (P->p < P->end && *P->p == '-') P->p++;
    const unsigned char *first = P->p;
    if (!hw__digits(P)) return hw__fail(P, "invalid number");
#ifdef HOTWASM_JSON_LEADING_ZEROS // accept 007 (not JSON) as 7, for old guests that did
    (void)first;
#else
    if (*first == '0' && P->p - first > 1) return hw__fail(P, "invalid number (leading zero)");
#endif
    node->is_int = 1;
    if (P->p < P->end && *P->p == '.') {
        P->p++, node->is_int = 0;
        if (!hw__digits(P)) return hw__fail(P, "invalid number");
    }
    if (P->p < P->end && (*P->p == 'e' || *P->p == 'E')) {
        P->p++, node->is_int = 0;
        if (P->p < P->end && (*P->p == '+' || *P->p == '-')) P->p++;
        if (!hw__digits(P)) return hw__fail(P, "invalid number");
    }
    return 0;
}

static inline int64_t hw__value(hw__parser *P, int depth) {
    hw__ws(P);
    if (P->p >= P->end) return hw__fail(P, "expected a value");
    unsigned c = *P->p;
    if (c == 'n' || c == 't' || c == 'f') {
        const char *word = c == 'n' ? "null" : c == 't' ? "true" : "false";
        size_t n = c == 'f' ? 5 : 4;
        if ((size_t)(P->end - P->p) < n || memcmp(P->p, word, n) != 0) return hw__fail(P, "expected a value");
        int64_t at = hw__node(P, c == 'n' ? HW_JSON_NULL : HW_JSON_BOOL);
        if (at < 0) return -1;
        P->nodes[at].truth = c == 't';
        P->nodes[at].src_len = (uint32_t)n;
        P->p += n;
        return at;
    }
    if (c != '"' && c != '[' && c != '{' && c != '-' && !(c >= '0' && c <= '9')) return hw__fail(P, "expected a value");
    int64_t at = hw__node(P, c == '"' ? HW_JSON_STRING : c == '[' ? HW_JSON_ARRAY : c == '{' ? HW_JSON_OBJECT : HW_JSON_NUMBER);
    if (at < 0) return -1;
    if (c == '"') {
        const char *s;
        uint32_t n;
        if (hw__string(P, &s, &n) < 0) return -1;
        P->nodes[at].str = s, P->nodes[at].str_len = n;
    } else if (c == '[' || c == '{') {
        if (depth >= HOTWASM_JSON_MAX_DEPTH) return hw__fail(P, "nested too deeply");
        unsigned close = c == '[' ? ']' : '}';
        int64_t prev = -1;
        uint32_t count = 0;
        P->p++;
        hw__ws(P);
        if (P->p < P->end && *P->p == close) {
            P->p++;
        } else {
            for (;;) {
                const char *key = NULL;
                uint32_t key_len = 0;
                if (c == '{') {
                    hw__ws(P);
                    if (P->p >= P->end || *P->p != '"') return hw__fail(P, "expected a key string");
                    if (hw__string(P, &key, &key_len) < 0) return -1;
                    hw__ws(P);
                    if (P->p >= P->end || *P->p != ':') return hw__fail(P, "expected ':'");
                    P->p++;
                }
                int64_t child = hw__value(P, depth + 1);
                if (child < 0) return -1;
                P->nodes[child].key = key, P->nodes[child].key_len = key_len;
                if (prev >= 0) P->nodes[prev].next = (uint32_t)(child - prev);
                prev = child, count++;
                hw__ws(P);
                if (P->p < P->end && *P->p == ',') {
                    P->p++;
                    continue;
                }
                if (P->p < P->end && *P->p == close) {
                    P->p++;
                    break;
                }
                return hw__fail(P, c == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
            }
        }
        P->nodes[at].count = count;
    } else if (hw__number(P, &P->nodes[at]) < 0) {
        return -1;
    }
    P->nodes[at].src_len = (uint32_t)((const char *)P->p - P->nodes[at].src);
    if (c != '"') P->nodes[at].str = P->nodes[at].src, P->nodes[at].str_len = P->nodes[at].src_len; // the lexeme
    return at;
}

// Parse len bytes of JSON text. Never fails to return a value: text that is not valid JSON gives
// a HW_JSON_NONE value whose hw_json_error says why. Either way hw_json_source(root) is the
// whole text, and hw_json_free(doc) must be called once you are done.
static inline hw_json hw_json_parse(hw_json_doc *doc, const void *text, size_t len) {
    hw__parser P = {(const unsigned char *)text, (const unsigned char *)text + len, NULL, 0, 0, NULL, NULL, len, NULL};
    int64_t root = len > UINT32_MAX - 1 ? hw__fail(&P, "too large") : hw__value(&P, 0);
    hw__ws(&P);
    if (root >= 0 && P.p != P.end) root = hw__fail(&P, "unexpected text after the value");
    doc->nodes = P.nodes, doc->strings = P.strings;
    if (root < 0 && (root = hw__node(&P, HW_JSON_NONE)) >= 0) {
        doc->nodes = P.nodes;
        P.nodes[root].str = P.error;
        P.nodes[root].str_len = (uint32_t)strlen(P.error);
    }
    if (root < 0) return &hw__json_none; // out of memory for even one node
    struct hw_json_node *r = &P.nodes[root];
    r->src = (const char *)text, r->src_len = (uint32_t)len, r->key = NULL;
    return r;
}

static inline void hw_json_free(hw_json_doc *doc) {
    free(doc->nodes), free(doc->strings);
    doc->nodes = NULL, doc->strings = NULL;
}

// ---------------------------------------------------------------------------------------------
// Reading values. Every getter accepts any value (HW_JSON_NONE included) and says false/NULL/0
// when it is not of the wanted type, so hw_json_get(hw_json_get(v, "a"), "b") is always safe.
// ---------------------------------------------------------------------------------------------
static inline hw_json_kind hw_json_type(hw_json v) { return (hw_json_kind)v->kind; }
static inline bool hw_json_exists(hw_json v) { return v->kind != HW_JSON_NONE; }
static inline bool hw_json_is_null(hw_json v) { return v->kind == HW_JSON_NULL; }

// Why the text was not JSON (for the value hw_json_parse returned), else NULL.
static inline const char *hw_json_error(hw_json v) { return v->kind == HW_JSON_NONE ? v->str : NULL; }

static inline bool hw_json_bool(hw_json v, bool *out) {
    if (v->kind != HW_JSON_BOOL) return false;
    *out = v->truth;
    return true;
}

static inline bool hw__int(hw_json v, int64_t *out, bool wrap) {
    if (v->kind != HW_JSON_NUMBER || !v->is_int) return false;
    const char *p = v->str, *end = v->str + v->str_len;
    bool neg = *p == '-';
    uint64_t mag = 0;
    for (p += neg; p < end; p++) {
        if (!wrap && mag > (UINT64_MAX - 9) / 10) return false;
        mag = mag * 10 + (uint64_t)(*p - '0');
    }
    if (!wrap && mag > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) return false;
    *out = (int64_t)(neg ? 0 - mag : mag);
    return true;
}
// An integer (written without fraction or exponent: 3, not 3.0) in the int64 range.
static inline bool hw_json_int(hw_json v, int64_t *out) { return hw__int(v, out, false); }
// Any integer, taken modulo 2^64 (two's complement), for guests that count with wrapping arithmetic.
static inline bool hw_json_int_wrapping(hw_json v, int64_t *out) { return hw__int(v, out, true); }

// Any number, as the nearest double.
static inline bool hw_json_double(hw_json v, double *out) {
    char small[64], *buf = small;
    if (v->kind != HW_JSON_NUMBER) return false;
    if (v->str_len >= sizeof small && !(buf = (char *)malloc(v->str_len + 1))) return false;
    memcpy(buf, v->str, v->str_len); // strtod needs a terminator the source does not have
    buf[v->str_len] = '\0';
    *out = strtod(buf, NULL);
    if (buf != small) free(buf);
    return true;
}

// A string, decoded, NUL-terminated (it may also contain \u0000: use *len). NULL if not a string.
static inline const char *hw_json_string(hw_json v, size_t *len) {
    if (v->kind != HW_JSON_STRING) return NULL;
    if (len) *len = v->str_len;
    return v->str;
}

// The value's JSON text as it appears in the source; for the parsed argument itself, the whole
// argument exactly as the host sent it (surrounding whitespace included, valid JSON or not).
static inline const char *hw_json_source(hw_json v, size_t *len) {
    if (len) *len = v->src_len;
    return v->src;
}

// Elements of an array, members of an object, 0 for anything else.
static inline size_t hw_json_len(hw_json v) {
    return v->kind == HW_JSON_ARRAY || v->kind == HW_JSON_OBJECT ? v->count : 0;
}

// Iterate an array's elements or an object's member values:
//   for (hw_json e = hw_json_first(arr); hw_json_exists(e); e = hw_json_next(e)) ...
static inline hw_json hw_json_first(hw_json v) { return hw_json_len(v) ? v + 1 : &hw__json_none; }
static inline hw_json hw_json_next(hw_json v) { return v->next ? v + v->next : &hw__json_none; }

// The key of an object member (a value from hw_json_first/next/get on an object), else NULL.
static inline const char *hw_json_key(hw_json v, size_t *len) {
    if (len) *len = v->key_len;
    return v->key;
}

// The i-th element of an array or member value of an object (walks i siblings).
static inline hw_json hw_json_at(hw_json v, size_t i) {
    if (i >= hw_json_len(v)) return &hw__json_none;
    hw_json e = v + 1;
    while (i--) e += e->next;
    return e;
}

// An object's member by key (the last one if a key repeats, as in JavaScript).
static inline hw_json hw_json_get(hw_json v, const char *key) {
    size_t n = strlen(key);
    hw_json found = &hw__json_none;
    if (v->kind != HW_JSON_OBJECT) return found;
    for (hw_json e = hw_json_first(v); hw_json_exists(e); e = hw_json_next(e))
        if (e->key_len == n && memcmp(e->key, key, n) == 0) found = e;
    return found;
}

#include "hotwasm_write.h"

#endif // HOTWASM_JSON_H
