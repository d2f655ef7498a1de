/* Sinks: memory growth, atomic files, safe sibling names. */
#define _GNU_SOURCE /* syscall() */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pk_test.h"

/* fsync, interposed: libpresskit's calls land here, so the test sees which
 * descriptors a commit syncs (a regular file, then a directory). */
static int fsync_files, fsync_dirs;

__attribute__((visibility("default"))) int fsync(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            fsync_dirs++;
        else if (S_ISREG(st.st_mode))
            fsync_files++;
    }
    return (int)syscall(SYS_fsync, fd);
}

static char dir[] = "/tmp/pk-sink-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t entries(const char *path)
{
    DIR *d = opendir(path);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.'))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void test_memory(void **state)
{
    (void)state;
    pk_sink *s;
    assert_int_equal(pk_sink_new_memory(&s), PK_OK);
    for (int i = 0; i < 1000; i++)
        pk_sink_printf(s, "%04d,", i);
    size_t len;
    const char *data = pk_sink_memory_data(s, &len);
    assert_int_equal(len, 5000);
    assert_memory_equal(data + 4995, "0999,", 5);
    assert_int_equal(pk_sink_error(s), PK_OK);
    pk_sink_free(s);
}

static void test_file_appears_only_on_commit(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/sub/dir/out.json", dir);
    pk_sink *s;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_file(&s, path, &d), &d);
    pk_sink_puts(s, "{}\n");
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
    PK_ASSERT_OK(pk_sink_commit(s, &d), &d);
    pk_sink_free(s);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 3);

    /* An abandoned sink leaves neither the target nor a temporary. */
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub/dir", dir);
    snprintf(path, sizeof path, "%s/sub/dir/never.json", dir);
    PK_ASSERT_OK(pk_sink_new_file(&s, path, &d), &d);
    pk_sink_puts(s, "partial");
    assert_int_equal(entries(sub), 2);
    pk_sink_free(s);
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(entries(sub), 1);
}

static void test_siblings(void **state)
{
    (void)state;
    pk_sink *root, *s;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_directory(&root, dir, &d), &d);
    assert_true(pk_sink_is_directory(root));
    assert_int_equal(pk_sink_puts(root, "x"), PK_EINVAL);
    static const char *const unsafe[] = {"../x", "/etc/x", "a/../../x", "a//b",
                                         "./x", "a\\b", "", "a/\x01"};
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++)
        assert_int_equal(pk_sink_open_sibling(root, unsafe[i], &s, &d), PK_EINVAL);
    PK_ASSERT_OK(pk_sink_open_sibling(root, "feeds/a.atom", &s, &d), &d);
    pk_sink_puts(s, "<feed/>");
    PK_ASSERT_OK(pk_sink_commit(s, &d), &d);
    pk_sink_free(s);
    pk_sink_free(root);
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/feeds/a.atom", dir);
    assert_int_equal(stat(path, &st), 0);

    pk_sink *mem;
    pk_sink_new_memory(&mem);
    assert_int_equal(pk_sink_open_sibling(mem, "a.atom", &s, &d), PK_EINVAL);
    assert_non_null(strstr(d.message, "-O DIR"));
    pk_sink_free(mem);
}

/* A durable sink syncs the file before the rename and the directory
 * after; its siblings inherit that; an ordinary sink syncs nothing. */
static void test_durable(void **state)
{
    (void)state;
    char path[256];
    pk_sink *s, *root, *sib;
    pk_diag d = PK_DIAG_INIT;
    fsync_files = fsync_dirs = 0;
    snprintf(path, sizeof path, "%s/plain.txt", dir);
    PK_ASSERT_OK(pk_sink_new_file(&s, path, &d), &d);
    pk_sink_puts(s, "x");
    PK_ASSERT_OK(pk_sink_commit(s, &d), &d);
    pk_sink_free(s);
    assert_int_equal(fsync_files + fsync_dirs, 0);

    snprintf(path, sizeof path, "%s/durable.txt", dir);
    PK_ASSERT_OK(pk_sink_new_file(&s, path, &d), &d);
    pk_sink_set_durable(s, true);
    pk_sink_puts(s, "x");
    assert_int_equal(fsync_files, 0);
    PK_ASSERT_OK(pk_sink_commit(s, &d), &d);
    assert_int_equal(fsync_files, 1);
    assert_int_equal(fsync_dirs, 1);
    /* Committing twice does nothing more. */
    PK_ASSERT_OK(pk_sink_commit(s, &d), &d);
    assert_int_equal(fsync_files + fsync_dirs, 2);
    pk_sink_free(s);

    PK_ASSERT_OK(pk_sink_new_directory(&root, dir, &d), &d);
    pk_sink_set_durable(root, true);
    PK_ASSERT_OK(pk_sink_open_sibling(root, "d/one.txt", &sib, &d), &d);
    pk_sink_puts(sib, "y");
    PK_ASSERT_OK(pk_sink_commit(sib, &d), &d);
    pk_sink_free(sib);
    pk_sink_free(root);
    assert_int_equal(fsync_files, 2);
    assert_int_equal(fsync_dirs, 2);
    struct stat st;
    snprintf(path, sizeof path, "%s/d/one.txt", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 1);
}

static void test_unwritable(void **state)
{
    (void)state;
    pk_sink *s;
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_sink_new_file(&s, "/proc/pk-no/such/file", &d), PK_EIO);
    assert_null(s);
    assert_non_null(strstr(d.message, "cannot"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_file_appears_only_on_commit),
        cmocka_unit_test(test_siblings),
        cmocka_unit_test(test_durable),
        cmocka_unit_test(test_unwritable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
