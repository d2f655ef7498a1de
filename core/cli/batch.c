/*
 * batch.c - the batch driver: read, convert and write every input, in
 * parallel, with outputs and diagnostics in input order whatever -j is.
 *
 * Workers take inputs in order.  With -O each worker also writes its
 * input's own output.  With one output stream the main thread hands the
 * documents to the writer in input order; workers never run more than a
 * window of inputs ahead of it, so memory is bounded by the window, not by
 * the number of inputs.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { WINDOW_PER_JOB = 4 };

volatile sig_atomic_t batch_interrupted;

typedef struct slot {
    bool done;
    bool failed;
    pk_doc *doc;   /* streaming mode: waiting for the writer */
    char *message; /* the formatted diagnostic, if failed */
    pk_diag *diag; /* the diagnostic itself, for --errors-json */
    char *warnings;      /* the reader's warnings, as lines for stderr */
    char *warnings_json; /* the same as JSON Lines, for --errors-json */
} slot;

typedef struct run {
    const batch *b;
    input_list *inputs;
    slot *slots;
    size_t next;       /* next input a worker takes */
    size_t consumed;   /* inputs the main thread has finished with */
    size_t window;
    bool stop;         /* --fail-fast tripped */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} run;

int read_all(const char *path, size_t limit, char **data, size_t *len)
{
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (fd < 0)
        return errno;
    struct stat st;
    size_t cap = 64 * 1024;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
        if ((unsigned long long)st.st_size > limit) {
            if (path)
                close(fd);
            return EFBIG;
        }
        cap = (size_t)st.st_size + 1;
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

/* Writes one document to its own file (-O). */
static int write_one(const batch *b, const input *in, const pk_doc *doc,
                     pk_diag *diag)
{
    char *path = output_path(b, in);
    if (!path)
        return pk_diag_set(diag, PK_ENOMEM, in->name, 0, 0, "out of memory");
    pk_sink *sink = NULL;
    void *state = NULL;
    struct stat a, o;
    int rc;
    if (in->path && stat(in->path, &a) == 0 && stat(path, &o) == 0 &&
        a.st_dev == o.st_dev && a.st_ino == o.st_ino) {
        rc = pk_diag_set(diag, PK_EINVAL, in->name, 0, 0,
                         "refusing to overwrite the input itself with %s", path);
        goto out;
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

/* Reads, validates and (with -O) writes input i.  Fills the slot. */
static void process(run *r, size_t i)
{
    const batch *b = r->b;
    input *in = &r->inputs->items[i];
    slot *s = &r->slots[i];
    pk_diag diag = PK_DIAG_INIT;
    char *data = NULL;
    size_t len = 0;
    pk_doc *doc = NULL;
    int rc = PK_OK;

    if (in->error) {
        rc = pk_diag_set(&diag, PK_EIO, in->name, 0, 0, "%s", in->error);
        goto out;
    }
    int err = read_all(in->path, b->max_input, &data, &len);
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
        rc = write_one(b, in, doc, &diag);
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

static void *worker(void *arg)
{
    run *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && !batch_interrupted && r->next < r->inputs->count &&
               r->next >= r->consumed + r->window)
            pthread_cond_wait(&r->changed, &r->lock);
        if (batch_interrupted && !r->stop) {
            /* Tell the main thread not to wait for inputs nobody takes. */
            r->stop = true;
            pthread_cond_broadcast(&r->changed);
        }
        if (r->stop || r->next >= r->inputs->count)
            break;
        size_t i = r->next++;
        pthread_mutex_unlock(&r->lock);
        process(r, i);
        pthread_mutex_lock(&r->lock);
        r->slots[i].done = true;
        pthread_cond_broadcast(&r->changed);
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

int batch_run(const batch *b, input_list *inputs)
{
    run r = {0};
    r.b = b;
    r.inputs = inputs;
    unsigned jobs = b->jobs ? b->jobs : 1;
    if (jobs > inputs->count)
        jobs = inputs->count ? (unsigned)inputs->count : 1;
    r.window = (size_t)jobs * WINDOW_PER_JOB;
    r.slots = calloc(inputs->count ? inputs->count : 1, sizeof *r.slots);
    if (!r.slots) {
        fprintf(stderr, "presskit: out of memory\n");
        return 1;
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);

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
            free(r.slots);
            return status;
        }
    }

    pthread_t *threads = NULL;
    unsigned started = 0;
    if (jobs > 1) {
        threads = calloc(jobs, sizeof *threads);
        for (unsigned t = 0; threads && t < jobs; t++)
            if (pthread_create(&threads[t], NULL, worker, &r) == 0)
                started++;
    }

    progress prog = {0};
    prog.on = !b->quiet && inputs->count >= 100 && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.last = prog.start;
    for (size_t i = 0; i < inputs->count; i++) {
        slot *s = &r.slots[i];
        if (batch_interrupted)
            break;
        if (started) {
            pthread_mutex_lock(&r.lock);
            while (!s->done && !(r.stop && i >= r.next))
                pthread_cond_wait(&r.changed, &r.lock);
            bool skipped = !s->done;
            pthread_mutex_unlock(&r.lock);
            if (skipped)
                break;
        } else {
            if (r.stop)
                break;
            process(&r, i);
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
            free(s->message);
            s->message = NULL;
            if (b->fail_fast) {
                pthread_mutex_lock(&r.lock);
                r.stop = true;
                pthread_cond_broadcast(&r.changed);
                pthread_mutex_unlock(&r.lock);
            }
        } else if (s->doc) {
            if (!output_failed) {
                pk_diag wd = PK_DIAG_INIT;
                if (b->writer->writer->write(state, s->doc, &wd) != PK_OK) {
                    char buf[2048];
                    if (!wd.file[0])
                        snprintf(wd.file, sizeof wd.file, "%s", inputs->items[i].name);
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
            pk_doc_free(s->doc);
            s->doc = NULL;
        }
        pthread_mutex_lock(&r.lock);
        r.consumed = i + 1;
        pthread_cond_broadcast(&r.changed);
        pthread_mutex_unlock(&r.lock);
        progress_show(&prog, done, inputs->count);
    }
    progress_clear(&prog);

    pthread_mutex_lock(&r.lock);
    r.stop = true;
    pthread_cond_broadcast(&r.changed);
    pthread_mutex_unlock(&r.lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    for (size_t i = 0; i < inputs->count; i++) {
        pk_doc_free(r.slots[i].doc);
        free(r.slots[i].message);
        free(r.slots[i].diag);
        free(r.slots[i].warnings);
        free(r.slots[i].warnings_json);
    }

    if (streaming) {
        pk_diag cd = PK_DIAG_INIT;
        int rc = b->writer->writer->close(state, &cd);
        /* An interrupted run leaves existing outputs as they were. */
        if (rc == PK_OK && !output_failed && !batch_interrupted)
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
    pthread_cond_destroy(&r.changed);
    pthread_mutex_destroy(&r.lock);
    free(r.slots);

    if (batch_interrupted) {
        fprintf(stderr, "presskit: interrupted after %zu of %zu inputs; "
                "no partial output was left\n", done, inputs->count);
        return 128 + batch_interrupted;
    }
    size_t skipped = inputs->count - done;
    if ((failed || skipped) && !b->quiet && inputs->count > 1) {
        if (skipped)
            fprintf(stderr, "presskit: %zu of %zu inputs failed, %zu not converted (--fail-fast)\n",
                    failed, inputs->count, skipped);
        else
            fprintf(stderr, "presskit: %zu of %zu inputs failed\n", failed,
                    inputs->count);
    }
    return failed || skipped || output_failed ? 1 : 0;
}
