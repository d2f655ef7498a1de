/*
 * scalar.c - the YAML 1.2 core schema's reading of scalar text.
 *
 * libyaml only tokenises: deciding that "42" is a number and "yes" is a
 * string is ours.  We follow the 1.2 core schema (not libyaml's 1.1 habits)
 * so "yes", "on" and "2022-08-25" stay strings, and every rule is an exact
 * match of the whole text.  .inf and .nan are recognised only so callers
 * can keep them as strings: the model holds finite reals alone.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

static bool is_one_of(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(*words, s, len) == 0)
            return true;
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Returns the value of hex digit c, or -1. */
static int digit_value(char c, int base)
{
    int v;

    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    else
        return -1;
    return v < base ? v : -1;
}

bool md_scalar_is_null(const char *s, size_t len)
{
    static const char *const words[] = {"~", "null", "Null", "NULL", NULL};
    return len == 0 || is_one_of(s, len, words);
}

bool md_scalar_is_bool(const char *s, size_t len, bool *b)
{
    static const char *const yes[] = {"true", "True", "TRUE", NULL};
    static const char *const no[] = {"false", "False", "FALSE", NULL};

    if (is_one_of(s, len, yes)) {
        *b = true;
        return true;
    }
    if (is_one_of(s, len, no)) {
        *b = false;
        return true;
    }
    return false;
}

bool md_scalar_is_nonfinite(const char *s, size_t len)
{
    static const char *const words[] = {".inf", ".Inf", ".INF", ".nan",
                                        ".NaN", ".NAN", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", NULL};

    if (len > 0 && (s[0] == '+' || s[0] == '-'))
        return is_one_of(s + 1, len - 1, infs);
    return is_one_of(s, len, words);
}

/*
 * strtod in the "C" locale, whatever the host program set: a decimal
 * comma locale would otherwise read "3.25" as 3.  uselocale() changes
 * only the calling thread, so other threads are not disturbed.
 */
static int c_strtod(const char *s, double *out)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old;

    if (c == (locale_t)0)
        return PK_ENOMEM;
    old = uselocale(c);
    *out = strtod(s, NULL);
    uselocale(old);
    freelocale(c);
    return PK_OK;
}

/*
 * Converts the octal digits o[0..n) to a double rounded once: strtod reads
 * hexadecimal but not octal, so the bits are regrouped four by four.
 */
static int octal_to_double(const char *o, size_t n, double *out)
{
    static const char xdigits[] = "0123456789abcdef";
    size_t bits = 3 * n, pad = (4 - bits % 4) % 4;
    char *hex = malloc(2 + (bits + pad) / 4 + 1);
    unsigned acc = 0;
    size_t nacc = pad, h = 2;
    int rc = PK_OK;

    if (!hex) {
        rc = PK_ENOMEM;
        goto out;
    }
    hex[0] = '0';
    hex[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(o[i] - '0');
        for (int b = 2; b >= 0; b--) {
            acc = (acc << 1) | ((d >> b) & 1u);
            if (++nacc == 4) {
                hex[h++] = xdigits[acc];
                acc = 0;
                nacc = 0;
            }
        }
    }
    hex[h] = '\0';
    rc = c_strtod(hex, out);
out:
    free(hex);
    return rc;
}

md_number md_scalar_int(const char *s, size_t len, int64_t *i, double *r,
                        int *err)
{
    const uint64_t max = (uint64_t)INT64_MAX;
    uint64_t mag = 0, limit = max;
    size_t p = 0;
    int base = 10;
    bool neg = false, overflow = false;
    double d = 0;

    *err = PK_OK;
    if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        base = s[1] == 'o' ? 8 : 16;
        p = 2;
    } else if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        /* INT64_MIN has no positive twin: allow one more for '-'. */
        limit = neg ? max + 1 : max;
        p = 1;
    }
    if (p == len)
        return MD_NUMBER_NONE;
    for (size_t k = p; k < len; k++) {
        int v = digit_value(s[k], base);
        if (v < 0)
            return MD_NUMBER_NONE;
        if (mag > (limit - (uint64_t)v) / (uint64_t)base)
            overflow = true;
        else
            mag = mag * (uint64_t)base + (uint64_t)v;
    }
    if (!overflow) {
        if (neg)
            *i = mag == max + 1 ? INT64_MIN : -(int64_t)mag;
        else
            *i = (int64_t)mag;
        return MD_NUMBER_INT;
    }
    /* Too big for int64_t: keep the number as a real while it is one. */
    if (base == 8)
        *err = octal_to_double(s + 2, len - 2, &d);
    else
        *err = c_strtod(s, &d);   /* reads "0x..." too */
    if (*err != PK_OK)
        return MD_NUMBER_NONE;
    if (!isfinite(d))
        return MD_NUMBER_RANGE;
    *r = d;
    return MD_NUMBER_REAL;
}

md_number md_scalar_float(const char *s, size_t len, double *r, int *err)
{
    size_t p = 0, digits = 0;
    double d = 0;

    *err = PK_OK;
    if (p < len && (s[p] == '+' || s[p] == '-'))
        p++;
    for (; p < len && is_digit(s[p]); p++)
        digits++;
    if (p < len && s[p] == '.') {
        size_t frac = 0;
        for (p++; p < len && is_digit(s[p]); p++)
            frac++;
        /* "5." is a float, "." is not: a digit on either side. */
        if (digits == 0 && frac == 0)
            return MD_NUMBER_NONE;
        digits += frac;
    }
    if (digits == 0)
        return MD_NUMBER_NONE;
    if (p < len && (s[p] == 'e' || s[p] == 'E')) {
        size_t exp = 0;
        p++;
        if (p < len && (s[p] == '+' || s[p] == '-'))
            p++;
        for (; p < len && is_digit(s[p]); p++)
            exp++;
        if (exp == 0)
            return MD_NUMBER_NONE;
    }
    if (p != len)
        return MD_NUMBER_NONE;
    *err = c_strtod(s, &d);
    if (*err != PK_OK)
        return MD_NUMBER_NONE;
    if (!isfinite(d))
        return MD_NUMBER_RANGE;
    *r = d;
    return MD_NUMBER_REAL;
}
