/* pk_utf8_decode and pk_utf8_bad_len: every length at its bounds, and every way to be
 * malformed.  Inputs are copied into buffers of exactly their length, so
 * a read past len trips the address sanitizer. */
#include <stdlib.h>

#include "pk_test.h"

/* Decodes s[0..len) from a heap copy of exactly len bytes. */
static size_t decode(const char *s, size_t len, uint32_t *cp)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, s, len);
    size_t n = pk_utf8_decode(copy, len, cp);
    free(copy);
    return n;
}

static void expect_char(const char *s, size_t len, size_t want_len,
                        uint32_t want_cp)
{
    uint32_t cp = 0xDEADBEEF;
    size_t n = decode(s, len, &cp);
    if (n != want_len || cp != want_cp)
        fail_msg("byte 0x%02X, %zu bytes: expected length %zu U+%04X, got "
                 "length %zu U+%04X", (unsigned char)s[0], len, want_len,
                 (unsigned)want_cp, n, (unsigned)cp);
    /* The same without a code point to store. */
    assert_int_equal(decode(s, len, NULL), want_len);
}

static void expect_bad(const char *what, const char *s, size_t len)
{
    uint32_t cp = 0xDEADBEEF;
    size_t n = decode(s, len, &cp);
    if (n != 0)
        fail_msg("%s: accepted as %zu bytes", what, n);
    if (cp != 0xDEADBEEF)
        fail_msg("%s: stored a code point though malformed", what);
    assert_int_equal(decode(s, len, NULL), 0);
}

static void test_well_formed(void **state)
{
    (void)state;
    expect_char("\0", 1, 1, 0x00);
    expect_char("A", 1, 1, 0x41);
    expect_char("\x7F", 1, 1, 0x7F);
    expect_char("\xC2\x80", 2, 2, 0x80);
    expect_char("\xC3\xA9", 2, 2, 0xE9);
    expect_char("\xDF\xBF", 2, 2, 0x7FF);
    expect_char("\xE0\xA0\x80", 3, 3, 0x800);
    expect_char("\xE2\x80\x9C", 3, 3, 0x201C);
    expect_char("\xED\x9F\xBF", 3, 3, 0xD7FF);  /* just below surrogates */
    expect_char("\xEE\x80\x80", 3, 3, 0xE000);  /* just above them */
    expect_char("\xEF\xBF\xBE", 3, 3, 0xFFFE);  /* a noncharacter is UTF-8 */
    expect_char("\xEF\xBF\xBF", 3, 3, 0xFFFF);
    expect_char("\xF0\x90\x80\x80", 4, 4, 0x10000);
    expect_char("\xF0\x9F\x98\x80", 4, 4, 0x1F600);
    expect_char("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF);
    /* Only the first character counts; what follows is not looked at. */
    expect_char("a\xFF", 2, 1, 0x61);
    expect_char("\xC3\xA9\x80", 3, 2, 0xE9);
    expect_char("\xE2\x82\xAC" "\xE2", 4, 3, 0x20AC);
}

static void test_empty(void **state)
{
    (void)state;
    uint32_t cp = 7;
    assert_int_equal(pk_utf8_decode(NULL, 0, &cp), 0);
    assert_int_equal(pk_utf8_decode("abc", 0, &cp), 0);
    assert_int_equal(cp, 7);
}

static void test_stray_continuation(void **state)
{
    (void)state;
    expect_bad("0x80", "\x80", 1);
    expect_bad("0xBF", "\xBF", 1);
    expect_bad("0x80 then ASCII", "\x80" "a", 2);
    expect_bad("continuation after a complete character", "\xA9", 1);
}

static void test_bad_lead(void **state)
{
    (void)state;
    /* C0 and C1 could only start overlong forms; F5-FF start nothing. */
    static const char leads[] = "\xC0\xC1\xF5\xF6\xF7\xF8\xFB\xFC\xFD\xFE\xFF";
    for (size_t i = 0; i < sizeof leads - 1; i++) {
        char s[4] = {leads[i], '\x80', '\x80', '\x80'};
        char what[32];
        snprintf(what, sizeof what, "lead 0x%02X", (unsigned char)leads[i]);
        expect_bad(what, s, 4);
    }
}

static void test_truncated(void **state)
{
    (void)state;
    /* cut short by len */
    expect_bad("2 bytes, 1 given", "\xC3\xA9", 1);
    expect_bad("3 bytes, 1 given", "\xE2\x82\xAC", 1);
    expect_bad("3 bytes, 2 given", "\xE2\x82\xAC", 2);
    expect_bad("4 bytes, 1 given", "\xF0\x9F\x98\x80", 1);
    expect_bad("4 bytes, 2 given", "\xF0\x9F\x98\x80", 2);
    expect_bad("4 bytes, 3 given", "\xF0\x9F\x98\x80", 3);
    /* cut short by a byte that is not a continuation */
    expect_bad("2 bytes, ASCII second", "\xC3" "a", 2);
    expect_bad("3 bytes, ASCII third", "\xE2\x82" "a", 3);
    expect_bad("3 bytes, new lead third", "\xE2\x82\xE2", 3);
    expect_bad("4 bytes, ASCII fourth", "\xF0\x9F\x98" "a", 4);
    expect_bad("4 bytes, NUL second", "\xF0\x00\x98\x80", 4);
    expect_bad("2 bytes, 0xC0 second", "\xC3\xC0", 2);
}

static void test_overlong(void **state)
{
    (void)state;
    expect_bad("NUL in 2 bytes", "\xC0\x80", 2);
    expect_bad("'/' in 2 bytes", "\xC0\xAF", 2);
    expect_bad("U+007F in 2 bytes", "\xC1\xBF", 2);
    expect_bad("NUL in 3 bytes", "\xE0\x80\x80", 3);
    expect_bad("U+07FF in 3 bytes", "\xE0\x9F\xBF", 3);
    expect_bad("NUL in 4 bytes", "\xF0\x80\x80\x80", 4);
    expect_bad("U+FFFF in 4 bytes", "\xF0\x8F\xBF\xBF", 4);
}

static void test_surrogates(void **state)
{
    (void)state;
    expect_bad("U+D800", "\xED\xA0\x80", 3);
    expect_bad("U+DBFF", "\xED\xAF\xBF", 3);
    expect_bad("U+DC00", "\xED\xB0\x80", 3);
    expect_bad("U+DFFF", "\xED\xBF\xBF", 3);
    /* a CESU-8 pair: two surrogates, neither a character */
    expect_bad("CESU-8 U+1F600", "\xED\xA0\xBD\xED\xB8\x80", 6);
}

static void test_beyond_unicode(void **state)
{
    (void)state;
    expect_bad("U+110000", "\xF4\x90\x80\x80", 4);
    expect_bad("U+13FFFF", "\xF4\xBF\xBF\xBF", 4);
    expect_bad("U+1FFFFF", "\xF7\xBF\xBF\xBF", 4);
    expect_bad("5-byte form", "\xF8\x88\x80\x80\x80", 5);
    expect_bad("6-byte form", "\xFC\x84\x80\x80\x80\x80", 6);
}

/* Every two-byte input: decoded exactly when Unicode's table 3-7 says it
 * is one well-formed character (or an ASCII byte and anything). */
static void test_exhaustive_pairs(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            char s[2] = {(char)a, (char)b};
            size_t want = a < 0x80                                    ? 1
                          : a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80 ? 2
                                                                        : 0;
            uint32_t cp;
            size_t n = pk_utf8_decode(s, 2, &cp);
            if (n != want)
                fail_msg("%02X %02X: expected %zu, got %zu", a, b, want, n);
            if (n == 2)
                assert_int_equal(cp, ((a & 0x1Fu) << 6) | (b & 0x3Fu));
        }
    }
}

