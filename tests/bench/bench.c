/*
 * bench.c - pk-bench: how fast presskit converts a corpus, next to what
 * the two parsers it is built on cost by themselves.
 *
 *     pk-bench baseline PATH...         the baseline, in this process
 *     pk-bench baseline-write DIR OUT   the baseline, plus one output file
 *                                       per release written the way -O does
 *     pk-bench run --presskit BIN --corpus N=DIR [--corpus N=DIR]...
 *                  [--out DIR] [--reps R] [--jobs J] [--one FILE]
 *                  [--one-runs K] [--configs LIST]
 *
 * The baseline is the floor no converter built on libyaml and cmark can
 * beat: walk the directory as the CLI does (sorted, hidden entries
 * skipped), read every file the way the CLI reads it, parse its front
 * matter with libyaml's event API (every event), parse its body with
 * cmark and render it to HTML.  No presskit code runs.
 *
 * "run" times the baseline and the real presskit binary as child
 * processes, alternately (every presskit run sits between two baseline
 * runs and is compared with their mean), so a ratio stays meaningful on
 * a machine other work is slowing down.  Peak RSS is each child's
 * ru_maxrss from wait4(); this process stays small because a child's
 * figure includes the RSS of the process that spawned it.  Results are a
 * Markdown report on stdout; progress goes to stderr.
 *
 * See tests/bench/README.md and docs/PERFORMANCE.md.
 */
#define _GNU_SOURCE /* strcasecmp, posix_spawn file actions */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmark.h>
#include <yaml.h>

extern char **environ;

/* The baseline ----------------------------------------------------------*/

typedef struct totals {
    unsigned long long files, bytes, events, html;
    const char *out;       /* baseline-write: the output directory */
    unsigned long long serial;
} totals;

/* The CLI's read_all (core/cli/batch.c): open, fstat for the size, one
 * buffer of size + 1, read until EOF -- which a regular file read to its
 * size with room to spare has reached, with no read to be told so. */
static int read_file(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    size_t cap = 64 * 1024, n = 0, size = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
        size = (size_t)st.st_size;
        cap = size + 1;
    }
    char *buf = malloc(cap);
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                err = ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno != EINTR)
                err = errno;
        } else if (r == 0) {
            break;
        } else {
            n += (size_t)r;
            if (size && n == size && n < cap)
                break;
        }
    }
    close(fd);
    if (err) {
        free(buf);
        return err;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* True if the line at p is marker and blanks (the reader's rule). */
static bool delimiter(const char *p, const char *end, const char *marker)
{
    size_t n = strlen(marker);
    if ((size_t)(end - p) < n || memcmp(p, marker, n) != 0)
        return false;
    for (p += n; p < end && *p != '\n'; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

static const char *line_after(const char *p, const char *end)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    return lf ? lf + 1 : end;
}

/* mkdir -p of the directory part of path, as the file sink does it. */
static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
        *p = '/';
        if (rc)
            return -1;
    }
    return 0;
}

/* Writes data into out/rel (extension .html) the way pk_sink_new_file
 * and pk_sink_commit do: parent directories, a temporary file beside
 * the target, rename. */
static int write_output(totals *t, const char *rel, const char *data,
                        size_t len)
{
    char path[4096], tmp[4200];
    const char *dot = strrchr(rel, '.');
    int stem = dot ? (int)(dot - rel) : (int)strlen(rel);
    snprintf(path, sizeof path, "%s/%.*s.html", t->out, stem, rel);
    if (make_parents(path))
        return -1;
    snprintf(tmp, sizeof tmp, "%s.pk.%ld.%llu.tmp", path, (long)getpid(),
             t->serial++);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            close(fd);
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0)
        return -1;
    return 0;
}

