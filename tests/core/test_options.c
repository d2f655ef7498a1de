/* Declared plugin options: defaults, types, unknown keys. */
#include "pk_test.h"

static const pk_option_def defs[] = {
    {"lines", PK_OPTION_BOOL, "false", "JSON Lines"},
    {"width", PK_OPTION_INT, "72", "wrap width"},
    {"title", PK_OPTION_STRING, NULL, "feed title"},
    {NULL, 0, NULL, NULL},
};

static void test_defaults_and_values(void **state)
{
    (void)state;
    pk_options *o;
    assert_int_equal(pk_options_new(&o, "demo", defs), PK_OK);
    assert_false(pk_options_get_bool(o, "lines"));
    assert_int_equal(pk_options_get_int(o, "width"), 72);
    assert_null(pk_options_get(o, "title"));
    assert_false(pk_options_is_set(o, "width"));
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_options_set(o, "lines", "Yes", &d), &d);
    PK_ASSERT_OK(pk_options_set(o, "width", "-3", &d), &d);
    PK_ASSERT_OK(pk_options_set(o, "title", "A = B", &d), &d);
    assert_true(pk_options_get_bool(o, "lines"));
    assert_int_equal(pk_options_get_int(o, "width"), -3);
    PK_ASSERT_STR("A = B", pk_options_get(o, "title"));
    assert_true(pk_options_is_set(o, "width"));
    assert_ptr_equal(pk_options_defs(o), defs);
    pk_options_free(o);
}

static void test_errors(void **state)
{
    (void)state;
    pk_options *o;
    assert_int_equal(pk_options_new(&o, "demo", defs), PK_OK);
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_options_set(o, "colour", "red", &d), PK_ENOTFOUND);
    PK_ASSERT_STR("unknown option demo.colour (valid: demo.lines, demo.width, demo.title)",
                  d.message);
    assert_int_equal(pk_options_set(o, "lines", "maybe", &d), PK_EINVAL);
    PK_ASSERT_STR("option demo.lines: expected true or false, got \"maybe\"", d.message);
    assert_int_equal(pk_options_set(o, "width", "7x", &d), PK_EINVAL);
    PK_ASSERT_STR("option demo.width: expected an integer, got \"7x\"", d.message);
    assert_int_equal(pk_options_get_int(o, "width"), 72);
    pk_options_free(o);

    assert_int_equal(pk_options_new(&o, "bare", NULL), PK_OK);
    assert_int_equal(pk_options_set(o, "x", "1", &d), PK_ENOTFOUND);
    PK_ASSERT_STR("unknown option bare.x: bare takes no options", d.message);
    pk_options_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
