/*
 * fuzz_common.c - the plugins the fuzz targets load, and the contract of
 * pk_read every target checks.
 *
 * The context is built once per process and never freed: the plugins stay
 * mapped for the sanitizers' reports, and libFuzzer registers their
 * coverage counters when they are loaded, before the first input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_plugins.h"

static pk_context *context;

static void load(void)
{
    const char *env = getenv("PK_FUZZ_PLUGINS");
    char *files = strdup(env && *env ? env : PK_FUZZ_PLUGIN_FILES);
    pk_diag diag = PK_DIAG_INIT;
    char buf[2048];

    if (!files || pk_context_new(&context) != PK_OK) {
        fprintf(stderr, "fuzz: out of memory\n");
        abort();
    }
    for (char *save = NULL, *f = strtok_r(files, ":", &save); f;
         f = strtok_r(NULL, ":", &save)) {
        if (pk_context_load_file(context, f, &diag) != PK_OK) {
            fprintf(stderr, "fuzz: %s\n", pk_diag_format(&diag, buf, sizeof buf));
            abort();
        }
    }
    free(files);
}

pk_context *fuzz_context(void)
{
    /* libFuzzer and driver.c call LLVMFuzzerInitialize first, from one
     * thread; this is for a harness that does not. */
    if (!context)
        load();
    return context;
}

const pk_plugin *fuzz_reader(const char *name)
{
    const pk_plugin *p = pk_context_find(fuzz_context(), PK_PLUGIN_READER, name);

    if (!p) {
        fprintf(stderr, "fuzz: no reader \"%s\" loaded\n", name);
        abort();
    }
    return p;
}

void fuzz_fail(const char *what, const char *out, size_t len)
{
    fprintf(stderr, "fuzz: %s\n", what);
    if (out) {
        fprintf(stderr, "---- output (%zu bytes) ----\n", len);
        fwrite(out, 1, len, stderr);
        fprintf(stderr, "\n---- end of output ----\n");
    }
    abort();
}

pk_doc *fuzz_read(const pk_plugin *reader, const pk_options *opts,
                  const uint8_t *data, size_t size)
{
    pk_read_options ro = PK_READ_OPTIONS_INIT;
    pk_diag diag = PK_DIAG_INIT;
    pk_doc *doc = NULL;
    char msg[2048];
    int rc;

    ro.reader_opts = opts;
    rc = pk_read(reader, &ro, "fuzz.in", (const char *)data, size, &doc, &diag);
    if (rc == PK_OK) {
        if (!doc)
            fuzz_fail("pk_read succeeded without a document", NULL, 0);
        return doc;
    }
    /* A failure is fine; a failure without a proper report is not. */
    if (doc)
        fuzz_fail("pk_read failed but returned a document", NULL, 0);
    if (rc != diag.status || !diag.message[0] || strcmp(diag.file, "fuzz.in"))
        fuzz_fail("pk_read failed without a diagnostic for its input",
                  pk_diag_format(&diag, msg, sizeof msg), strlen(msg));
    /* Bad input is a parse, input or limit error; anything else is a bug
     * (or, for PK_ENOMEM, a leak the fuzzer will report itself). */
    if (rc != PK_EPARSE && rc != PK_EINPUT && rc != PK_ELIMIT &&
        rc != PK_ENOMEM) {
        snprintf(msg, sizeof msg, "pk_read failed with %s: %s",
                 pk_status_str(rc), diag.message);
        fuzz_fail(msg, NULL, 0);
    }
    return NULL;
}
