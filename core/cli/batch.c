/*
 * batch.c - the batch driver: read, convert and write every input, in
 * parallel, with outputs and diagnostics in input order whatever -j is.
 *
 * Workers take inputs in order from the producer (inputs.c), which walks
 * the directories as it goes.  With -O each worker also writes its input's
 * own output.  The main thread commits results in input order: it prints
 * diagnostics and, with one output stream, hands the documents to the
 * writer.  Workers never run more than a window of inputs ahead of it, and
 * each input lives in a ring of window slots from the moment it is taken
 * to the moment it is committed, so memory is bounded by the window, not
 * by the number of inputs.
 */
#define _DEFAULT_SOURCE /* d_type */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { WINDOW_PER_JOB = 4, OUTDIR_CACHE = 8 };

volatile sig_atomic_t batch_interrupted;

typedef struct slot {
    input in;
    bool done;
    bool failed;
    pk_doc *doc;   /* streaming mode: waiting for the writer */
    char *message; /* the formatted diagnostic, if failed */
    pk_diag *diag; /* the diagnostic itself, for --errors-json */
    char *warnings;      /* the reader's warnings, as lines for stderr */
    char *warnings_json; /* the same as JSON Lines, for --errors-json */
} slot;

/* What is known of one directory -O writes into, looked at once: enough to
 * tell, with no system call per file, that a file written there cannot be
 * the input it was made from. */
typedef struct outdir {
    char *path;
    size_t len;
    bool known;    /* looked at, and the rest is meaningful */
    bool exists;
    bool links;    /* holds symbolic links (or entries of unknown type) */
    dev_t dev;
    ino_t ino;
    unsigned long used;
} outdir;

typedef struct run {
    const batch *b;
    inputs *src;
    slot *ring;        /* input i lives in ring[i % window] */
    size_t window;
    size_t next;       /* inputs taken from the producer so far */
    size_t consumed;   /* inputs the main thread has finished with */
    bool ended;        /* the producer has no more */
    bool stop;         /* --fail-fast tripped */
    bool out_of_memory;
    pthread_mutex_t lock;
    pthread_cond_t committed; /* workers wait: room in the window, or stop */
    pthread_cond_t finished;  /* the main thread waits: its next input */
    pthread_mutex_t dirs_lock;
    outdir dirs[OUTDIR_CACHE];
    unsigned long tick;
} run;

int read_all(const char *path, size_t limit, char **data, size_t *len,
             struct stat *stp)
{
    if (stp)
        memset(stp, 0, sizeof *stp);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (fd < 0)
        return errno;
    struct stat st;
    size_t cap = 64 * 1024, size = 0;
    if (fstat(fd, &st) == 0) {
        if (stp)
            *stp = st;
        if (S_ISREG(st.st_mode) && st.st_size >= 0) {
            if ((unsigned long long)st.st_size > limit) {
                if (path)
                    close(fd);
                return EFBIG;
            }
            size = (size_t)st.st_size;
            cap = size + 1;
        }
    }
    char *buf = malloc(cap);
    size_t n = 0;
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (n == cap) {
            char *p = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                err = ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno != EINTR || batch_interrupted)
                err = errno;
        } else if (r == 0) {
            break;
        } else {
            n += (size_t)r;
            if (n > limit)
                err = EFBIG; /* a pipe or device: stop reading at the limit */
            else if (size && n == size && n < cap)
                break; /* a regular file read to the size fstat gave, and
                        * a byte of room left unfilled: that is its end,
                        * with no read just to be told so */
        }
    }
    if (path)
        close(fd);
    if (err) {
        free(buf);
        return err;
    }
    *data = buf;
    *len = n;
    return 0;
}

static char *format(const pk_diag *d)
{
    char buf[PK_DIAG_FILE_MAX + PK_DIAG_MESSAGE_MAX + 64];
    return strdup(pk_diag_format(d, buf, sizeof buf));
}

static pk_options *reader_opts(const batch *b, const pk_plugin *reader)
{
    for (size_t i = 0; i < pk_context_entry_count(b->ctx); i++)
        if (pk_context_entry_info(b->ctx, i) == reader)
            return b->reader_opts[i];
    return NULL;
}

