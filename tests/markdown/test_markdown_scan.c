/*
 * test_markdown_scan.c - the markdown reader's byte-level passes against
 * simple references, on many random inputs: md_input_normalise (input
 * hygiene: BOM, CR and CRLF, NUL, invalid UTF-8, strict and lenient) and
 * md_body_prescan (the limits checked on the text before cmark).  The
 * references are the straightforward byte-at-a-time versions these
 * replaced; output bytes, status, message, line and column must all be
 * the same.
 */
#include "pk_test.h"

#include <stdlib.h>

#include "markdown.h"

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

/* ---- the reference normalisation -------------------------------------- */

static size_t ref_utf8_sequence(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;

    *bad = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < 2 || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (i >= n || p[i] < 0x80 || p[i] > 0xBF) {
            *bad = i;
            return 0;
        }
    }
    return len;
}

/* One character at a time, counting lines and columns as it goes. */
static int ref_normalise(char **out, size_t *out_len, const char *data,
                         size_t len, bool lenient, const char *file,
                         pk_diag *diag)
{
    const unsigned char *in = (const unsigned char *)data;
    char *s = malloc(3 * len + 1);
    size_t i = 0, o = 0;
    unsigned long line = 1, column = 1;

    assert_non_null(s);
    *out = NULL;
    *out_len = 0;
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
        i = 3;
    while (i < len) {
        unsigned char c = in[i];
        size_t n, bad = 1;
        if (c == '\r' || c == '\n') {
            s[o++] = '\n';
            i += (c == '\r' && i + 1 < len && in[i + 1] == '\n') ? 2 : 1;
            line++;
            column = 1;
            continue;
        }
        n = c == 0 ? 0 : ref_utf8_sequence(in + i, len - i, &bad);
        if (n > 0) {
            memcpy(s + o, in + i, n);
            o += n;
            i += n;
            column += n;
            continue;
        }
        if (!lenient) {
            free(s);
            return c == 0 ? pk_diag_set(diag, PK_EPARSE, file, line, column,
                                        "NUL byte")
                          : pk_diag_set(diag, PK_EPARSE, file, line, column,
                                        "invalid UTF-8 at byte column %lu",
                                        column);
        }
        memcpy(s + o, "\xEF\xBF\xBD", 3);
        o += 3;
        n = c == 0 ? 1 : bad;
        i += n;
        column += n;
    }
    s[o] = '\0';
    *out = s;
    *out_len = o;
    return PK_OK;
}

/* ---- the reference prescan -------------------------------------------- */

typedef struct ref_line {
    const char *start, *end;
    unsigned long line;
    const char *last_other[2];
    size_t count[2];
} ref_line;

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static void ref_scan_init(ref_line *sl, const char *start, const char *end)
{
    static const char marks[2] = {'-', '*'};

    sl->start = start;
    sl->end = end;
    for (int k = 0; k < 2; k++) {
        sl->last_other[k] = NULL;
        sl->count[k] = 0;
    }
    for (const char *p = start; p < end; p++) {
        for (int k = 0; k < 2; k++) {
            if (*p == marks[k])
                sl->count[k]++;
            else if (!blank(*p))
                sl->last_other[k] = p;
        }
    }
}

static bool ref_rest_is_rule(const ref_line *sl, const char *p, size_t seen)
{
    int k = *p == '-' ? 0 : 1;

    return (!sl->last_other[k] || sl->last_other[k] < p) &&
           sl->count[k] - seen >= 3;
}

static int ref_scan_depth(const ref_line *sl, size_t max_depth,
                          const char *file, pk_diag *diag)
{
    const char *p = sl->start;
    size_t levels = 0, seen[2] = {0, 0};

    for (;;) {
        const char *marker, *q;
        while (p < sl->end && blank(*p))
            p++;
        if (p == sl->end)
            return PK_OK;
        marker = p;
        if (*p == '>') {
            levels += 1;
            p++;
        } else if (*p == '-' || *p == '*' || *p == '+') {
            if (p + 1 < sl->end && !blank(p[1]))
                return PK_OK;
            if (*p != '+' && ref_rest_is_rule(sl, p, seen[*p == '-' ? 0 : 1]))
                return PK_OK;
            if (*p != '+')
                seen[*p == '-' ? 0 : 1]++;
            levels += 2;
            p++;
        } else if (*p >= '0' && *p <= '9') {
            for (q = p; q < sl->end && q - p < 10 && *q >= '0' && *q <= '9';)
                q++;
            if (q - p > 9 || q == sl->end || (*q != '.' && *q != ')') ||
                (q + 1 < sl->end && !blank(q[1])))
                return PK_OK;
            levels += 2;
            p = q + 1;
        } else {
            return PK_OK;
        }
        if (levels > max_depth)
            return pk_diag_set(diag, PK_ELIMIT, file, sl->line,
                               (unsigned long)(marker - sl->start) + 1,
                               "nesting deeper than %zu levels "
                               "(option markdown.max_depth)", max_depth);
    }
}

