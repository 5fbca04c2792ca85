// __NAME__ — a hotwasm guest in C, on the kit in hotwasm-kit/ (hotwasm.h lists the macros and
// options; hotwasm_json.h and hotwasm_write.h the functions that read arguments and write results).
// `npx hotwasm dev .` rebuilds it on every save and hot-swaps it with its state kept.
#include "hotwasm.h"

// Your guest's API version. Bump the major version when a change would break callers: the host
// then loads the new build fresh instead of hot-swapping it.
HOTWASM_API_VERSION("0.1.0");

// The state survives hot swaps: save_state/restore_state are generated for it, as a version
// byte then the struct's bytes (packed, so no padding: 1 + 8 + 4 = 13 bytes, little-endian).
// Bump the version (the 1) whenever you change the struct: the hot swap is then refused (the
// running version keeps serving; the playground offers to load the new one fresh) instead of
// the old bytes being misread.
struct __attribute__((packed)) state {
    int64_t total;   // the sum of every add
    int32_t greeted; // how many greet calls so far
};
HOTWASM_STATE(struct state, state, 1);

// add 5 → the running total.
static void add(hw_json arg, hw_writer *out) {
    int64_t n;
    if (!hw_json_int(arg, &n)) {
        hw_write_error(out, "add takes an integer");
        return;
    }
    state.total += n;
    hw_write_int(out, state.total);
}
HOTWASM_JSON_EXPORT(add);

// greet "Ada" → {"hello":"Ada","greeted":1}
static void greet(hw_json arg, hw_writer *out) {
    size_t len;
    const char *name = hw_json_string(arg, &len);
    if (!name) {
        hw_write_error(out, "greet takes a string");
        return;
    }
    state.greeted++;
    hw_write_object_begin(out);
    hw_write_key(out, "hello"), hw_write_stringn(out, name, len);
    hw_write_key(out, "greeted"), hw_write_int(out, state.greeted);
    hw_write_object_end(out);
}
HOTWASM_JSON_EXPORT(greet);