/* The -O path of an input: DIR/<rel with the writer's extension>. */
static char *output_path(const batch *b, const input *in)
{
    const char *ext = b->writer->extensions[0];
    const char *slash = strrchr(in->rel, '/');
    const char *dot = strrchr(in->rel, '.');
    size_t stem = dot && (!slash || dot > slash + 1) && dot != in->rel
                      ? (size_t)(dot - in->rel)
                      : strlen(in->rel);
    size_t len = strlen(b->output_dir) + stem + strlen(ext) + 3;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%.*s.%s", b->output_dir, (int)stem, in->rel, ext);
    return p;
}

/* Looks at an output directory once: does it exist, which is it, does it
 * hold symbolic links?  Called with dirs_lock held. */
static void outdir_look(outdir *d)
{
    struct stat st;
    d->known = d->exists = d->links = false;
    if (stat(d->path, &st) != 0) {
        /* Not there yet: whatever appears in it is this run's output. */
        d->known = errno == ENOENT || errno == ENOTDIR;
        return;
    }
    if (!S_ISDIR(st.st_mode))
        return;
    d->exists = true;
    d->dev = st.st_dev;
    d->ino = st.st_ino;
    DIR *dir = opendir(d->path);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir))) {
#ifdef _DIRENT_HAVE_D_TYPE
        if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
            continue;
#endif
        d->links = true;
        break;
    }
    closedir(dir);
    d->known = true;
}

/*
 * Could the file at path be the input itself (stat(path) naming the
 * input's file)?  False only when that is impossible: the input is a
 * regular file with one link, found by the walk in a directory other than
 * the output's, and that directory had no symbolic link when first looked
 * at (or did not exist: all it holds is this run's).  Then the output's
 * entry, were it there, is not the input's only entry.  Otherwise the
 * caller compares the two with stat, as the check always did.
 */
static bool output_may_be_input(run *r, const input *in,
                                const struct stat *ist, const char *path)
{
    if (!in->walked || ist->st_ino == 0 || ist->st_nlink != 1 ||
        !S_ISREG(ist->st_mode))
        return true;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return true;
    size_t len = (size_t)(slash - path);
    pthread_mutex_lock(&r->dirs_lock);
    outdir *d = NULL, *oldest = &r->dirs[0];
    for (size_t i = 0; i < OUTDIR_CACHE && !d; i++) {
        outdir *c = &r->dirs[i];
        if (c->path && c->len == len && memcmp(c->path, path, len) == 0)
            d = c;
        else if (c->used < oldest->used)
            oldest = c;
    }
    if (!d) {
        d = oldest;
        free(d->path);
        memset(d, 0, sizeof *d);
        if ((d->path = malloc(len + 1))) {
            memcpy(d->path, path, len);
            d->path[len] = '\0';
            d->len = len;
            outdir_look(d);
        }
    }
    d->used = ++r->tick;
    bool may = !d->known ||
               (d->exists && (d->links || (d->dev == in->dir_dev &&
                                           d->ino == in->dir_ino)));
    pthread_mutex_unlock(&r->dirs_lock);
    return may;
}

/* Writes one document to its own file (-O).  ist: the input's fstat. */
static int write_one(run *r, const input *in, const struct stat *ist,
                     const pk_doc *doc, pk_diag *diag)
{
    const batch *b = r->b;
    char *path = output_path(b, in);
    if (!path)
        return pk_diag_set(diag, PK_ENOMEM, in->name, 0, 0, "out of memory");
    pk_sink *sink = NULL;
    void *state = NULL;
    int rc;
    if (in->path && output_may_be_input(r, in, ist, path)) {
        struct stat a = *ist, o;
        if ((a.st_ino != 0 || stat(in->path, &a) == 0) && stat(path, &o) == 0 &&
            a.st_dev == o.st_dev && a.st_ino == o.st_ino) {
            rc = pk_diag_set(diag, PK_EINVAL, in->name, 0, 0,
                             "refusing to overwrite the input itself with %s",
                             path);
            goto out;
        }
    }
    if ((rc = pk_sink_new_file(&sink, path, diag)))
        goto out;
    pk_sink_set_durable(sink, b->fsync_all);
    if ((rc = b->writer->writer->open(&state, sink, b->writer_opts,
                                      PK_OUTPUT_SINGLE, diag)))
        goto out;
    rc = b->writer->writer->write(state, doc, diag);
    pk_diag close_diag = PK_DIAG_INIT;
    int crc = b->writer->writer->close(state, &close_diag);
    if (rc == PK_OK && crc != PK_OK) {
        rc = crc;
        if (diag)
            *diag = close_diag;
    }
    if (rc == PK_OK)
        rc = pk_sink_commit(sink, diag);
out:
    if (rc != PK_OK && diag && !diag->file[0])
        snprintf(diag->file, sizeof diag->file, "%s", in->name);
    pk_sink_free(sink);
    free(path);
    return rc;
}