static int ref_prescan(const char *body, size_t len, unsigned long first_line,
                       const md_limits *limits, const char *file,
                       pk_diag *diag)
{
    const char *end = body + len, *p = body;
    unsigned long line = first_line;
    size_t images = 0;
    int rc;

    while (p < end) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        const char *eol = lf ? lf : end;
        ref_line sl;
        bool is_blank = true;

        ref_scan_init(&sl, p, eol);
        sl.line = line;
        rc = ref_scan_depth(&sl, limits->max_depth, file, diag);
        if (rc != PK_OK)
            return rc;
        for (const char *q = p; q < eol; q++) {
            if (!blank(*q))
                is_blank = false;
            if (*q == '!' && q + 1 < eol && q[1] == '[' &&
                ++images > limits->max_images)
                return pk_diag_set(diag, PK_ELIMIT, file, line,
                                   (unsigned long)(q - p) + 1,
                                   "more than %zu image openers \"![\" in "
                                   "one paragraph (option markdown.max_images)",
                                   limits->max_images);
        }
        if (is_blank)
            images = 0;
        p = lf ? lf + 1 : end;
        line++;
    }
    return PK_OK;
}

/* ---- random inputs ---------------------------------------------------- */

/* Random pieces: ASCII text, line ends of every kind, NUL, UTF-8 of every
 * length, ill-formed sequences (truncated, overlong, surrogates, above
 * U+10FFFF, stray continuation bytes), a BOM anywhere, markers. */
static size_t random_input(char *buf, size_t cap)
{
    /* Well-formed pieces first, then FIRST_BAD on the ill-formed. */
    enum { FIRST_BAD = 42 };
    static const char *const pieces[] = {
        "a", "Z", " ", "\t", "\n", "\r", "\r\n", "\n\n",
        "\xC3\xA9", "\xC4\x81", "\xE2\x80\x9C", "\xC2\xA0", "\xE2\x80\x91",
        "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xEF\xBB\xBF", "\xED\x9F\xBF",
        "\xF4\x8F\xBF\xBF", "\xE0\xA0\x80", "\x7F", "\x01",
        "hello world, plain ASCII text. ", "0123456789abcdef",
        "> ", "- ", "* ", "+ ", "1. ", "12) ", "1234567890. ", "-", "*",
        "- - -", "* * * *", "![", "!", "[", "---", ">", "   ", "\t- ",
        "1234567890123456789",
        /* FIRST_BAD */
        "\0", "\xff", "\xfe", "\x80", "\xBF", "\xC3", "\xC1\x81", "\xE2\x80",
        "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\xF0\x9F\x98",
        "\xE0\x80\xAF", "\xF0\x80\x80\x80", "\xF5\x80\x80\x80",
    };
    size_t kinds = below(2) ? FIRST_BAD : sizeof pieces / sizeof pieces[0];
    size_t n = 0, count = below(4) ? below(40) : below(400);
    /* Sometimes one long line of plain text. */
    if (below(8) == 0) {
        size_t run = below(3000);
        for (size_t i = 0; i < run && n < cap; i++)
            buf[n++] = (char)('a' + i % 26);
    }
    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[below((unsigned)kinds)];
        size_t len = p[0] ? strlen(p) : 1;
        size_t times = below(6) == 0 ? 1 + below(12) : 1;
        for (size_t t = 0; t < times && n + len <= cap; t++) {
            memcpy(buf + n, p, len);
            n += len;
        }
    }
    return n;
}

static void same_diag(const pk_diag *want, const pk_diag *got, uint64_t seed)
{
    if (want->status != got->status || want->line != got->line ||
        want->column != got->column || strcmp(want->message, got->message) ||
        strcmp(want->file, got->file))
        fail_msg("seed %llu: want %d %lu:%lu %s, got %d %lu:%lu %s",
                 (unsigned long long)seed, want->status, want->line,
                 want->column, want->message, got->status, got->line,
                 got->column, got->message);
}

