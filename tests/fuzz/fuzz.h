/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry points and the
 * plugins they load.
 *
 * Each target is one file defining LLVMFuzzerTestOneInput.  Built with
 * clang and -fsanitize=fuzzer (PK_FUZZ=ON) it becomes a libFuzzer binary;
 * linked with driver.c instead (any compiler) it replays files, so every
 * crash the fuzzers ever found is re-run by the normal test suite.
 */
#ifndef PK_FUZZ_H
#define PK_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <presskit/presskit.h>

/* The libFuzzer interface (also called by driver.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Returns the process's context with every plugin the build made (see
 * fuzz_plugins.h; PK_FUZZ_PLUGINS, a ':'-separated list of files,
 * overrides it), loaded once with pk_context_load_file.  Aborts if one
 * fails to load: a fuzzer without its plugins finds nothing.
 */
pk_context *fuzz_context(void);

/* Returns the reader called name, aborting if it is not loaded. */
const pk_plugin *fuzz_reader(const char *name);

/*
 * Reads data[0..size) with reader under its default options (opts NULL)
 * or opts, checking the contract of pk_read: a document on success, else
 * a located, non-empty message with a failure status.  Aborts on a broken
 * contract.  Returns the document (the caller frees it) or NULL.
 */
pk_doc *fuzz_read(const pk_plugin *reader, const pk_options *opts,
                  const uint8_t *data, size_t size);

/* Prepares fuzz_writers_check (libxml2, the json reader). */
void fuzz_writers_init(void);

/*
 * Runs every writer of the context on doc (alone; followed by a second,
 * fixed release into one stream; and with the options that change the
 * output's shape) and parses each output again with an independent
 * parser; aborts on a broken contract (fuzz_writers.c says which).  If
 * strict, a writer refusing the document is a broken contract too.
 */
void fuzz_writers_check(const pk_doc *doc, bool strict);

/* Prints why the contract broke, with the output at fault, and aborts. */
void fuzz_fail(const char *what, const char *out, size_t len)
    __attribute__((noreturn));

#endif
