/*
 * main.c - the presskit command: options, plugin set-up, listings, and
 * the batch.  Usage and plugin errors exit 2 before any work starts.
 */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
    OPT_LIST_READERS = 256,
    OPT_LIST_WRITERS,
    OPT_PLUGIN_PATH,
    OPT_FAIL_FAST,
    OPT_CONFIG,
    OPT_ERRORS_JSON,
    OPT_MAX_INPUT,
    OPT_LIST_PLUGINS,
    OPT_HELP_PLUGIN,
    OPT_WRITE_INDEX,
    OPT_LENIENT,
    OPT_FSYNC
};

static const char usage_text[] =
    "Usage: presskit [-f READER] -t WRITER [-o FILE | -O DIR] [-M KEY=VALUE]...\n"
    "                [-j N] [OPTION]... [INPUT]...\n"
    "Convert press releases (Markdown with YAML front matter) to other formats\n"
    "through reader and writer plugins.\n"
    "\n"
    "INPUT is a file, '-' for standard input, or a directory searched\n"
    "recursively for files a reader claims (sorted by path); with no INPUT,\n"
    "standard input is read.\n"
    "\n"
    "  -f, --from=READER      read inputs with READER (default: by extension)\n"
    "  -t, --to=WRITER        write with WRITER (see --list-writers)\n"
    "  -o, --output=FILE      write everything to FILE (default: stdout)\n"
    "  -O, --output-dir=DIR   write one file per input under DIR, keeping the\n"
    "                         layout below each input directory\n"
    "  -M, --option=KEY=VALUE set a plugin option, e.g. json.lines=true;\n"
    "                         id.authority=DOMAIN names tag: ids of releases\n"
    "                         without a url\n"
    "  -j, --jobs=N           convert N inputs at a time (0: one per CPU;\n"
    "                         default 0)\n"
    "      --config=FILE      read plugin options from a YAML file (-M wins)\n"
    "      --plugin-path=DIRS search these ':'-separated directories first\n"
    "      --fail-fast        stop at the first input that fails\n"
    "      --errors-json=FILE also write each failure to FILE as JSON Lines\n"
    "      --max-input-size=N refuse inputs over N bytes (K, M, G suffixes;\n"
    "                         default 64M)\n"
    "      --lenient          readers that can replace invalid UTF-8 (and\n"
    "                         markdown, NUL bytes) with U+FFFD do, and warn\n"
    "      --fsync            make every output durable before going on (-o\n"
    "                         FILE always is; -O outputs only with this)\n"
    "  -q, --quiet            no warnings, summary or progress line on stderr\n"
    "      --list-readers     list the reader plugins and exit\n"
    "      --list-writers     list the writer plugins and exit\n"
    "      --list-plugins     list every plugin (kind, version, file) and the\n"
    "                         files refused, then exit\n"
    "      --help-plugin=NAME describe plugin NAME and its options, then exit\n"
    "      --write-plugin-index=DIR\n"
    "                         write DIR/plugins.index, which lets presskit load\n"
    "                         only the plugins a run needs, then exit\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "Exit status: 0 all inputs converted, 1 some input failed, 2 usage or\n"
    "plugin error.  Plugins are searched in --plugin-path, then\n"
    "PRESSKIT_PLUGIN_PATH, then presskit's own plugin directory; a directory's\n"
    "plugins.index lets presskit load only the plugins a run uses.\n"
    "See presskit(1).\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "presskit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'presskit --help' for more information.\n");
    return 2;
}

/* Warns about the files refused since the last call.  Plugins are loaded
 * as they are needed (see main), so refusals can come at any point
 * before the batch starts; each is reported once. */
static void report_failures(const pk_context *ctx, bool quiet)
{
    static size_t reported;
    for (; reported < pk_context_failure_count(ctx); reported++) {
        const char *why;
        const char *file = pk_context_failure(ctx, reported, &why);
        if (!quiet)
            fprintf(stderr, "presskit: warning: %s: plugin refused: %s\n",
                    file, why);
    }
}

/* Listings read what the context knows of each plugin without loading it
 * (a deferred plugin's index line says the same as its descriptor). */