/* Replaces each maximal subpart with '?' (the way a reader puts U+FFFD)
 * and returns the result, so whole sequences can be compared. */
static void replace(const char *s, size_t len, char *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = pk_utf8_decode(s + i, len - i, NULL);
        if (n > 0) {
            assert_int_equal(pk_utf8_bad_len(s + i, len - i), n);
            memcpy(out + o, s + i, n);
            o += n, i += n;
        } else {
            n = pk_utf8_bad_len(s + i, len - i);
            assert_true(n >= 1 && n <= 3 && n <= len - i);
            out[o++] = '?';
            i += n;
        }
    }
    out[o] = '\0';
}

/* pk_utf8_bad_len: Unicode 15 section 3.9's own examples (tables 3-8 to
 * 3-11) and the edges of each lead byte's second-byte range. */
static void test_maximal_subparts(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* Table 3-8: truncated sequences and a stray continuation. */
        {"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
         "a???b?c??d"},
        /* Table 3-9: C0 AF, E0 80 AF, F4 90 80 80 are each all bad. */
        {"\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", "????????A"},
        /* Table 3-10: surrogates and beyond U+10FFFF. */
        {"\xED\xA0\x80\xED\xBF\xBF\xED\xAF\x41", "????????A"},
        {"\xF4\x91\x92\x93\xFF\x41\x80\xBF\x42", "?????A??B"},
        /* Table 3-11: the well-formed prefixes of truncated sequences. */
        {"\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", "????A"},
        /* Edges of the second byte: E0 A0, ED 9F, F0 90, F4 8F are fine. */
        {"\xE0\xA0", "?"},
        {"\xED\x9F", "?"},
        {"\xF0\x90\x80", "?"},
        {"\xF4\x8F\xBF", "?"},
        {"\xE0\x9F", "??"},
        {"\xF4\x90", "??"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        replace(cases[i].in, strlen(cases[i].in), out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu: expected %s, got %s", i, cases[i].out, out);
    }
    assert_int_equal(pk_utf8_bad_len("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_stray_continuation),
        cmocka_unit_test(test_bad_lead),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_beyond_unicode),
        cmocka_unit_test(test_exhaustive_pairs),
        cmocka_unit_test(test_maximal_subparts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
