// __NAME__ — a hotwasm guest in C, on the kit in hotwasm-kit/ (hotwasm.h lists the macros and
// options; hotwasm_json.h and hotwasm_write.h the functions that read arguments and write results).
// `npx hotwasm dev .` rebuilds it on every save and hot-swaps it with its state kept.
#include "hotwasm.h"

HOTWASM_API_VERSION("1.0.0");

// The state survives hot swaps: save_state/restore_state are generated for it, as a version
// byte then these bytes. Bump the version (the 1) whenever you change the struct: the hot swap
// is then refused (the running version keeps serving; the playground offers to load the new one
// fresh) instead of the old bytes being misread.
struct state {
    int64_t total;
    int64_t calls;
};
HOTWASM_STATE(struct state, state, 1);

// add {"n": 5} → the new total; add null adds 1.
static void add(hw_json arg, hw_writer *out) {
    int64_t n = 1;
    if (!hw_json_is_null(arg) && !hw_json_int(hw_json_get(arg, "n"), &n)) {
        hw_write_error(out, "add takes {\"n\": <integer>} or null");
        return;
    }
    state.total += n;
    state.calls++;
    hw_write_int(out, state.total);
}
HOTWASM_JSON_EXPORT(add);

// status "Ada" → {"module":"__NAME__","total":…,"calls":…,"greeting":"hello, Ada"}
static void status(hw_json arg, hw_writer *out) {
    const char *name = hw_json_string(arg, NULL);
    hw_write_object_begin(out);
    hw_write_key(out, "module"), hw_write_string(out, "__NAME__");
    hw_write_key(out, "total"), hw_write_int(out, state.total);
    hw_write_key(out, "calls"), hw_write_int(out, state.calls);
    if (name) {
        hw_writer greeting = {0};
        hw_format(&greeting, "hello, %s", name);
        hw_write_key(out, "greeting"), hw_write_stringn(out, greeting.buf, greeting.len);
        free(greeting.buf);
    }
    hw_write_object_end(out);
}
HOTWASM_JSON_EXPORT(status);
