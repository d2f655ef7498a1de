/*
 * pk_test.h - cmocka helpers that print presskit's own message on failure,
 * so a red test says why.
 */
#ifndef PK_TEST_H
#define PK_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <presskit/presskit.h>

/* Asserts that expr returns PK_OK; otherwise fails showing the status and
 * the diagnostic. */
#define PK_ASSERT_OK(expr, diag)                                              \
    do {                                                                      \
        int pk_rc_ = (expr);                                                  \
        if (pk_rc_ != PK_OK) {                                                \
            char pk_buf_[2048];                                               \
            fail_msg("%s returned %s: %s", #expr, pk_status_str(pk_rc_),     \
                     pk_diag_format((diag), pk_buf_, sizeof pk_buf_));        \
        }                                                                     \
    } while (0)

/* Asserts that two NUL-terminated strings are equal, printing both. */
#define PK_ASSERT_STR(expected, actual)                                       \
    do {                                                                      \
        const char *pk_e_ = (expected), *pk_a_ = (actual);                    \
        if (pk_a_ == NULL || strcmp(pk_e_, pk_a_) != 0)                       \
            fail_msg("expected \"%s\", got \"%s\"", pk_e_,                    \
                     pk_a_ ? pk_a_ : "(null)");                               \
    } while (0)

/* splitmix64: the next number of the sequence *state seeds, the same on
 * every run and machine, for tests that make random inputs. */
static inline uint64_t pk_test_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

#endif