/* Parses one release; returns 0 or -1 (with a message). */
static int baseline_one(totals *t, const char *path, const char *rel)
{
    char *data = NULL;
    size_t len = 0;
    int err = read_file(path, &data, &len);
    if (err) {
        fprintf(stderr, "pk-bench: %s: %s\n", path, strerror(err));
        return -1;
    }
    const char *end = data + len, *yaml = NULL, *body = data;
    size_t yaml_len = 0;
    if (delimiter(data, end, "---")) {
        const char *p = yaml = line_after(data, end);
        while (p < end && !delimiter(p, end, "---") && !delimiter(p, end, "..."))
            p = line_after(p, end);
        yaml_len = (size_t)(p - yaml);
        body = line_after(p, end);
    }

    yaml_parser_t parser;
    yaml_event_t ev;
    int rc = 0;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)(yaml ? yaml : ""),
                                 yaml_len);
    for (;;) {
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "pk-bench: %s: YAML: %s\n", path,
                    parser.problem ? parser.problem : "error");
            rc = -1;
            break;
        }
        t->events++;
        yaml_event_type_t type = ev.type;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&parser);

    cmark_node *doc = cmark_parse_document(body, (size_t)(end - body),
                                           CMARK_OPT_DEFAULT);
    char *html = doc ? cmark_render_html(doc, CMARK_OPT_DEFAULT) : NULL;
    if (!html) {
        fprintf(stderr, "pk-bench: %s: cmark failed\n", path);
        rc = -1;
    } else {
        size_t n = strlen(html);
        t->html += n;
        if (t->out && write_output(t, rel, html, n) != 0) {
            fprintf(stderr, "pk-bench: %s: cannot write: %s\n", rel,
                    strerror(errno));
            rc = -1;
        }
    }
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(doc);
    t->files++;
    t->bytes += len;
    free(data);
    return rc;
}