static void error_json(FILE *fp, const pk_diag *d, const char *severity);

/* Renders doc's warnings into the slot: "FILE:LINE:COL: warning: ..."
 * lines for stderr (unless -q), JSON Lines for --errors-json; printed in
 * input order by the main thread.  A document that kept fewer warnings
 * than it counted says how many more there were. */
static void keep_warnings(const batch *b, const pk_doc *doc, slot *s)
{
    size_t total = pk_doc_warning_count(doc), kept = 0;
    char *text = NULL, *json = NULL;
    size_t text_len = 0, json_len = 0;
    FILE *tf = b->quiet ? NULL : open_memstream(&text, &text_len);
    FILE *jf = b->errors_json ? open_memstream(&json, &json_len) : NULL;
    pk_diag w;
    for (; pk_doc_warning(doc, kept, &w); kept++) {
        char buf[PK_DIAG_FILE_MAX + PK_DIAG_MESSAGE_MAX + 64];
        if (tf) {
            /* FILE:LINE:COL: warning: message */
            pk_diag shown = PK_DIAG_INIT;
            pk_diag_set(&shown, PK_OK, w.file, w.line, w.column,
                        "warning: %s", w.message);
            fprintf(tf, "%s\n", pk_diag_format(&shown, buf, sizeof buf));
        }
        if (jf)
            error_json(jf, &w, "warning");
    }
    if (tf && total > kept)
        fprintf(tf, "%s: warning: %zu more warnings not shown\n",
                pk_doc_source(doc), total - kept);
    if (tf && fclose(tf) == 0)
        s->warnings = text;
    else
        free(text);
    if (jf && fclose(jf) == 0)
        s->warnings_json = json;
    else
        free(json);
}

/* Reads, validates and (with -O) writes the slot's input.  Fills the
 * slot. */
static void process(run *r, slot *s)
{
    const batch *b = r->b;
    input *in = &s->in;
    pk_diag diag = PK_DIAG_INIT;
    char *data = NULL;
    size_t len = 0;
    pk_doc *doc = NULL;
    int rc = PK_OK;
    struct stat ist;

    if (in->error) {
        rc = pk_diag_set(&diag, PK_EIO, in->name, 0, 0, "%s", in->error);
        goto out;
    }
    int err = read_all(in->path, b->max_input, &data, &len, &ist);
    if (err == EFBIG) {
        rc = pk_diag_set(&diag, PK_ELIMIT, in->name, 0, 0,
                         "input larger than the limit of %zu bytes "
                         "(--max-input-size)", b->max_input);
        goto out;
    }
    if (err) {
        rc = pk_diag_set(&diag, PK_EIO, in->name, 0, 0, "cannot read: %s",
                         strerror(err));
        goto out;
    }
    pk_read_options ro = b->read_opts;
    ro.reader_opts = reader_opts(b, in->reader);
    if ((rc = pk_read(in->reader, &ro, in->name, data, len, &doc, &diag)))
        goto out;
    if (pk_doc_warning_count(doc) > 0)
        keep_warnings(b, doc, s);
    if (b->output_dir && !(b->writer->flags & PK_PLUGIN_AGGREGATE)) {
        rc = write_one(r, in, &ist, doc, &diag);
        pk_doc_free(doc);
        doc = NULL;
    }
out:
    free(data);
    s->doc = doc;
    s->failed = rc != PK_OK;
    if (s->failed) {
        s->message = format(&diag);
        if (b->errors_json && (s->diag = malloc(sizeof *s->diag)))
            *s->diag = diag;
    }
}

