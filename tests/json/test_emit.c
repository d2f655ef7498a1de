/*
 * test_emit.c - the json writer's emitter (plugins/json/emit.c) writes the
 * bytes jansson's own dump writes, on hand-picked values and on many
 * random ones: strings of random bytes (invalid UTF-8, control
 * characters, quotes, NUL), extreme integers, reals, and nesting, in the
 * writer's two layouts and inside its array.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "emit.h"
#include "pk_test.h"

#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
#define PRETTY_FLAGS (DUMP_FLAGS | JSON_INDENT(2))
#define COMPACT_FLAGS (DUMP_FLAGS | JSON_COMPACT)

/* splitmix64: the same values on every run. */
static uint64_t rng_state;

static uint64_t next(void)
{
    return pk_test_random(&rng_state);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

/* A string of random pieces: ASCII, escapes, UTF-8 of every length, and
 * bytes that are not UTF-8. */
static size_t random_bytes(char *buf, size_t cap)
{
    static const char *const pieces[] = {
        "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
        "\x01", "\x1f", "\x7f", "\0", "\xC3\xA9", "\xC4\x81", "\xE2\x80\x9C",
        "\xC2\xA0", "\xE2\x80\x91", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD",
        "\xff", "\xfe", "\x80", "\xC3", "\xE2\x80", "\xED\xA0\x80",
        "\xC0\xAF", "\xF4\x90\x80\x80", "\xF0\x9F\x98", "\xE0\x80\xAF",
        "hello world", "\\u0000",
    };
    static const size_t lens[] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 2, 3, 4, 3,
        1, 1, 1, 1, 2, 3, 2, 4, 3, 3, 11, 6,
    };
    size_t n = 0, count = below(below(2) ? 12 : 60);
    for (size_t i = 0; i < count; i++) {
        size_t k = below(sizeof lens / sizeof lens[0]);
        if (n + lens[k] > cap)
            break;
        memcpy(buf + n, pieces[k], lens[k]);
        n += lens[k];
    }
    return n;
}

/* jansson needs valid UTF-8: the emitter fixes strings itself. */
static json_t *jansson_string(const char *s, size_t len)
{
    char fixed[2048];
    size_t n = pkj_utf8_fix(s, len, NULL);
    assert_true(n <= sizeof fixed);
    pkj_utf8_fix(s, len, fixed);
    json_t *j = json_stringn(fixed, n);
    assert_non_null(j);
    return j;
}

static double random_real(void)
{
    static const double reals[] = {
        0.0, -0.0, 0.1, 1.0, -1.5, 2.0, 1e15, 1e16, 1e17, 1e21, 1e-4,
        1e-5, 1e-7, 123456.789, 1e300, -1e-300, DBL_MAX, DBL_MIN,
        DBL_EPSILON, 3.141592653589793, 1.0 / 3.0, 100.0, 4.35, 0.000123,
    };
    if (below(2))
        return reals[below(sizeof reals / sizeof reals[0])];
    /* Any finite double from random bits. */
    for (;;) {
        uint64_t bits = next();
        double d;
        memcpy(&d, &bits, sizeof d);
        if (isfinite(d))
            return d;
    }
}

static int64_t random_integer(void)
{
    static const int64_t ints[] = {0, 1, -1, 9, 10, -10, 42, INT64_MAX,
                                   INT64_MIN, INT64_MIN + 1, 1000000};
    return below(2) ? ints[below(sizeof ints / sizeof ints[0])]
                    : (int64_t)next() >> below(64);
}