static bool is_release(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name &&
           (strcasecmp(dot + 1, "md") == 0 || strcasecmp(dot + 1, "markdown") == 0);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Walks dir as core/cli/inputs.c does: names in byte order, hidden ones
 * skipped, typed by d_type (lstat when unknown), directories recursed,
 * files kept by extension. */
static int walk(totals *t, const char *dir, const char *rel)
{
    struct dirent **names;
    int n = scandir(dir, &names, not_hidden, by_name);
    if (n < 0) {
        fprintf(stderr, "pk-bench: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[4096], sub[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]->d_name);
        bool typed = false;
#ifdef _DIRENT_HAVE_D_TYPE
        if (names[i]->d_type != DT_UNKNOWN) {
            st.st_mode = names[i]->d_type == DT_DIR ? S_IFDIR : S_IFREG;
            typed = true;
        }
#endif
        if (rc == 0 && (typed || lstat(path, &st) == 0)) {
            if (S_ISDIR(st.st_mode))
                rc = walk(t, path, sub);
            else if (is_release(names[i]->d_name))
                rc = baseline_one(t, path, sub);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int baseline_main(int argc, char **argv, const char *out)
{
    totals t = {0, 0, 0, 0, out, 0};
    for (int i = 0; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "pk-bench: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        const char *base = strrchr(argv[i], '/');
        int rc = S_ISDIR(st.st_mode)
                     ? walk(&t, argv[i], "")
                     : baseline_one(&t, argv[i], base ? base + 1 : argv[i]);
        if (rc)
            return 1;
    }
    printf("files=%llu bytes=%llu events=%llu html=%llu\n", t.files, t.bytes,
           t.events, t.html);
    return 0;
}

/* Children ---------------------------------------------------------------*/

typedef struct measure {
    double wall;   /* seconds */
    double cpu;    /* user + system seconds */
    long rss_kb;   /* peak resident set */
} measure;

static double mb(long kb)
{
    return (double)kb / 1024.0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static const char *errlog;  /* children's stderr */

/* Starts argv with stdout to out (NULL: /dev/null), stderr to errlog. */
static pid_t start(char *const argv[], const char *out)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_addopen(&fa, 2, errlog,
                                     O_WRONLY | O_CREAT | O_APPEND, 0666);
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        fprintf(stderr, "pk-bench: cannot run %s: %s\n", argv[0], strerror(rc));
        exit(1);
    }
    return pid;
}

/* Waits for pid; a child that fails ends the benchmark: its numbers
 * would be meaningless. */
static void finish(pid_t pid, char *const argv[], struct rusage *ru)
{
    int status;
    while (wait4(pid, &status, 0, ru) < 0) {
        if (errno != EINTR) {
            perror("pk-bench: wait4");
            exit(1);
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "pk-bench: failed (status %d):", status);
        for (char *const *a = argv; *a; a++)
            fprintf(stderr, " %s", *a);
        fprintf(stderr, "\n  see %s\n", errlog);
        exit(1);
    }
}

/* Runs argv once (copies at once if copies is 2) and measures it. */
static measure run(char *const argv[], const char *out, int copies)
{
    struct rusage ru[2];
    pid_t pid[2];
    double t0 = now();
    for (int i = 0; i < copies; i++)
        pid[i] = start(argv, out);
    for (int i = 0; i < copies; i++)
        finish(pid[i], argv, &ru[i]);
    measure m = {now() - t0, 0, 0};
    for (int i = 0; i < copies; i++) {
        m.cpu += tv(ru[i].ru_utime) + tv(ru[i].ru_stime);
        if (ru[i].ru_maxrss > m.rss_kb)
            m.rss_kb = ru[i].ru_maxrss;
    }
    return m;
}

static void remove_tree(const char *dir)
{
    char *argv[] = {"/bin/rm", "-rf", (char *)dir, NULL};
    run(argv, NULL, 1);
}

/* The runs ----------------------------------------------------------------*/

enum kind { BASELINE, PRESSKIT, REFERENCE, PAIR };

typedef struct config {
    const char *key;      /* for --configs */
    const char *label;
    enum kind kind;
    const char *writer;   /* PRESSKIT */
    bool many_jobs;       /* -j J instead of -j 1 */
    bool one_output;      /* -o FILE instead of -O DIR */
} config;

static const config configs[] = {
    {"json1", "md → json -O, -j1", PRESSKIT, "json", false, false},
    {"jsonN", "md → json -O, -jN", PRESSKIT, "json", true, false},
    {"atom1", "md → atom -o feed, -j1", PRESSKIT, "atom", false, true},
    {"atomN", "md → atom -o feed, -jN", PRESSKIT, "atom", true, true},
    {"text1", "md → text -O, -j1", PRESSKIT, "text", false, false},
    {"xhtml1", "md → xhtml -O, -j1", PRESSKIT, "xhtml", false, false},
    {"write", "ref: baseline + one HTML file per release", REFERENCE, NULL, false, false},
    {"pair", "ref: two baselines at once", PAIR, NULL, false, false},
};
enum { NCONFIGS = sizeof configs / sizeof configs[0], MAX_REPS = 32,
       MAX_CORPORA = 8 };

typedef struct sample {
    measure m;
    double base_wall, base_cpu;   /* mean of the baselines either side */
} sample;

typedef struct corpus {
    unsigned long n;
    const char *dir;
    unsigned reps;               /* --reps in force when it was named */
    bool enabled[NCONFIGS];      /* --configs in force when it was named */
    unsigned long long files, bytes;
    measure base[MAX_REPS * (NCONFIGS + 1)];
    size_t nbase;
    sample s[NCONFIGS][MAX_REPS];
} corpus;

typedef struct options {
    const char *presskit;
    const char *self;
    const char *out;
    const char *one;
    unsigned reps, jobs, one_runs;  /* reps: for the next --corpus */
    bool enabled[NCONFIGS];         /* for the next --corpus */
    corpus *corpora;
    size_t ncorpora;
} options;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs the baseline on c; returns its measure and checks the counts. */
static measure baseline(const options *o, corpus *c)
{
    char counts[4200];
    snprintf(counts, sizeof counts, "%s/baseline.out", o->out);
    char *argv[] = {(char *)o->self, "baseline", (char *)c->dir, NULL};
    measure m = run(argv, counts, 1);
    FILE *fp = fopen(counts, "r");
    unsigned long long files = 0, bytes = 0;
    if (!fp || fscanf(fp, "files=%llu bytes=%llu", &files, &bytes) != 2) {
        fprintf(stderr, "pk-bench: no counts from the baseline in %s\n", counts);
        exit(1);
    }
    fclose(fp);
    c->files = files;
    c->bytes = bytes;
    return m;
}

/* Runs config k once on c. */
static measure run_config(const options *o, const corpus *c, size_t k)
{
    const config *cf = &configs[k];
    char target[4200], jobs[16];
    snprintf(target, sizeof target, "%s/run", o->out);
    remove_tree(target);
    measure m;
    if (cf->kind == REFERENCE) {
        char *argv[] = {(char *)o->self, "baseline-write", (char *)c->dir,
                        target, NULL};
        m = run(argv, NULL, 1);
    } else if (cf->kind == PAIR) {
        char *argv[] = {(char *)o->self, "baseline", (char *)c->dir, NULL};
        m = run(argv, NULL, 2);
    } else {
        snprintf(jobs, sizeof jobs, "%u", cf->many_jobs ? o->jobs : 1);
        if (cf->one_output) {
            mkdir(target, 0777);
            snprintf(target + strlen(target), sizeof target - strlen(target),
                     "/feed.%s", cf->writer);
        }
        char *argv[] = {(char *)o->presskit, "-q", "-t", (char *)cf->writer,
                        "-j", jobs, cf->one_output ? "-o" : "-O", target,
                        (char *)c->dir, NULL};
        m = run(argv, NULL, 1);
    }
    return m;
}

static void bench_corpus(const options *o, corpus *c)
{
    fprintf(stderr, "pk-bench: N=%lu (%s): warming up\n", c->n, c->dir);
    baseline(o, c); /* the page cache, and the counts */
    if (c->files != c->n)
        fprintf(stderr, "pk-bench: warning: %s holds %llu releases, not %lu\n",
                c->dir, c->files, c->n);
    for (unsigned r = 0; r < c->reps; r++) {
        measure before = baseline(o, c);
        c->base[c->nbase++] = before;
        for (size_t k = 0; k < NCONFIGS; k++) {
            if (!c->enabled[k])
                continue;
            measure m = run_config(o, c, k);
            measure after = baseline(o, c);
            c->base[c->nbase++] = after;
            sample *s = &c->s[k][r];
            s->m = m;
            s->base_wall = (before.wall + after.wall) / 2;
            s->base_cpu = (before.cpu + after.cpu) / 2;
            fprintf(stderr, "pk-bench: N=%lu rep %u: %-8s %7.3f s wall %7.3f s cpu "
                    "%6.1f MB  (baseline %.3f s)\n", c->n, r + 1,
                    configs[k].key, m.wall, m.cpu, mb(m.rss_kb),
                    s->base_wall);
            before = after;
        }
    }
    char target[4200];
    snprintf(target, sizeof target, "%s/run", o->out);
    remove_tree(target);
}

/* Medians of one config over the reps. */
typedef struct summary {
    double wall, cpu, ratio_wall, ratio_cpu;
    long rss_kb;
} summary;

static summary summarise(const corpus *c, size_t k)
{
    double w[MAX_REPS], u[MAX_REPS], rw[MAX_REPS], ru[MAX_REPS];
    summary s = {0, 0, 0, 0, 0};
    for (unsigned r = 0; r < c->reps; r++) {
        const sample *x = &c->s[k][r];
        w[r] = x->m.wall;
        u[r] = x->m.cpu;
        rw[r] = x->base_wall / x->m.wall;
        ru[r] = x->base_cpu / x->m.cpu;
        if (x->m.rss_kb > s.rss_kb)
            s.rss_kb = x->m.rss_kb;
    }
    s.wall = median(w, c->reps);
    s.cpu = median(u, c->reps);
    s.ratio_wall = median(rw, c->reps);
    s.ratio_cpu = median(ru, c->reps);
    return s;
}

static summary summarise_baseline(const corpus *c)
{
    double w[MAX_REPS * (NCONFIGS + 1)], u[MAX_REPS * (NCONFIGS + 1)];
    summary s = {0, 0, 1, 1, 0};
    for (size_t i = 0; i < c->nbase; i++) {
        w[i] = c->base[i].wall;
        u[i] = c->base[i].cpu;
        if (c->base[i].rss_kb > s.rss_kb)
            s.rss_kb = c->base[i].rss_kb;
    }
    s.wall = median(w, c->nbase);
    s.cpu = median(u, c->nbase);
    return s;
}

/* Median over the reps of t(a) / t(b), each pair from one rep. */
static double speedup(const corpus *c, size_t a, size_t b)
{
    double v[MAX_REPS];
    for (unsigned r = 0; r < c->reps; r++)
        v[r] = c->s[a][r].m.wall / c->s[b][r].m.wall;
    return median(v, c->reps);
}

static void row(const corpus *c, const char *label, const summary *s,
                bool ratios)
{
    double megabytes = (double)c->bytes / 1e6;
    printf("| %s | %.3f | %.3f | %.0f | %.1f | %.0f | %.1f |", label, s->wall,
           s->cpu, (double)c->files / s->wall, megabytes / s->wall,
           s->cpu / (double)c->files * 1e6, mb(s->rss_kb));
    if (ratios)
        printf(" %.2f× | %.2f× |\n", s->ratio_wall, s->ratio_cpu);
    else
        printf(" 1 | 1 |\n");
}

static size_t config_index(const char *key)
{
    for (size_t k = 0; k < NCONFIGS; k++)
        if (strcmp(configs[k].key, key) == 0)
            return k;
    return NCONFIGS;
}

/* The whole-process time of one conversion, and of its parts. */
enum { ONE_KINDS = 4, ONE_MAX = 512 };
typedef struct one_result {
    const char *label[ONE_KINDS];
    double median[ONE_KINDS], min[ONE_KINDS], cpu[ONE_KINDS];
    long rss_kb[ONE_KINDS];
    unsigned runs;
    long long size;
    bool done;
} one_result;

static void one_release(const options *o, one_result *res)
{
    char *convert[] = {(char *)o->presskit, "-t", "json", (char *)o->one, NULL};
    char *version[] = {(char *)o->presskit, "--version", NULL};
    char *list[] = {(char *)o->presskit, "--list-writers", NULL};
    char *base[] = {(char *)o->self, "baseline", (char *)o->one, NULL};
    char **argv[ONE_KINDS] = {convert, version, list, base};
    static const char *const labels[ONE_KINDS] = {
        "`presskit -t json one.md` (the figure)",
        "`presskit --version` (exec + libpresskit, no plugin loaded)",
        "`presskit --list-writers` (exec + the plugin index, no plugin loaded)",
        "`pk-bench baseline one.md` (exec + libyaml + cmark, one release)",
    };
    static double t[ONE_KINDS][ONE_MAX], u[ONE_KINDS][ONE_MAX];
    unsigned k = o->one_runs < ONE_MAX ? o->one_runs : ONE_MAX;
    struct stat st;

    if (stat(o->one, &st) != 0) {
        fprintf(stderr, "pk-bench: %s: %s\n", o->one, strerror(errno));
        exit(1);
    }
    fprintf(stderr, "pk-bench: one release (%s), %u runs each\n", o->one, k);
    for (size_t i = 0; i < ONE_KINDS; i++)
        run(argv[i], NULL, 1); /* warm */
    memset(res, 0, sizeof *res);
    /* Interleaved, like everything else. */
    for (unsigned r = 0; r < k; r++) {
        for (size_t i = 0; i < ONE_KINDS; i++) {
            measure m = run(argv[i], NULL, 1);
            t[i][r] = m.wall;
            u[i][r] = m.cpu;
            if (m.rss_kb > res->rss_kb[i])
                res->rss_kb[i] = m.rss_kb;
        }
    }
    for (size_t i = 0; i < ONE_KINDS; i++) {
        res->label[i] = labels[i];
        res->median[i] = median(t[i], k);
        res->min[i] = t[i][0]; /* sorted by median() */
        res->cpu[i] = median(u[i], k);
    }
    res->runs = k;
    res->size = (long long)st.st_size;
    res->done = true;
}

static void one_print(const options *o, const one_result *res)
{
    printf("\n### One release, whole process\n\n");
    printf("`%s` (%lld bytes); median of %u runs each, the four commands "
           "interleaved; stdout to /dev/null.\n\n", o->one, res->size,
           res->runs);
    printf("| command | median wall ms | min wall ms | median CPU ms | "
           "peak RSS MB |\n|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < ONE_KINDS; i++)
        printf("| %s | %.2f | %.2f | %.2f | %.1f |\n", res->label[i],
               res->median[i] * 1e3, res->min[i] * 1e3, res->cpu[i] * 1e3,
               mb(res->rss_kb[i]));
}

/* True if every corpus from..to ran config k. */
static bool ran(const corpus *c, size_t k)
{
    return k < NCONFIGS && c->enabled[k];
}

static void report(const options *o, const one_result *one)
{
    size_t json1 = config_index("json1"), jsonN = config_index("jsonN");
    size_t atom1 = config_index("atom1");

    printf("## presskit bulk conversion benchmark\n\n");
    printf("%ld CPUs online, -jN = -j%u. Every run is a child process; "
           "each presskit run sits between two baseline runs and is "
           "compared with their mean; figures are medians over the reps. "
           "Ratios are throughput relative to the baseline (higher is "
           "better, 1 = as fast as the baseline). CPU = user + system time "
           "of the child.\n",
           sysconf(_SC_NPROCESSORS_ONLN), o->jobs);
    for (size_t i = 0; i < o->ncorpora; i++) {
        const corpus *c = &o->corpora[i];
        summary b = summarise_baseline(c);
        printf("\n### N = %lu (%llu releases, %.1f MB, mean %.0f bytes; "
               "%u rep%s)\n\n", c->n, c->files, (double)c->bytes / 1e6,
               c->files ? (double)c->bytes / (double)c->files : 0.0, c->reps,
               c->reps == 1 ? "" : "s");
        printf("| run | wall s | CPU s | releases/s | MB/s | CPU µs/release | "
               "peak RSS MB | vs baseline (wall) | vs baseline (CPU) |\n");
        printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        row(c, "baseline: libyaml events + cmark parse/HTML", &b, false);
        for (size_t k = 0; k < NCONFIGS; k++) {
            if (!c->enabled[k])
                continue;
            summary s = summarise(c, k);
            if (configs[k].kind == PAIR) {
                /* Twice the work: per-release figures are for one copy. */
                printf("| %s | %.3f | %.3f | %.0f | %.1f | %.0f | %.1f | "
                       "parallel capacity %.2f× | |\n", configs[k].label,
                       s.wall, s.cpu, 2.0 * (double)c->files / s.wall,
                       2.0 * (double)c->bytes / 1e6 / s.wall,
                       s.cpu / (2.0 * (double)c->files) * 1e6, mb(s.rss_kb),
                       2.0 * s.ratio_wall);
                continue;
            }
            row(c, configs[k].label, &s, true);
        }
        if (ran(c, json1) && ran(c, jsonN))
            printf("\n-j%u speed-up over -j1 (md → json -O, same rep): %.2f×\n",
                   o->jobs, speedup(c, json1, jsonN));
    }

    if (o->ncorpora > 1) {
        printf("\n### Work per release as N grows\n\n");
        printf("| N | baseline CPU µs | json -O -j1 CPU µs | json -O -j1 wall µs | "
               "json -O -j1 peak RSS MB | json -O -jN peak RSS MB |\n");
        printf("|---:|---:|---:|---:|---:|---:|\n");
        for (size_t i = 0; i < o->ncorpora; i++) {
            const corpus *c = &o->corpora[i];
            summary b = summarise_baseline(c);
            double n = (double)c->files;
            printf("| %lu | %.0f", c->n, b.cpu / n * 1e6);
            if (ran(c, json1)) {
                summary s = summarise(c, json1);
                printf(" | %.0f | %.0f | %.1f", s.cpu / n * 1e6, s.wall / n * 1e6,
                       mb(s.rss_kb));
            } else {
                printf(" | | |");
            }
            if (ran(c, jsonN))
                printf(" | %.1f |\n", mb(summarise(c, jsonN).rss_kb));
            else
                printf(" | |\n");
        }
    }

    /* The targets of issue 7, each on the largest corpus that ran it. */
    printf("\n### Targets (issue 7)\n\n| target | measured | |\n|---|---|---|\n");
    const corpus *big1 = NULL, *bigN = NULL, *c10k = NULL, *c100k = NULL,
                 *first1 = NULL, *atom = NULL;
    for (size_t i = 0; i < o->ncorpora; i++) {
        const corpus *c = &o->corpora[i];
        if (ran(c, json1)) {
            big1 = c;
            if (!first1)
                first1 = c;
            if (c->n == 10000)
                c10k = c;
            if (c->n == 100000)
                c100k = c;
        }
        if (ran(c, json1) && ran(c, jsonN))
            bigN = c;
        if (ran(c, atom1) && (!atom || atom->n != 10000))
            atom = c;
    }
    if (big1) {
        double r = summarise(big1, json1).ratio_wall;
        printf("| md→json -O -j1 ≥ 0.7× baseline | %.2f× (N=%lu) | %s |\n", r,
               big1->n, r >= 0.7 ? "met" : "NOT met");
    }
    if (bigN) {
        double r = speedup(bigN, json1, jsonN);
        printf("| -j%u ≥ 1.7× own -j1 | %.2f× (N=%lu) | %s |\n", o->jobs, r,
               bigN->n, r >= 1.7 ? "met" : "NOT met");
    }
    if (atom) {
        double r = summarise(atom, atom1).ratio_wall;
        printf("| md→atom (-j1) over 10k ≥ 0.6× baseline | %.2f× (N=%lu) | %s |\n",
               r, atom->n, r >= 0.6 ? "met" : "NOT met");
    }
    if (c10k && c100k) {
        long a = summarise(c10k, json1).rss_kb, b = summarise(c100k, json1).rss_kb;
        bool ok = b < 64 * 1024 && (double)b <= 1.1 * (double)a;
        printf("| peak RSS md→json -O -j1 at 100k < 64 MB and within 10%% of "
               "10k | %.1f MB vs %.1f MB (%+.0f%%) | %s |\n", mb(b),
               mb(a), ((double)b / (double)a - 1) * 100,
               ok ? "met" : "NOT met");
    } else {
        printf("| peak RSS md→json -O at 100k < 64 MB, within 10%% of 10k | "
               "needs N=10000 and N=100000 (--large) | |\n");
    }
    if (first1 && big1 && first1 != big1) {
        double a = summarise(first1, json1).cpu / (double)first1->files;
        double b = summarise(big1, json1).cpu / (double)big1->files;
        double ba = summarise_baseline(first1).cpu / (double)first1->files;
        double bb = summarise_baseline(big1).cpu / (double)big1->files;
        printf("| constant per-release work | json -O -j1 CPU per release "
               "N=%lu→%lu: %+.0f%% (baseline %+.0f%%) | %s |\n", first1->n,
               big1->n, (b / a - 1) * 100, (bb / ba - 1) * 100,
               b / a <= 1.1 ? "met" : "NOT met");
    }
    if (one->done)
        printf("| one release, whole process < 5 ms median | %.2f ms wall "
               "(%.2f ms CPU) | %s |\n", one->median[0] * 1e3,
               one->cpu[0] * 1e3, one->median[0] < 0.005 ? "met" : "NOT met");
}

static void usage(void)
{
    fprintf(stderr,
            "usage: pk-bench baseline PATH...\n"
            "       pk-bench baseline-write DIR OUT\n"
            "       pk-bench run --presskit BIN --corpus N=DIR [--corpus N=DIR]...\n"
            "                [--out DIR] [--reps R] [--jobs J] [--one FILE]\n"
            "                [--one-runs K] [--configs KEY,...]\n"
            "configs:");
    for (size_t k = 0; k < NCONFIGS; k++)
        fprintf(stderr, " %s", configs[k].key);
    fprintf(stderr, " (default: all)\n");
    exit(2);
}

static unsigned number(const char *s, unsigned max)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v == 0 || v > max)
        usage();
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "baseline") == 0)
        return baseline_main(argc - 2, argv + 2, NULL);
    if (argc == 4 && strcmp(argv[1], "baseline-write") == 0)
        return baseline_main(1, argv + 2, argv[3]);
    if (argc < 2 || strcmp(argv[1], "run") != 0)
        usage();

    static corpus corpora[MAX_CORPORA];
    static char self[4096], out[4096], log[4200];
    options o = {0};
    o.reps = 3;
    o.one_runs = 50;
    o.jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    o.corpora = corpora;
    for (size_t k = 0; k < NCONFIGS; k++)
        o.enabled[k] = true;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        i++;
        if (strcmp(a, "--presskit") == 0) {
            o.presskit = v;
        } else if (strcmp(a, "--out") == 0) {
            o.out = v;
        } else if (strcmp(a, "--one") == 0) {
            o.one = v;
        } else if (strcmp(a, "--reps") == 0) {
            o.reps = number(v, MAX_REPS);
        } else if (strcmp(a, "--jobs") == 0) {
            o.jobs = number(v, 1024);
        } else if (strcmp(a, "--one-runs") == 0) {
            o.one_runs = number(v, 512);
        } else if (strcmp(a, "--configs") == 0) {
            char list[512];
            snprintf(list, sizeof list, "%s", v);
            for (size_t k = 0; k < NCONFIGS; k++)
                o.enabled[k] = false;
            for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
                size_t k = config_index(t);
                if (k == NCONFIGS)
                    usage();
                o.enabled[k] = true;
            }
        } else if (strcmp(a, "--corpus") == 0) {
            const char *eq = strchr(v, '=');
            if (!eq || o.ncorpora == MAX_CORPORA)
                usage();
            corpus *c = &corpora[o.ncorpora++];
            c->n = strtoul(v, NULL, 10);
            c->dir = eq + 1;
            c->reps = o.reps;
            memcpy(c->enabled, o.enabled, sizeof c->enabled);
        } else {
            usage();
        }
    }
    if (!o.presskit || !o.ncorpora)
        usage();
    /* Children are started by path: make ours absolute. */
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        perror("pk-bench: /proc/self/exe");
        return 1;
    }
    self[n] = '\0';
    o.self = self;
    if (!o.out) {
        struct stat st;
        const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(out, sizeof out, "%s/pk-bench.%ld",
                 stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : tmp,
                 (long)getpid());
        o.out = out;
    }
    if (mkdir(o.out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pk-bench: %s: %s\n", o.out, strerror(errno));
        return 1;
    }
    snprintf(log, sizeof log, "%s/stderr.log", o.out);
    errlog = log;

    for (size_t i = 0; i < o.ncorpora; i++)
        bench_corpus(&o, &corpora[i]);
    static one_result one;
    if (o.one)
        one_release(&o, &one);
    report(&o, &one);
    if (one.done)
        one_print(&o, &one);

    struct rusage self_ru;
    getrusage(RUSAGE_SELF, &self_ru);
    printf("\npk-bench's own peak RSS: %.1f MB (a child's peak RSS includes "
           "it at most). Outputs were written under %s.\n",
           mb(self_ru.ru_maxrss), o.out);
    remove_tree(o.out);
    return 0;
}