static void list(const pk_context *ctx, pk_plugin_kind kind)
{
    for (size_t i = 0; i < pk_context_entry_count(ctx); i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (!p || p->kind != kind)
            continue;
        char exts[128] = "";
        size_t off = 0;
        for (const char *const *e = p->extensions; e && *e; e++) {
            int n = snprintf(exts + off, sizeof exts - off, "%s.%s",
                             off ? "," : "", *e);
            if (n < 0 || (size_t)n >= sizeof exts - off)
                break;
            off += (size_t)n;
        }
        printf("%-10s %-8s %-18s %s\n", p->name, p->version, exts, p->summary);
    }
}

static void names(const pk_context *ctx, pk_plugin_kind kind, char *buf,
                  size_t len)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pk_context_entry_count(ctx); i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (!p || p->kind != kind)
            continue;
        int n = snprintf(buf + off, len - off, "%s%s", off ? ", " : "", p->name);
        if (n < 0 || (size_t)n >= len - off)
            break;
        off += (size_t)n;
    }
    if (!off)
        snprintf(buf, len, "none found");
}

/* --write-plugin-index DIR.  Returns the exit status. */
static int write_plugin_index(const char *dir, bool quiet)
{
    pk_context *log;
    if (pk_context_new(&log)) {
        fprintf(stderr, "presskit: out of memory\n");
        return 2;
    }
    pk_diag d = PK_DIAG_INIT;
    int rc = pk_context_write_index(log, dir, NULL, &d);
    for (size_t i = 0; !quiet && i < pk_context_failure_count(log); i++) {
        const char *why;
        const char *file = pk_context_failure(log, i, &why);
        fprintf(stderr, "presskit: warning: %s: not indexed: %s\n", file, why);
    }
    pk_context_free(log);
    if (rc != PK_OK) {
        char buf[PK_DIAG_FILE_MAX + PK_DIAG_MESSAGE_MAX + 64];
        fprintf(stderr, "presskit: %s\n", pk_diag_format(&d, buf, sizeof buf));
        return 2;
    }
    return 0;
}

static bool parse_jobs(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 1024)
        return false;
    *out = (unsigned)v;
    return true;
}

/* A size in bytes with an optional binary K, M or G suffix. */
static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return false;
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: return false;
    }
    if (*end || v == 0 || v > (SIZE_MAX >> shift))
        return false;
    *out = (size_t)(v << shift);
    return true;
}

static void on_signal(int sig)
{
    batch_interrupted = sig;
    /* A second signal ends the process at once. */
    signal(sig, SIG_DFL);
}

/* The index of the entry whose descriptor is p, or SIZE_MAX. */
static size_t entry_of(const pk_context *ctx, const pk_plugin *p)
{
    for (size_t i = 0; i < pk_context_entry_count(ctx); i++)
        if (pk_context_entry_info(ctx, i) == p)
            return i;
    return SIZE_MAX;
}

/* --lenient: set on every reader that declares a bool option "lenient",
 * before -M and --config, which may still say false. */
static bool lenient;

/* The options of entry i (opts has one slot per entry), made with the
 * defaults (and --lenient) when first needed; loads the plugin if it is
 * deferred.  NULL when it is refused, or out of memory (*oom). */
static pk_options *options_of(const pk_context *ctx, pk_options **opts,
                              size_t i, bool *oom)
{
    *oom = false;
    if (i >= pk_context_entry_count(ctx))
        return NULL;
    if (!opts[i]) {
        const pk_plugin *p = pk_context_entry_load(ctx, i);
        if (!p)
            return NULL;
        if (pk_options_new(&opts[i], p->name, p->options)) {
            *oom = true;
            return NULL;
        }
        for (const pk_option_def *d = p->options;
             lenient && p->kind == PK_PLUGIN_READER && d && d->name; d++)
            if (strcmp(d->name, "lenient") == 0 && d->type == PK_OPTION_BOOL)
                pk_options_set(opts[i], "lenient", "true", NULL);
    }
    return opts[i];
}

/* Applies one -M KEY=VALUE to the plugin(s) its namespace names: loads
 * the readers it names. */