static void test_normalise_random(void **state)
{
    static char buf[20000];

    (void)state;
    rng_state = 1;
    for (int r = 0; r < 60000; r++) {
        uint64_t seed = rng_state;
        size_t len = random_input(buf, sizeof buf);
        /* A BOM at the start, sometimes. */
        if (below(6) == 0 && len + 3 <= sizeof buf) {
            memmove(buf + 3, buf, len);
            memcpy(buf, "\xEF\xBB\xBF", 3);
            len += 3;
        }
        for (int lenient = 0; lenient < 2; lenient++) {
            pk_diag dw = PK_DIAG_INIT, dg = PK_DIAG_INIT;
            char *want = NULL, *got = NULL;
            size_t wl = 0, gl = 0;
            /* An exact-size copy, so reading past the end shows under
             * valgrind and ASan. */
            char *in = malloc(len ? len : 1);
            assert_non_null(in);
            memcpy(in, buf, len);
            int rw = ref_normalise(&want, &wl, in, len, lenient, "t.md", &dw);
            int rg = md_input_normalise(&got, &gl, in, len, lenient, NULL, "t.md",
                                        &dg);
            if (rw != rg)
                fail_msg("seed %llu lenient %d: status %d, want %d",
                         (unsigned long long)seed, lenient, rg, rw);
            same_diag(&dw, &dg, seed);
            if (rw == PK_OK) {
                assert_non_null(got);
                if (wl != gl || memcmp(want, got, wl) != 0 || got[gl] != '\0')
                    fail_msg("seed %llu lenient %d: output differs "
                             "(%zu bytes, want %zu)",
                             (unsigned long long)seed, lenient, gl, wl);
            } else {
                assert_null(got);
            }
            free(want);
            free(got);
            free(in);
        }
    }
}

/* Every ill-formed byte in one place, far into a long line: the column
 * is the byte's, whatever the copy loop skipped on the way. */
static void test_normalise_positions(void **state)
{
    static const char *const bad[] = {"\0", "\xff", "\xC3", "\xED\xA0\x80",
                                      "\xE2\x80", "\xC0\xAF"};
    /* How many U+FFFD each becomes: one per maximal ill-formed part. */
    static const size_t fffd[] = {1, 1, 1, 3, 1, 2};
    (void)state;
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        for (size_t at = 0; at < 40; at++) {
            char in[128];
            size_t n = 0, blen = bad[b][0] ? strlen(bad[b]) : 1;
            memcpy(in + n, "x\r\nyy\rzzz\n", 10);
            n += 10;
            memset(in + n, 'q', at);
            n += at;
            memcpy(in + n, bad[b], blen);
            n += blen;
            memcpy(in + n, "tail\r\n", 6);
            n += 6;
            pk_diag d = PK_DIAG_INIT;
            char *out = NULL;
            size_t len;
            assert_int_equal(md_input_normalise(&out, &len, in, n, false, NULL,
                                                "t.md", &d), PK_EPARSE);
            assert_int_equal(d.line, 4);
            assert_int_equal(d.column, at + 1);
            /* Lenient: one U+FFFD where the bad bytes were. */
            assert_int_equal(md_input_normalise(&out, &len, in, n, true, NULL,
                                                "t.md", &d), PK_OK);
            assert_int_equal(len, 9 + at + 3 * fffd[b] + 5);
            assert_memory_equal(out, "x\nyy\nzzz\n", 9);
            for (size_t k = 0; k < fffd[b]; k++)
                assert_memory_equal(out + 9 + at + 3 * k, "\xEF\xBF\xBD", 3);
            assert_memory_equal(out + 9 + at + 3 * fffd[b], "tail\n", 5);
            free(out);
        }
    }
}

static void test_prescan_random(void **state)
{
    static char buf[20000];

    (void)state;
    rng_state = 2;
    for (int r = 0; r < 60000; r++) {
        uint64_t seed = rng_state;
        size_t len = random_input(buf, sizeof buf);
        md_limits limits = {1048576, 10000, 1 + below(12), 1 + below(8),
                            false};
        unsigned long first = 1 + below(20);
        pk_diag dw = PK_DIAG_INIT, dg = PK_DIAG_INIT;
        char *in = malloc(len ? len : 1);
        assert_non_null(in);
        memcpy(in, buf, len);
        int rw = ref_prescan(in, len, first, &limits, "t.md", &dw);
        int rg = md_body_prescan(in, len, first, &limits, "t.md", &dg);
        if (rw != rg)
            fail_msg("seed %llu: status %d, want %d",
                     (unsigned long long)seed, rg, rw);
        same_diag(&dw, &dg, seed);
        free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_random),
        cmocka_unit_test(test_normalise_positions),
        cmocka_unit_test(test_prescan_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
