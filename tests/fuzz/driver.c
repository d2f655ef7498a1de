/*
 * driver.c - replays files through a fuzz target without libFuzzer.
 *
 *     fuzz_markdown_replay FILE|DIR...
 *
 * Linked with one target's LLVMFuzzerTestOneInput, with any compiler, so
 * the seed corpus and every input that once crashed a fuzzer run in the
 * normal test suite (and under valgrind and the sanitizers in CI).  A
 * directory's regular files are replayed in name order.  A failure
 * aborts inside the target; otherwise the exit status is 0, or 2 if a
 * file could not be read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t replayed;

static int replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t len = 0, cap = 0;

    if (!fp) {
        perror(path);
        return 2;
    }
    for (;;) {
        size_t n;
        if (cap - len < 4096) {
            unsigned char *nd;
            cap = cap ? 2 * cap : 65536;
            nd = realloc(data, cap);
            if (!nd) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(data);
                fclose(fp);
                return 2;
            }
            data = nd;
        }
        n = fread(data + len, 1, cap - len, fp);
        if (n == 0)
            break;
        len += n;
    }
    if (ferror(fp)) {
        perror(path);
        free(data);
        fclose(fp);
        return 2;
    }
    fclose(fp);
    /* An exact-size copy, so ASan catches a read one byte past the end. */
    {
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(data);
            return 2;
        }
        if (len)
            memcpy(exact, data, len);
        free(data);
        fprintf(stderr, "replaying %s\n", path);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    replayed++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (!d) {
        perror(dir);
        return 2;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn;
            cap = cap ? 2 * cap : 64;
            nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                rc = 2;
                break;
            }
            names = nn;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
            rc = 2;
            break;
        }
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;

    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc && rc == 0; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 2;
        } else if (S_ISDIR(st.st_mode)) {
            rc = replay_dir(argv[i]);
        } else {
            rc = replay_file(argv[i]);
        }
    }
    printf("%zu inputs replayed\n", replayed);
    return rc;
}