static int apply_option(const pk_context *ctx, pk_options **opts,
                        const char *kv, const pk_plugin *writer,
                        const char **id_authority, bool quiet)
{
    const char *eq = strchr(kv, '=');
    if (!eq)
        return usage_error("-M %s: expected KEY=VALUE", kv);
    const char *dot = memchr(kv, '.', (size_t)(eq - kv));
    if (!dot || dot == kv || dot + 1 == eq)
        return usage_error("-M %s: expected a key of the form PLUGIN.NAME", kv);
    char ns[128], name[128];
    if ((size_t)(dot - kv) >= sizeof ns || (size_t)(eq - dot - 1) >= sizeof name)
        return usage_error("-M %s: key too long", kv);
    snprintf(ns, sizeof ns, "%.*s", (int)(dot - kv), kv);
    snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);
    /* The analysis pass has one option of its own. */
    if (strcmp(ns, "id") == 0) {
        if (strcmp(name, "authority") != 0)
            return usage_error("unknown option id.%s (valid: id.authority)", name);
        *id_authority = eq + 1;
        return 0;
    }
    /* The writer in use comes first, then readers of that name. */
    pk_diag first = PK_DIAG_INIT;
    bool any = false;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < pk_context_entry_count(ctx); i++) {
            const pk_plugin *p = pk_context_entry_info(ctx, i);
            bool wanted = p && (pass == 0 ? p == writer
                                          : p->kind == PK_PLUGIN_READER);
            if (!wanted || strcmp(p->name, ns) != 0)
                continue;
            bool oom;
            pk_options *o = options_of(ctx, opts, i, &oom);
            if (oom) {
                fprintf(stderr, "presskit: out of memory\n");
                return 2;
            }
            report_failures(ctx, quiet);
            if (!o)
                continue; /* refused as it loaded */
            any = true;
            pk_diag d = PK_DIAG_INIT;
            int rc = pk_options_set(o, name, eq + 1, &d);
            if (rc == PK_OK)
                return 0;
            if (rc != PK_ENOTFOUND)
                return usage_error("%s", d.message);
            if (first.status == PK_OK)
                first = d;
        }
    }
    if (!any)
        return usage_error("-M %s: no plugin in use is called that", ns);
    return usage_error("%s", first.message);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"output-dir", required_argument, NULL, 'O'},
        {"option", required_argument, NULL, 'M'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"list-readers", no_argument, NULL, OPT_LIST_READERS},
        {"list-writers", no_argument, NULL, OPT_LIST_WRITERS},
        {"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
        {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"errors-json", required_argument, NULL, OPT_ERRORS_JSON},
        {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},
        {"list-plugins", no_argument, NULL, OPT_LIST_PLUGINS},
        {"help-plugin", required_argument, NULL, OPT_HELP_PLUGIN},
        {"write-plugin-index", required_argument, NULL, OPT_WRITE_INDEX},
        {"lenient", no_argument, NULL, OPT_LENIENT},
        {"fsync", no_argument, NULL, OPT_FSYNC},
        {NULL, 0, NULL, 0},
    };
    const char *from = NULL, *to = NULL, *output = NULL, *output_dir = NULL;
    const char *plugin_path = NULL, *config = NULL, *id_authority = NULL;
    const char *errors_json = NULL;
    size_t max_input = (size_t)64 << 20;
    FILE *errors_fp = NULL;
    config_list cfg = {0};
    const char **kvs = calloc((size_t)argc + 1, sizeof *kvs);
    size_t n_kvs = 0;
    bool quiet = false, fail_fast = false, list_r = false, list_w = false;
    bool list_p = false, fsync_all = false;
    const char *help_plugin = NULL, *write_index = NULL;
    unsigned jobs = 0;
    int c, status = 2;
    pk_context *ctx = NULL;
    pk_options **opts = NULL;
    inputs *src = NULL;

    if (!kvs) {
        fprintf(stderr, "presskit: out of memory\n");
        return 2;
    }
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f:t:o:O:M:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'o': output = optarg; break;
        case 'O': output_dir = optarg; break;
        case 'M': kvs[n_kvs++] = optarg; break;
        case 'j':
            if (!parse_jobs(optarg, &jobs)) {
                status = usage_error("-j %s: expected a number of jobs from 0 to 1024", optarg);
                goto out;
            }
            break;
        case 'q': quiet = true; break;
        case 'h':
            fputs(usage_text, stdout);
            status = 0;
            goto out;
        case 'V':
            printf("presskit %s (plugin ABI %d.%d)\n", pk_version(), PK_ABI_MAJOR,
                   PK_ABI_MINOR);
            status = 0;
            goto out;
        case OPT_LIST_READERS: list_r = true; break;
        case OPT_LIST_WRITERS: list_w = true; break;
        case OPT_LIST_PLUGINS: list_p = true; break;
        case OPT_HELP_PLUGIN: help_plugin = optarg; break;
        case OPT_WRITE_INDEX: write_index = optarg; break;
        case OPT_PLUGIN_PATH: plugin_path = optarg; break;
        case OPT_FAIL_FAST: fail_fast = true; break;
        case OPT_LENIENT: lenient = true; break;
        case OPT_FSYNC: fsync_all = true; break;
        case OPT_CONFIG: config = optarg; break;
        case OPT_ERRORS_JSON: errors_json = optarg; break;
        case OPT_MAX_INPUT:
            if (!parse_size(optarg, &max_input)) {
                status = usage_error("--max-input-size %s: expected a number of "
                                     "bytes, with an optional K, M or G", optarg);
                goto out;
            }
            break;
        case ':':
            status = usage_error("%s: missing argument", argv[optind - 1]);
            goto out;
        default:
            if (optopt)
                fprintf(stderr, "presskit: -%c: unknown option\n", optopt);
            else
                fprintf(stderr, "presskit: %s: unknown option\n", argv[optind - 1]);
            fprintf(stderr, "Try 'presskit --help' for more information.\n");
            status = 2;
            goto out;
        }
    }
    if (output && output_dir) {
        status = usage_error("%s", "-o and -O cannot be used together");
        goto out;
    }
    if (write_index) {
        status = write_plugin_index(write_index, quiet);
        goto out;
    }
    /* Lazy: a plugin its directory's index describes is loaded only when
     * this run needs it - the writer, the readers -f, -M, --config and
     * the inputs name, what --help-plugin describes.  The writer and the
     * readers options name are loaded here; a reader the input walk meets
     * first is loaded then, by whichever thread walks (the context loads
     * each entry once, under its lock), and reads with its defaults.
     * Refusals met during the batch are reported after it. */
    if (pk_context_new(&ctx)) {
        fprintf(stderr, "presskit: out of memory\n");
        goto out;
    }
    const char *use_index = getenv("PRESSKIT_PLUGIN_INDEX");
    pk_context_set_lazy(ctx, !use_index || strcmp(use_index, "0") != 0);
    if (pk_context_load_default(ctx, plugin_path)) {
        fprintf(stderr, "presskit: out of memory\n");
        goto out;
    }
    if (list_p || help_plugin) {
        if (help_plugin)
            inspect_load(ctx, help_plugin);
        /* --list-plugins shows the refusals itself. */
        if (!list_p)
            report_failures(ctx, quiet);
        if (list_p)
            inspect_list_plugins(ctx);
        status = help_plugin ? inspect_help_plugin(ctx, help_plugin) : 0;
        goto out;
    }
    if (list_r || list_w) {
        report_failures(ctx, quiet);
        if (list_r)
            list(ctx, PK_PLUGIN_READER);
        if (list_w)
            list(ctx, PK_PLUGIN_WRITER);
        status = 0;
        goto out;
    }
    char avail[512];
    if (!to) {
        status = usage_error("%s", "no writer: use -t WRITER (see --list-writers)");
        goto out;
    }
    const pk_plugin *writer = pk_context_find(ctx, PK_PLUGIN_WRITER, to);
    if (!writer) {
        report_failures(ctx, quiet);
        names(ctx, PK_PLUGIN_WRITER, avail, sizeof avail);
        fprintf(stderr, "presskit: unknown writer \"%s\" (available: %s)\n", to, avail);
        goto out;
    }
    const pk_plugin *reader = NULL;
    if (from && !(reader = pk_context_find(ctx, PK_PLUGIN_READER, from))) {
        report_failures(ctx, quiet);
        names(ctx, PK_PLUGIN_READER, avail, sizeof avail);
        fprintf(stderr, "presskit: unknown reader \"%s\" (available: %s)\n", from, avail);
        goto out;
    }
    report_failures(ctx, quiet);

    /* Options for the plugins in use only, one slot per entry. */
    size_t np = pk_context_entry_count(ctx);
    opts = calloc(np ? np : 1, sizeof *opts);
    bool oom_;
    if (!opts || !options_of(ctx, opts, entry_of(ctx, writer), &oom_) ||
        (reader && !options_of(ctx, opts, entry_of(ctx, reader), &oom_)))
        goto oom;
    if (config) {
        char msg[1024];
        if (config_read(&cfg, config, msg, sizeof msg)) {
            fprintf(stderr, "presskit: %s\n", msg);
            goto out;
        }
    }
    /* The file first, so -M on the command line wins. */
    for (size_t i = 0; i < cfg.count; i++)
        if ((status = apply_option(ctx, opts, cfg.items[i], writer,
                                   &id_authority, quiet)) != 0)
            goto out;
    for (size_t i = 0; i < n_kvs; i++)
        if ((status = apply_option(ctx, opts, kvs[i], writer, &id_authority,
                                   quiet)) != 0)
            goto out;
    status = 2;

    size_t n_ops = (size_t)(argc - optind);
    /* Inputs are walked as the batch goes, unless the batch writes where
     * the walk has yet to look: then the walk comes first, as it must not
     * find this run's own outputs. */
    if (inputs_open(&src, ctx, reader, argv + optind, n_ops) ||
        (inputs_overlap(src, writer, output_dir, errors_json) &&
         inputs_walk_all(src) < 0))
        goto oom;
    /* Reader option values are checked once, now, like the writer's.
     * The readers -f, -M and --config name are loaded already; a reader
     * the walk meets later reads with its declared defaults, unless
     * --lenient asks for its lenient option: then every reader is loaded
     * now, as its options must exist before any thread starts. */
    for (size_t i = 0; lenient && i < pk_context_entry_count(ctx); i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (p && p->kind == PK_PLUGIN_READER && !options_of(ctx, opts, i, &oom_) &&
            oom_)
            goto oom;
    }
    report_failures(ctx, quiet);
    for (size_t i = 0; i < pk_context_entry_count(ctx); i++) {
        pk_diag d = PK_DIAG_INIT;
        if (opts[i] && pk_reader_check_options(pk_context_entry_info(ctx, i),
                                                opts[i], &d) != PK_OK) {
            status = usage_error("%s", d.message);
            goto out;
        }
    }
    long ahead = inputs_peek(src, 2); /* is there exactly one input? */
    if (ahead < 0)
        goto oom;
    const input *first = ahead ? inputs_peek_at(src, 0) : NULL;
    bool single_operand = n_ops <= 1 && ahead == 1 &&
                          (n_ops == 0 || strcmp(argv[optind], "-") == 0 ||
                           first->path != NULL);
    /* A directory that held one file is still a batch: the output shape
     * must not depend on how many files a directory happens to hold. */
    if (n_ops == 1 && strcmp(argv[optind], "-") != 0 && ahead == 1 &&
        strcmp(first->name, argv[optind]) != 0)
        single_operand = false;
    if ((writer->flags & PK_PLUGIN_ONE_PER_OUTPUT) && !output_dir &&
        !single_operand) {
        status = usage_error("writer %s writes one document per file: use -O DIR", to);
        goto out;
    }

    batch b = {0};
    b.writer = writer;
    b.writer_opts = opts[entry_of(ctx, writer)];
    b.read_opts = (pk_read_options)PK_READ_OPTIONS_INIT;
    b.read_opts.id_authority = id_authority;
    b.reader_opts = opts;
    b.ctx = ctx;
    b.output = output;
    b.output_dir = output_dir;
    b.single = single_operand;
    b.fail_fast = fail_fast;
    b.quiet = quiet;
    b.fsync_all = fsync_all;
    if (jobs == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cpus > 0 ? (unsigned)(cpus < 64 ? cpus : 64) : 1;
    }
    b.jobs = jobs;
    b.max_input = max_input;
    status = batch_check_writer(&b);
    if (status != 0)
        goto out;
    if (errors_json) {
        errors_fp = fopen(errors_json, "w");
        if (!errors_fp) {
            fprintf(stderr, "presskit: %s: cannot write: %s\n", errors_json,
                    strerror(errno));
            status = 2;
            goto out;
        }
        b.errors_json = errors_fp;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    status = batch_run(&b, src);
    report_failures(ctx, quiet);
    if (errors_fp && fclose(errors_fp) != 0 && status == 0)
        status = 1;
    errors_fp = NULL;
    goto out;
oom:
    fprintf(stderr, "presskit: out of memory\n");
    status = 2;
out:
    if (errors_fp)
        fclose(errors_fp);
    inputs_close(src);
    config_free(&cfg);
    if (opts)
        for (size_t i = 0; i < pk_context_entry_count(ctx); i++)
            pk_options_free(opts[i]);
    free(opts);
    pk_context_free(ctx);
    free(kvs);
    return status;
}