/* Empties a slot for its next input. */
static void slot_clear(slot *s)
{
    pk_doc_free(s->doc);
    free(s->message);
    free(s->diag);
    free(s->warnings);
    free(s->warnings_json);
    input_clear(&s->in);
    memset(s, 0, sizeof *s);
}

static void *worker(void *arg)
{
    run *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && !batch_interrupted && !r->ended &&
               r->next >= r->consumed + r->window)
            pthread_cond_wait(&r->committed, &r->lock);
        if (batch_interrupted && !r->stop) {
            /* Tell the main thread not to wait for inputs nobody takes. */
            r->stop = true;
            pthread_cond_broadcast(&r->committed);
            pthread_cond_signal(&r->finished);
        }
        if (r->stop || r->ended)
            break;
        /* Take the next input.  The walk goes on under the lock: a step
         * is a few microseconds but for reading a directory, once per
         * directory. */
        size_t i = r->next;
        slot *s = &r->ring[i % r->window];
        int got = inputs_next(r->src, &s->in);
        if (got <= 0) {
            r->ended = true;
            if (got < 0)
                r->out_of_memory = r->stop = true;
            pthread_cond_broadcast(&r->committed);
            pthread_cond_signal(&r->finished);
            break;
        }
        r->next = i + 1;
        pthread_mutex_unlock(&r->lock);
        process(r, s);
        pthread_mutex_lock(&r->lock);
        s->done = true;
        if (i == r->consumed)
            pthread_cond_signal(&r->finished); /* the one it waits for */
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* The single output: -o FILE, or stdout. */
static int open_stream(const batch *b, pk_sink **sink, pk_diag *diag)
{
    if (b->output) {
        /* One output that replaces the last one (a feed): worth an fsync. */
        int rc = pk_sink_new_file(sink, b->output, diag);
        if (rc == PK_OK)
            pk_sink_set_durable(*sink, true);
        return rc;
    }
    int rc = pk_sink_new_stream(sink, stdout, "<stdout>");
    if (rc)
        pk_diag_set(diag, rc, NULL, 0, 0, "out of memory");
    return rc;
}

/* Writes s as a JSON string (for --errors-json; the CLI links no JSON
 * library, and these strings are short). */
static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* One JSON Lines record of a failure or a warning (severity "error" or
 * "warning"). */
static void error_json(FILE *fp, const pk_diag *d, const char *severity)
{
    if (!fp)
        return;
    fputs("{\"file\":", fp);
    json_string(fp, d->file);
    fprintf(fp, ",\"line\":%lu,\"column\":%lu,\"status\":", d->line, d->column);
    /* A warning has no failure status: its status is "warning". */
    json_string(fp, d->status == PK_OK ? severity : pk_status_str(d->status));
    fputs(",\"message\":", fp);
    json_string(fp, d->message);
    fprintf(fp, ",\"severity\":\"%s\"}\n", severity);
}

/* The progress line: on a terminal, for long batches, unless -q. */
typedef struct progress {
    bool on;
    struct timespec start, last;
} progress;

static double since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress_show(progress *p, size_t done, size_t total)
{
    if (!p->on || (done < total && since(&p->last) < 0.2))
        return;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    double elapsed = since(&p->start);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[Kpresskit: %zu/%zu releases, %.0f/s, ETA %.0fs",
            done, total, rate, eta);
}

static void progress_clear(progress *p)
{
    if (p->on)
        fputs("\r\033[K", stderr);
}

int batch_check_writer(const batch *b)
{
    /* Per-document writers are opened once per output; open one on a
     * scratch sink first, so bad options fail before any work. */
    if (!b->output_dir || (b->writer->flags & PK_PLUGIN_AGGREGATE))
        return 0;
    pk_sink *scratch;
    pk_diag d = PK_DIAG_INIT;
    void *state = NULL;
    if (pk_sink_new_memory(&scratch))
        return 2;
    int rc = b->writer->writer->open(&state, scratch, b->writer_opts,
                                     PK_OUTPUT_SINGLE, &d);
    if (rc == PK_OK)
        b->writer->writer->close(state, &d);
    pk_sink_free(scratch);
    if (rc != PK_OK) {
        char buf[2048];
        fprintf(stderr, "presskit: %s\n", pk_diag_format(&d, buf, sizeof buf));
        return 2;
    }
    return 0;
}

