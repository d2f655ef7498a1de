/*
 * fuzz_markdown.c - the markdown reader through pk_read (reading,
 * validation, analysis), three ways: with its default options; lenient
 * (bad bytes become U+FFFD); and lenient with every limit tight, so the
 * limits' own code is fuzzed too.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static const pk_plugin *reader;
static pk_options *lenient, *tight;

static pk_options *options(const char *const *kv)
{
    pk_diag diag = PK_DIAG_INIT;
    pk_options *o = NULL;
    char msg[1024];

    if (pk_options_new(&o, reader->name, reader->options) != PK_OK)
        fuzz_fail("out of memory", NULL, 0);
    for (; kv[0]; kv += 2) {
        if (pk_options_set(o, kv[0], kv[1], &diag) != PK_OK)
            fuzz_fail(pk_diag_format(&diag, msg, sizeof msg), NULL, 0);
    }
    return o;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const lenient_kv[] = {"lenient", "true", NULL};
    static const char *const tight_kv[] = {
        "lenient", "true", "max_front_matter", "256", "max_values", "40",
        "max_depth", "6", "max_images", "3", NULL,
    };

    (void)argc;
    (void)argv;
    reader = fuzz_reader("markdown");
    lenient = options(lenient_kv);
    tight = options(tight_kv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pk_doc_free(fuzz_read(reader, NULL, data, size));
    pk_doc_free(fuzz_read(reader, lenient, data, size));
    pk_doc_free(fuzz_read(reader, tight, data, size));
    return 0;
}
