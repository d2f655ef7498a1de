/* Dates: what is accepted, what is refused, formatting and ordering. */
#include "pk_test.h"

static void test_accepts(void **state)
{
    (void)state;
    static const char *const good[] = {
        "2022-08-25", "2024-02-29", "2000-02-29", "2022-08-25T10:00",
        "2022-08-25T10:00:59Z", "2022-08-25t10:00:00z", "2022-08-25 10:00:00+12:00",
        "2022-08-25T23:59:60-05:30", "2022-08-25T10:00:00.123456789+00:00"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        pk_date d;
        if (pk_date_parse(good[i], strlen(good[i]), &d) != PK_OK)
            fail_msg("refused %s", good[i]);
    }
}

static void test_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "2022-8-25", "25 Aug 2022", "2023-02-29", "1900-02-29",
        "2022-13-01", "2022-00-10", "2022-04-31", "0000-01-01",
        "2022-08-25T", "2022-08-25T24:00", "2022-08-25T10:60",
        "2022-08-25T10:00:00+1200", "2022-08-25T10:00:00+24:00",
        "2022-08-25T10:00:00.", "2022-08-25X", "2022-08-25T10:00:00Zjunk"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pk_date d;
        if (pk_date_parse(bad[i], strlen(bad[i]), &d) == PK_OK)
            fail_msg("accepted %s", bad[i]);
    }
}

static void expect_format(const char *in, int tz, const char *want)
{
    pk_date d;
    assert_int_equal(pk_date_parse(in, strlen(in), &d), PK_OK);
    char buf[64];
    size_t n = pk_date_format_rfc3339(&d, tz, buf, sizeof buf);
    PK_ASSERT_STR(want, buf);
    assert_int_equal(n, strlen(want));
}

static void test_format(void **state)
{
    (void)state;
    expect_format("2022-08-25", 0, "2022-08-25T00:00:00Z");
    expect_format("2022-08-25", 12 * 60, "2022-08-25T00:00:00+12:00");
    expect_format("2022-08-25", -(9 * 60 + 30), "2022-08-25T00:00:00-09:30");
    expect_format("2022-08-25T10:05", 0, "2022-08-25T10:05:00Z");
    expect_format("2022-08-25T10:05:07+13:00", 0, "2022-08-25T10:05:07+13:00");
    expect_format("2022-08-25T10:05:07.250Z", 60, "2022-08-25T10:05:07.25Z");
}

static void test_compare(void **state)
{
    (void)state;
    pk_date a, b;
    /* 10:00 in Auckland (+12) is 22:00 the day before in UTC. */
    pk_date_parse("2022-08-25T10:00:00+12:00", 25, &a);
    pk_date_parse("2022-08-24T23:00:00Z", 20, &b);
    assert_true(pk_date_compare(&a, &b, 0) < 0);
    assert_true(pk_date_compare(&b, &a, 0) > 0);
    pk_date_parse("2022-08-25", 10, &a);
    pk_date_parse("2022-08-25T00:00:00Z", 20, &b);
    assert_int_equal(pk_date_compare(&a, &b, 0), 0);
    assert_true(pk_date_compare(&a, &b, 60) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