/* Writes a random value into o and returns the same as a jansson tree. */
static json_t *random_value(pkj_out *o, int depth)
{
    unsigned kind = below(depth > 4 ? 5 : 8);
    char buf[512];
    size_t n;
    json_t *j;

    switch (kind) {
    case 0:
        pkj_null(o);
        return json_null();
    case 1: {
        bool b = below(2);
        pkj_bool(o, b);
        return json_boolean(b);
    }
    case 2: {
        int64_t v = random_integer();
        pkj_integer(o, v);
        return json_integer((json_int_t)v);
    }
    case 3: {
        double d = random_real();
        pkj_real(o, d);
        return json_real(d);
    }
    case 4:
        n = random_bytes(buf, sizeof buf);
        pkj_string(o, buf, n);
        return jansson_string(buf, n);
    case 5:
    case 6: {
        size_t count = below(5);
        j = json_array();
        pkj_open(o, '[');
        for (size_t i = 0; i < count; i++) {
            pkj_item(o);
            json_array_append_new(j, random_value(o, depth + 1));
        }
        pkj_close(o, ']');
        return j;
    }
    default: {
        size_t count = below(5);
        j = json_object();
        pkj_open(o, '{');
        for (size_t i = 0; i < count; i++) {
            /* Distinct keys: a numbered prefix, then random bytes. */
            int p = snprintf(buf, sizeof buf, "k%zu", i);
            n = (size_t)p + random_bytes(buf + p, sizeof buf - (size_t)p);
            if (memchr(buf, '\0', n))
                n = (size_t)p; /* jansson refuses NUL in keys */
            pkj_key(o, buf, n);
            json_t *key = jansson_string(buf, n);
            json_object_setn_new(j, json_string_value(key),
                                 json_string_length(key),
                                 random_value(o, depth + 1));
            json_decref(key);
        }
        pkj_close(o, '}');
        return j;
    }
    }
}

/* The writer's array layout: every line of the dump indented by two. */
static char *indent_lines(const char *s)
{
    size_t n = strlen(s), lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    char *out = malloc(n + 2 * lines + 1), *p = out;
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        *p++ = s[i];
        if (s[i] == '\n') {
            *p++ = ' ';
            *p++ = ' ';
        }
    }
    *p = '\0';
    return out;
}

/* Emits random documents three ways and compares with jansson. */
static void check_random(size_t rounds)
{
    pkj_out o = {0};
    for (size_t r = 0; r < rounds; r++) {
        for (int layout = 0; layout < 3; layout++) {
            uint64_t seed = rng_state;
            bool pretty = layout != 1;
            size_t base = layout == 2 ? 1 : 0;
            pkj_out_reset(&o, pretty, base);
            /* The writer's top level is always an object. */
            json_t *top = json_object();
            pkj_open(&o, '{');
            size_t members = below(4);
            for (size_t i = 0; i < members; i++) {
                char key[32];
                snprintf(key, sizeof key, "m%zu", i);
                pkj_key_plain(&o, key, strlen(key));
                json_object_set_new(top, key, random_value(&o, 1));
            }
            pkj_close(&o, '}');
            assert_false(pkj_out_failed(&o));
            char *want = json_dumps(top, pretty ? PRETTY_FLAGS : COMPACT_FLAGS);
            assert_non_null(want);
            if (base) {
                char *nested = indent_lines(want);
                free(want);
                want = nested;
            }
            size_t len = strlen(want);
            if (o.len != len || memcmp(o.data, want, len) != 0)
                fail_msg("round %zu, layout %d (seed %llu):\nwant %s\ngot  %.*s",
                         r, layout, (unsigned long long)seed, want,
                         (int)o.len, o.data);
            free(want);
            json_decref(top);
            /* The next layout takes the same values again. */
            if (layout < 2)
                rng_state = seed;
        }
    }
    pkj_out_free(&o);
}

static void test_random(void **state)
{
    (void)state;
    rng_state = 20240601;
    check_random(20000);
}

static void test_fixed(void **state)
{
    (void)state;
    pkj_out o = {0};
    pkj_out_reset(&o, true, 0);
    pkj_open(&o, '{');
    pkj_key(&o, "empty", 5);
    pkj_open(&o, '[');
    pkj_close(&o, ']');
    pkj_key(&o, "obj", 3);
    pkj_open(&o, '{');
    pkj_close(&o, '}');
    pkj_key(&o, "s", 1);
    pkj_string(&o, "a\"b\\c\x01\x7f\xff\xC3\xA9/\0", 12);
    pkj_key(&o, "n", 1);
    pkj_integer(&o, INT64_MIN);
    pkj_close(&o, '}');
    const char want[] = "{\n  \"empty\": [],\n  \"obj\": {},\n"
                        "  \"s\": \"a\\\"b\\\\c\\u0001\x7f\xEF\xBF\xBD\xC3\xA9/\\u0000\",\n"
                        "  \"n\": -9223372036854775808\n}";
    assert_int_equal(o.len, sizeof want - 1);
    assert_memory_equal(o.data, want, o.len);
    pkj_out_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