int batch_run(const batch *b, inputs *src)
{
    run r = {0};
    r.b = b;
    r.src = src;
    unsigned jobs = b->jobs ? b->jobs : 1;
    /* No more threads than inputs: look that far ahead. */
    long ahead = inputs_peek(src, jobs);
    if (ahead < 0) {
        fprintf(stderr, "presskit: out of memory\n");
        return 2;
    }
    if ((size_t)ahead < jobs)
        jobs = ahead ? (unsigned)ahead : 1;
    r.window = (size_t)jobs * WINDOW_PER_JOB;
    r.ring = calloc(r.window, sizeof *r.ring);
    if (!r.ring) {
        fprintf(stderr, "presskit: out of memory\n");
        return 1;
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.committed, NULL);
    pthread_cond_init(&r.finished, NULL);
    pthread_mutex_init(&r.dirs_lock, NULL);

    size_t failed = 0, done = 0;
    bool output_failed = false;
    pk_sink *sink = NULL;
    void *state = NULL;
    bool streaming = !b->output_dir || (b->writer->flags & PK_PLUGIN_AGGREGATE);
    pk_diag diag = PK_DIAG_INIT;
    if (streaming) {
        int rc = PK_OK;
        if (b->output_dir) {
            rc = pk_sink_new_directory(&sink, b->output_dir, &diag);
            if (rc == PK_OK)
                pk_sink_set_durable(sink, b->fsync_all);
        } else {
            rc = open_stream(b, &sink, &diag);
        }
        /* An output that cannot be made is an I/O failure (1); a writer
         * refusing its options is a usage error (2).  No input was read
         * yet either way. */
        int status = 1;
        if (rc == PK_OK) {
            rc = b->writer->writer->open(&state, sink, b->writer_opts,
                                         b->single ? PK_OUTPUT_SINGLE : 0, &diag);
            status = 2;
        }
        if (rc != PK_OK) {
            char buf[2048];
            fprintf(stderr, "presskit: %s\n", pk_diag_format(&diag, buf, sizeof buf));
            pk_sink_free(sink);
            free(r.ring);
            pthread_mutex_destroy(&r.dirs_lock);
            pthread_cond_destroy(&r.committed);
            pthread_cond_destroy(&r.finished);
            pthread_mutex_destroy(&r.lock);
            return status;
        }
    }

    /* The progress line needs the total: a walk of its own, names only. */
    progress prog = {0};
    size_t total_seen = 0;
    if (!b->quiet && isatty(STDERR_FILENO)) {
        long n = inputs_count_all(src);
        total_seen = n > 0 ? (size_t)n : 0;
        prog.on = total_seen >= 100;
    }

    pthread_t *threads = NULL;
    unsigned started = 0;
    if (jobs > 1) {
        threads = calloc(jobs, sizeof *threads);
        for (unsigned t = 0; threads && t < jobs; t++)
            if (pthread_create(&threads[t], NULL, worker, &r) == 0)
                started++;
    }

    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.last = prog.start;
    for (size_t i = 0;; i++) {
        slot *s = &r.ring[i % r.window];
        if (batch_interrupted)
            break;
        if (started) {
            pthread_mutex_lock(&r.lock);
            while (!(i < r.next && s->done) &&
                   !((r.ended || r.stop) && i >= r.next))
                pthread_cond_wait(&r.finished, &r.lock);
            bool skipped = !(i < r.next && s->done);
            pthread_mutex_unlock(&r.lock);
            if (skipped)
                break;
        } else {
            if (r.stop)
                break;
            int got = inputs_next(src, &s->in);
            if (got <= 0) {
                r.ended = true;
                r.out_of_memory = got < 0;
                break;
            }
            r.next = i + 1;
            process(&r, s);
        }
        /* An input cut short by the signal is neither done nor failed. */
        if (batch_interrupted)
            break;
        done++;
        if (s->warnings || s->warnings_json) {
            progress_clear(&prog);
            if (s->warnings)
                fputs(s->warnings, stderr);
            if (s->warnings_json && b->errors_json)
                fputs(s->warnings_json, b->errors_json);
            free(s->warnings);
            free(s->warnings_json);
            s->warnings = s->warnings_json = NULL;
        }
        if (s->failed) {
            failed++;
            progress_clear(&prog);
            fprintf(stderr, "%s\n", s->message);
            if (s->diag)
                error_json(b->errors_json, s->diag, "error");
            if (b->fail_fast) {
                pthread_mutex_lock(&r.lock);
                r.stop = true;
                pthread_cond_broadcast(&r.committed);
                pthread_mutex_unlock(&r.lock);
            }
        } else if (s->doc) {
            if (!output_failed) {
                pk_diag wd = PK_DIAG_INIT;
                if (b->writer->writer->write(state, s->doc, &wd) != PK_OK) {
                    char buf[2048];
                    if (!wd.file[0])
                        snprintf(wd.file, sizeof wd.file, "%s", s->in.name);
                    progress_clear(&prog);
                    fprintf(stderr, "%s\n", pk_diag_format(&wd, buf, sizeof buf));
                    error_json(b->errors_json, &wd, "error");
                    failed++;
                    if (pk_sink_error(sink))
                        output_failed = true;
                    else if (b->fail_fast)
                        r.stop = true;
                }
            }
        }
        slot_clear(s);
        pthread_mutex_lock(&r.lock);
        r.consumed = i + 1;
        pthread_cond_broadcast(&r.committed);
        pthread_mutex_unlock(&r.lock);
        if (total_seen < done)
            total_seen = done;
        progress_show(&prog, done, total_seen);
    }
    progress_clear(&prog);

    pthread_mutex_lock(&r.lock);
    r.stop = true;
    pthread_cond_broadcast(&r.committed);
    pthread_mutex_unlock(&r.lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    for (size_t i = r.consumed; i < r.next; i++)
        slot_clear(&r.ring[i % r.window]);
    /* The messages below name the number of inputs: count the ones the
     * run stopped short of (names only). */
    size_t total = r.next;
    if (!r.ended) {
        long rest = inputs_drain(src);
        if (rest < 0)
            r.out_of_memory = true;
        else
            total += (size_t)rest;
    }

    if (streaming) {
        pk_diag cd = PK_DIAG_INIT;
        int rc = b->writer->writer->close(state, &cd);
        /* An interrupted run leaves existing outputs as they were. */
        if (rc == PK_OK && !output_failed && !batch_interrupted &&
            !r.out_of_memory)
            rc = pk_sink_commit(sink, &cd);
        if (rc != PK_OK || output_failed) {
            char buf[2048];
            if (cd.status != PK_OK)
                fprintf(stderr, "presskit: %s\n", pk_diag_format(&cd, buf, sizeof buf));
            else
                fprintf(stderr, "presskit: %s: cannot write the output\n",
                        pk_sink_name(sink));
            error_json(b->errors_json, &cd, "error");
            output_failed = true;
        }
        pk_sink_free(sink);
    }
    for (size_t i = 0; i < OUTDIR_CACHE; i++)
        free(r.dirs[i].path);
    pthread_mutex_destroy(&r.dirs_lock);
    pthread_cond_destroy(&r.committed);
    pthread_cond_destroy(&r.finished);
    pthread_mutex_destroy(&r.lock);
    free(r.ring);

    if (batch_interrupted) {
        fprintf(stderr, "presskit: interrupted after %zu of %zu inputs; "
                "no partial output was left\n", done, total);
        return 128 + batch_interrupted;
    }
    if (r.out_of_memory) {
        fprintf(stderr, "presskit: out of memory\n");
        return 2;
    }
    size_t skipped = total - done;
    if ((failed || skipped) && !b->quiet && total > 1) {
        if (skipped)
            fprintf(stderr, "presskit: %zu of %zu inputs failed, %zu not converted (--fail-fast)\n",
                    failed, total, skipped);
        else
            fprintf(stderr, "presskit: %zu of %zu inputs failed\n", failed,
                    total);
    }
    return failed || skipped || output_failed ? 1 : 0;
}
