// counter.c — the hotwasm "counter" guest in C, guest ABI v1.
//
// Build (see README.md; scripts/build-examples.mjs runs exactly this):
//   clang --target=wasm32-wasi -mexec-model=reactor -O2 -Wl,--strip-debug \
//         -o public/examples/counter-c.wasm examples/counter-c/counter.c
//
// -mexec-model=reactor links wasi-libc's reactor entry point: the module exports
// `_initialize` (runs static constructors once) instead of `_start`.
//
// Every JSON call has the wasm type (i32 ptr, i32 len) -> i64: the UTF-8 JSON argument is
// at ptr, and the result is returned packed — pointer in the high 32 bits, length in the
// low. Results come from malloc; the host frees them (and the argument) through `dealloc`.

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT(name) __attribute__((export_name(name)))

// The `api_version` custom section: UTF-8 semver, no terminator.
__asm__(".section .custom_section.api_version,\"\",@\n"
        ".ascii \"1.0.0\"\n"
        ".text\n");

// The state: a signed 64-bit count.
static int64_t count = 0;

static const char ERROR_JSON[] = "{\"error\":\"increment takes null or an integer\"}";

// ---------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------

EXPORT("alloc") void *guest_alloc(size_t len) {
    return malloc(len ? len : 1);
}

EXPORT("dealloc") void guest_dealloc(void *ptr, size_t len) {
    (void)len;
    free(ptr);
}

static uint64_t pack(const void *ptr, size_t len) {
    return ((uint64_t)(uintptr_t)ptr << 32) | (uint32_t)len;
}

// Copy len bytes into a fresh malloc block and return it packed.
static uint64_t return_bytes(const void *src, size_t len) {
    void *out = guest_alloc(len);
    if (!out) abort();
    memcpy(out, src, len);
    return pack(out, len);
}

// Format n as decimal at the END of buf (digits go backwards); returns the start.
// Hand-written instead of snprintf, which would pull all of printf into the module.
static char *format_i64(int64_t n, char *buf_end) {
    char *p = buf_end;
    uint64_t mag = n < 0 ? 0 - (uint64_t)n : (uint64_t)n; // also right for INT64_MIN
    do {
        *--p = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (n < 0) *--p = '-';
    return p;
}

static uint64_t return_i64(int64_t n) {
    char buf[24];
    char *start = format_i64(n, buf + sizeof buf);
    return return_bytes(start, (size_t)(buf + sizeof buf - start));
}

// ---------------------------------------------------------------------------
// Parsing the increment argument: whitespace, then `null` or `-?[0-9]+`, then whitespace.
// ---------------------------------------------------------------------------

static const uint8_t *skip_space(const uint8_t *p, const uint8_t *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

// Returns 1 and sets *amount (null → 1) on success, 0 if the argument is invalid.
static int parse_amount(const uint8_t *ptr, size_t len, int64_t *amount) {
    const uint8_t *end = ptr + len;
    const uint8_t *p = skip_space(ptr, end);

    if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
        *amount = 1;
        return skip_space(p + 4, end) == end;
    }

    int negative = 0;
    if (p < end && *p == '-') {
        negative = 1;
        p++;
    }
    const uint8_t *digits = p;
    uint64_t n = 0; // unsigned: wraps on overflow instead of undefined behaviour
    while (p < end && *p >= '0' && *p <= '9') {
        n = n * 10 + (uint64_t)(*p - '0');
        p++;
    }
    if (p == digits) return 0;
    *amount = (int64_t)(negative ? 0 - n : n);
    return skip_space(p, end) == end;
}

// ---------------------------------------------------------------------------
// JSON calls
// ---------------------------------------------------------------------------

EXPORT("increment") uint64_t increment(const uint8_t *ptr, size_t len) {
    int64_t amount;
    if (!parse_amount(ptr, len, &amount)) return return_bytes(ERROR_JSON, sizeof ERROR_JSON - 1);
    count = (int64_t)((uint64_t)count + (uint64_t)amount);
    return return_i64(count);
}

EXPORT("get") uint64_t get(const uint8_t *ptr, size_t len) {
    (void)ptr;
    (void)len;
    return return_i64(count);
}

// {"input":<arg>,"bytes":<n>} — the argument is copied byte for byte, n counts bytes.
EXPORT("process") uint64_t process(const uint8_t *ptr, size_t len) {
    char num_buf[24];
    char *num = format_i64((int64_t)len, num_buf + sizeof num_buf);
    size_t num_len = (size_t)(num_buf + sizeof num_buf - num);

    // "processed <n> bytes\n" on stdout. write(2) goes straight to WASI fd_write: stdio's
    // printf would buffer it, and nothing flushes stdio in a reactor.
    char line[48];
    size_t line_len = 0;
    memcpy(line, "processed ", 10), line_len += 10;
    memcpy(line + line_len, num, num_len), line_len += num_len;
    memcpy(line + line_len, " bytes\n", 7), line_len += 7;
    write(1, line, line_len);

    static const char head[] = "{\"input\":";
    static const char middle[] = ",\"bytes\":";
    size_t total = (sizeof head - 1) + len + (sizeof middle - 1) + num_len + 1;
    char *out = guest_alloc(total);
    if (!out) abort();
    char *p = out;
    memcpy(p, head, sizeof head - 1), p += sizeof head - 1;
    memcpy(p, ptr, len), p += len; // the argument, byte for byte
    memcpy(p, middle, sizeof middle - 1), p += sizeof middle - 1;
    memcpy(p, num, num_len), p += num_len;
    *p = '}';
    return pack(out, total);
}

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

// 8 bytes: the count as a little-endian i64 (wasm is little-endian, so memcpy is enough).
EXPORT("save_state") uint64_t save_state(void) {
    return return_bytes(&count, sizeof count);
}

// Accept exactly 8 bytes (0); refuse anything else (1) and keep the count.
EXPORT("restore_state") int restore_state(const uint8_t *ptr, size_t len) {
    if (len != sizeof count) return 1;
    memcpy(&count, ptr, sizeof count);
    return 0;
}

EXPORT("health_check") uint64_t health_check(void) {
    return return_bytes("ok", 2);
}
