// counter.c — the hotwasm "counter" guest in C, on the C kit (kits/c/lib/hotwasm.h).
// Build: npm run examples counter-c (clang --target=wasm32-wasi -mexec-model=reactor -O2).

// The hand-written counter read `007` as 7 (not JSON); every counter still answers so.
#define HOTWASM_JSON_LEADING_ZEROS
#include "../../kits/c/lib/hotwasm.h"

HOTWASM_API_VERSION("1.0.0");

static int64_t count = 0;

// null → +1, an integer → +n; the count wraps like an i64 (an integer past the i64 range too).
static void increment(hw_json arg, hw_writer *out) {
    int64_t amount = 1;
    if (!hw_json_is_null(arg) && !hw_json_int_wrapping(arg, &amount))
        hw_write_error(out, "increment takes null or an integer");
    else
        hw_write_int(out, count = (int64_t)((uint64_t)count + (uint64_t)amount));
}
HOTWASM_JSON_EXPORT(increment);

static void get(hw_json arg, hw_writer *out) { (void)arg, hw_write_int(out, count); }
HOTWASM_JSON_EXPORT(get);

// {"input":<arg>,"bytes":<n>}: the argument byte for byte; n counts its UTF-8 bytes.
static void process(hw_json arg, hw_writer *out) {
    size_t len;
    const char *text = hw_json_source(arg, &len);
    hw_printf("processed %zu bytes\n", len);
    hw_write_object_begin(out);
    hw_write_key(out, "input"), hw_write_raw(out, text, len);
    hw_write_key(out, "bytes"), hw_write_int(out, (int64_t)len);
    hw_write_object_end(out);
}
HOTWASM_JSON_EXPORT(process);

// The state every counter exchanges: the count as 8 little-endian bytes (wasm is little-endian),
// no version byte; anything but 8 bytes is refused.
static void save(hw_writer *out) { hw_write_bytes(out, &count, sizeof count); }
static int restore(const uint8_t *bytes, size_t len) {
    if (len != sizeof count) return 1;
    memcpy(&count, bytes, sizeof count);
    return 0;
}
HOTWASM_STATE_CODEC(save, restore);
