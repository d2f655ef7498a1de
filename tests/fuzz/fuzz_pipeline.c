/*
 * fuzz_pipeline.c - a release from markdown through every writer: the
 * markdown reader (and the analysis pass, as pk_read runs it), then each
 * writer the build made, every output parsed again (fuzz_writers.c).
 */
#include "fuzz.h"

static const pk_plugin *md_reader;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_writers_init();
    md_reader = fuzz_reader("markdown");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pk_doc *doc = fuzz_read(md_reader, NULL, data, size);

    if (doc)
        fuzz_writers_check(doc, true);
    pk_doc_free(doc);
    return 0;
}
