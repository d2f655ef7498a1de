/*
 * cli.h - the command-line tool's parts: inputs and the batch driver.
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <presskit/presskit.h>

/*
 * One input: where to read it, how to name it, where its -O output goes.
 * All its strings live in one allocation (buf); input_clear frees it.
 */
typedef struct input {
    char *buf;         /* owns name and rel (and path, which is name) */
    const char *path;  /* NULL for stdin and for directories that failed */
    const char *name;  /* for diagnostics: the path as reached, or "<stdin>" */
    const char *rel;   /* path relative to its operand (-O layout) */
    const pk_plugin *reader;
    char *error;       /* set when the input is known bad before reading */
    /* A regular file found by the walk (not a symbolic link, not an
     * operand): its entry is in the directory dir_dev/dir_ino. */
    bool walked;
    dev_t dir_dev;
    ino_t dir_ino;
} input;

void input_clear(input *in);

/*
 * The inputs of a batch, produced one at a time: files as given, "-" as
 * stdin, directories walked recursively in byte order of names, keeping
 * files that a reader claims (forced: only its extensions).  Hidden
 * entries are skipped.  Only the sorted entries of the directories being
 * walked are kept, so memory does not grow with the number of inputs --
 * unless inputs_walk_all is called.  Operands are looked at by
 * inputs_open, directories as the walk reaches them.  Not thread-safe.
 */
typedef struct inputs inputs;

/* Looks at each operand (stat) and returns 0, or -1 on out of memory. */
int inputs_open(inputs **out, const pk_context *ctx, const pk_plugin *forced,
                char **operands, size_t n);
/* Walks everything now, keeping it all (the walk as it always was, before
 * any output exists).  Returns 0, or -1 on out of memory. */
int inputs_walk_all(inputs *it);
/* Moves the next input into *in: returns 1, 0 after the last, or -1 on
 * out of memory. */
int inputs_next(inputs *it, input *in);
/* Looks ahead: returns how many of the next k inputs exist (fewer than k
 * only when they are all there is), or -1 on out of memory.  Afterwards
 * inputs_peek_at(it, i) for i below that count is the i-th next input. */
long inputs_peek(inputs *it, size_t k);
const input *inputs_peek_at(const inputs *it, size_t i);
/* Counts the inputs not yet taken, keeping none; the walk is over after
 * it.  Returns the count, or -1 on out of memory. */
long inputs_drain(inputs *it);
/* Counts every input from the start with a walk of its own (names only,
 * nothing kept; the producer is not moved).  For the progress line. */
long inputs_count_all(const inputs *it);
void inputs_close(inputs *it);

/*
 * True when this run writes files or directories where a lazy walk might
 * find them later -- the output directory (when a reader claims what the
 * writer writes) or a new --errors-json file inside, above or below an
 * input directory -- so the walk must finish before the first output, as
 * it always did (inputs_walk_all).  Conservative: true when unsure.
 */
bool inputs_overlap(const inputs *it, const pk_plugin *writer,
                    const char *output_dir, const char *errors_json);

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
int batch_run(const batch *b, inputs *src);

/* KEY=VALUE strings from a --config file. */
typedef struct config_list {
    char **items;
    size_t count, cap;
} config_list;

/* Appends the options of the YAML file at path to out.  Returns 0, or -1
 * with msg holding "FILE:LINE:COL: what was expected". */
int config_read(config_list *out, const char *path, char *msg, size_t len);
void config_free(config_list *list);

/* Reads a whole file (or stdin when path is NULL) into a malloc'ed buffer:
 * open, fstat, read, close.  st, if not NULL, receives the fstat of the
 * open file (st_ino 0 and st_nlink 0 if unknown).  Returns 0, EFBIG past
 * limit bytes, or another errno value. */
int read_all(const char *path, size_t limit, char **data, size_t *len,
             struct stat *st);

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
