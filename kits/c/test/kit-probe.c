// kit-probe.c — a guest that exercises every part of the C kit, for kits/c/kit.test.ts (not a
// template: built straight from kits/c/lib).
#define HOTWASM_HEALTH_CHECK probe_health
#include "../lib/hotwasm.h"

HOTWASM_API_VERSION("2.3.4");

struct probe_state {
    int32_t a;
    int64_t b;
};
HOTWASM_STATE(struct probe_state, state, 7) = {.a = 1, .b = -2};

static bool unhealthy;
static const char *probe_health(void) { return unhealthy ? "probe is unhealthy" : "ok"; }

// Writes back any value through the kit's getters and writer; a non-JSON argument answers
// {"error": <why>}.
static void write_value(hw_writer *out, hw_json v) {
    int64_t i;
    double d;
    bool b;
    size_t n;
    const char *s;
    switch (hw_json_type(v)) {
    case HW_JSON_NONE: hw_write_error(out, hw_json_error(v)); break;
    case HW_JSON_NULL: hw_write_null(out); break;
    case HW_JSON_BOOL: hw_json_bool(v, &b), hw_write_bool(out, b); break;
    case HW_JSON_NUMBER:
        if (hw_json_int(v, &i)) hw_write_int(out, i);
        else hw_json_double(v, &d), hw_write_double(out, d);
        break;
    case HW_JSON_STRING: s = hw_json_string(v, &n), hw_write_stringn(out, s, n); break;
    case HW_JSON_ARRAY:
        hw_write_array_begin(out);
        for (hw_json e = hw_json_first(v); hw_json_exists(e); e = hw_json_next(e)) write_value(out, e);
        hw_write_array_end(out);
        break;
    case HW_JSON_OBJECT:
        hw_write_object_begin(out);
        for (hw_json e = hw_json_first(v); hw_json_exists(e); e = hw_json_next(e)) {
            s = hw_json_key(e, &n);
            hw_write_keyn(out, s, n);
            write_value(out, e);
        }
        hw_write_object_end(out);
        break;
    }
}
static void echo(hw_json arg, hw_writer *out) { write_value(out, arg); }
HOTWASM_JSON_EXPORT(echo);

// {"int":…,"wrapping":…,"double":…,"len":…,"at1":…,"get_x":…,"string_len":…} for one argument.
static void inspect(hw_json arg, hw_writer *out) {
    int64_t i;
    double d;
    size_t n = 0;
    hw_write_object_begin(out);
    hw_write_key(out, "int");
    hw_json_int(arg, &i) ? hw_write_int(out, i) : hw_write_null(out);
    hw_write_key(out, "wrapping");
    hw_json_int_wrapping(arg, &i) ? hw_write_int(out, i) : hw_write_null(out);
    hw_write_key(out, "double");
    hw_json_double(arg, &d) ? hw_write_double(out, d) : hw_write_null(out);
    hw_write_key(out, "len"), hw_write_int(out, (int64_t)hw_json_len(arg));
    hw_write_key(out, "at1"), write_value(out, hw_json_at(arg, 1));
    hw_write_key(out, "get_x"), write_value(out, hw_json_get(arg, "x"));
    hw_write_key(out, "deep"), write_value(out, hw_json_get(hw_json_get(hw_json_at(arg, 0), "a"), "b"));
    hw_write_key(out, "string_len");
    hw_json_string(arg, &n) ? hw_write_int(out, (int64_t)n) : hw_write_null(out);
    hw_write_object_end(out);
}
HOTWASM_JSON_EXPORT(inspect);

// Writer edge cases that an echo cannot reach.
static void writer_cases(hw_json arg, hw_writer *out) {
    (void)arg;
    hw_write_array_begin(out);
    hw_write_string(out, "a\xff\xc0\x80" "b\xe2\x82"); // ill-formed UTF-8 → U+FFFD each
    hw_write_double(out, 0.1);
    hw_write_double(out, 1.0 / 3);
    hw_write_double(out, 1e300 * 1e300); // infinity → null
    hw_write_double(out, -0.0);
    hw_write_int(out, INT64_MIN);
    hw_write_raw(out, "{\"raw\":true}", 12);
    hw_write_array_begin(out), hw_write_array_end(out);
    hw_write_object_begin(out), hw_write_object_end(out);
    hw_write_array_end(out);
}
HOTWASM_JSON_EXPORT(writer_cases);

// Writes nothing: the kit answers null.
static void nothing(hw_json arg, hw_writer *out) { (void)arg, (void)out; }
HOTWASM_JSON_EXPORT_AS(nothing, "nothing-at-all");

static void print(hw_json arg, hw_writer *out) {
    (void)arg;
    hw_printf("%d %i %u %x %s %.*s %c %% %lld %llu %zu %ld|", -42, 7, 4000000000u, 0xbeefu, "str", 3, "abcdef", 'Z',
              (long long)INT64_MIN, (unsigned long long)UINT64_MAX, (size_t)12, -5L);
    hw_eprintf("to stderr %s\n", (const char *)NULL);
    hw_write_null(out);
}
HOTWASM_JSON_EXPORT(print);

static void set_unhealthy(hw_json arg, hw_writer *out) {
    hw_json_bool(arg, &unhealthy);
    hw_write_bool(out, unhealthy);
}
HOTWASM_JSON_EXPORT(set_unhealthy);

static void get_state(hw_json arg, hw_writer *out) {
    (void)arg;
    hw_write_array_begin(out), hw_write_int(out, state.a), hw_write_int(out, state.b), hw_write_array_end(out);
}
HOTWASM_JSON_EXPORT(get_state);
