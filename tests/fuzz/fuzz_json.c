/*
 * fuzz_json.c - the json reader through pk_read (reading, validation,
 * analysis); a document it accepts then goes through every writer, as in
 * fuzz_pipeline, since JSON reaches shapes of the model markdown cannot
 * (NUL in text, links in links, bodies a thousand levels deep).
 */
#include "fuzz.h"

static const pk_plugin *reader;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_writers_init();
    reader = fuzz_reader("json");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pk_doc *doc = fuzz_read(reader, NULL, data, size);

    if (doc)
        fuzz_writers_check(doc, false);
    pk_doc_free(doc);
    return 0;
}
