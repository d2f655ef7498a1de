/*
 * cli.h - the command-line tool's parts: inputs and the batch driver.
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include <presskit/presskit.h>

/* One input: where to read it, how to name it, where its -O output goes. */
typedef struct input {
    char *path;        /* NULL for stdin */
    char *name;        /* for diagnostics: the path as reached, or "<stdin>" */
    char *rel;         /* path relative to its operand (-O layout) */
    const pk_plugin *reader;
    char *error;       /* set when the input is known bad before reading */
} input;

typedef struct input_list {
    input *items;
    size_t count, cap;
} input_list;

/*
 * Expands the operands into inputs: files as given, "-" as stdin,
 * directories walked recursively in byte order of names, keeping files
 * that a reader claims (forced: only its extensions).  Hidden entries are
 * skipped.  Returns 0, or -1 on out of memory.
 */
int inputs_expand(input_list *list, const pk_context *ctx,
                  const pk_plugin *forced, char **operands, size_t n);
void inputs_free(input_list *list);

/* What a batch does. */
typedef struct batch {
    const pk_plugin *writer;
    const pk_options *writer_opts;
    pk_read_options read_opts;        /* reader_opts unused: per reader */
    pk_options *const *reader_opts;   /* per entry of the context */
    const pk_context *ctx;
    const char *output;               /* -o FILE, or NULL */
    const char *output_dir;           /* -O DIR, or NULL */
    bool single;                      /* one document per output */
    bool fail_fast;
    bool quiet;                       /* no warnings, summary or progress */
    bool fsync_all;                   /* --fsync: -O outputs durable too */
    unsigned jobs;
    size_t max_input;                 /* --max-input-size, bytes */
    FILE *errors_json;                /* --errors-json, or NULL */
} batch;

/* Set to the signal number by the CLI's SIGINT/SIGTERM handler; the batch
 * stops taking inputs, drops unfinished outputs and returns 128 + it. */
extern volatile sig_atomic_t batch_interrupted;

/* Opens a per-document writer once on a scratch sink so that option
 * errors are usage errors.  Returns 0 or the exit status 2. */
int batch_check_writer(const batch *b);

/* Runs the batch.  Returns the exit status: 0, 1 (some input failed), or
 * 2 when the writer refuses its options or the output cannot be made. */
int batch_run(const batch *b, input_list *inputs);

/* KEY=VALUE strings from a --config file. */
typedef struct config_list {
    char **items;
    size_t count, cap;
} config_list;

/* Appends the options of the YAML file at path to out.  Returns 0, or -1
 * with msg holding "FILE:LINE:COL: what was expected". */
int config_read(config_list *out, const char *path, char *msg, size_t len);
void config_free(config_list *list);

/* Reads a whole file (or stdin when path is NULL) into a malloc'ed buffer.
 * Returns 0, EFBIG past limit bytes, or another errno value. */
int read_all(const char *path, size_t limit, char **data, size_t *len);

/* --list-plugins: prints on stdout a table of the plugins (name, kind,
 * version, file, extensions), then the refused files and why.  Loads
 * nothing: a deferred plugin is listed from its index line. */
void inspect_list_plugins(const pk_context *ctx);
/* Loads every plugin called name (a reader and a writer may share it), so
 * that --help-plugin can show their options and any refusal is known. */
void inspect_load(const pk_context *ctx, const char *name);
/* --help-plugin NAME: prints on stdout every plugin called name (a reader
 * and a writer may share it): kind, version, file, summary, media type,
 * extensions and options table.  Returns 0, or 2 with a message on stderr
 * when there is none. */
int inspect_help_plugin(const pk_context *ctx, const char *name);

#endif
