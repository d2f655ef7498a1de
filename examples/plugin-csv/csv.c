/*
 * csv.c - an example presskit writer: one CSV row per release.
 *
 *     date,title,ministers,portfolios,url,id
 *     2024-02-12,Three new stations,Hon Thomas Ashby,Transport; Auckland,https://…,https://…
 *
 * RFC 4180: lines end in CRLF; a field holding a comma, a double quote, CR
 * or LF is put in double quotes, its quotes doubled.  Lists are joined
 * with "; ".  The header row opens each output, unless -M csv.header=false.
 *
 * Built out of tree against an installed presskit: see CMakeLists.txt and
 * Makefile beside this file, and docs/PLUGINS.md.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <presskit/presskit.h>

/* One output's state.  A plugin keeps no global mutable state: presskit
 * runs several outputs at once, on several threads. */
typedef struct csv {
    pk_sink *sink;   /* borrowed from open until close */
} csv;

static bool needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Writes s with every double quote doubled. */
static void put_escaped(pk_sink *sink, const char *s)
{
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        pk_sink_write(sink, s, (size_t)(q - s) + 1);
        pk_sink_putc(sink, '"');
    }
    pk_sink_puts(sink, s);
}

/* Writes items 0..n-1 of a list accessor joined by "; " as one field. */
static void list_field(pk_sink *sink, const pk_doc *doc, size_t n,
                       const char *(*item)(const pk_doc *, size_t))
{
    bool quote = false;
    for (size_t i = 0; i < n; i++)
        quote = quote || needs_quotes(item(doc, i));
    if (quote)
        pk_sink_putc(sink, '"');
    for (size_t i = 0; i < n; i++) {
        if (i)
            pk_sink_puts(sink, "; ");
        if (quote)
            put_escaped(sink, item(doc, i));
        else
            pk_sink_puts(sink, item(doc, i));
    }
    if (quote)
        pk_sink_putc(sink, '"');
}

/* Writes s (NULL: empty) as one field. */
static void field(pk_sink *sink, const char *s)
{
    if (!s)
        s = "";
    if (!needs_quotes(s)) {
        pk_sink_puts(sink, s);
        return;
    }
    pk_sink_putc(sink, '"');
    put_escaped(sink, s);
    pk_sink_putc(sink, '"');
}

static int csv_open(void **state, pk_sink *sink, const pk_options *opts,
                    unsigned mode, pk_diag *diag)
{
    (void)mode;   /* one row or many, a CSV file looks the same */
    csv *w = malloc(sizeof *w);
    if (!w)
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "csv: out of memory");
    w->sink = sink;
    if (pk_options_get_bool(opts, "header"))
        pk_sink_puts(sink, "date,title,ministers,portfolios,url,id\r\n");
    *state = w;
    return PK_OK;
}

static int csv_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    pk_sink *s = ((csv *)state)->sink;
    field(s, pk_doc_date_string(doc));
    pk_sink_putc(s, ',');
    field(s, pk_doc_title(doc));
    pk_sink_putc(s, ',');
    list_field(s, doc, pk_doc_minister_count(doc), pk_doc_minister);
    pk_sink_putc(s, ',');
    list_field(s, doc, pk_doc_portfolio_count(doc), pk_doc_portfolio);
    pk_sink_putc(s, ',');
    field(s, pk_doc_url(doc));
    pk_sink_putc(s, ',');
    field(s, pk_doc_id(doc));   /* from the core's analysis pass */
    /* Sink errors are sticky: one check after the row is enough. */
    int rc = pk_sink_puts(s, "\r\n");
    if (rc != PK_OK)
        return pk_diag_set(diag, rc, pk_doc_source(doc), 0, 0,
                           "csv: writing %s failed: %s", pk_sink_name(s),
                           pk_status_str(rc));
    return PK_OK;
}

static int csv_close(void *state, pk_diag *diag)
{
    csv *w = state;
    int rc = pk_sink_error(w->sink);
    if (rc != PK_OK)
        pk_diag_set(diag, rc, NULL, 0, 0, "csv: writing %s failed: %s",
                    pk_sink_name(w->sink), pk_status_str(rc));
    free(w);
    return rc;
}

static const pk_option_def options[] = {
    {"header", PK_OPTION_BOOL, "true", "start each output with a header row"},
    {NULL, 0, NULL, NULL},
};

static const char *const extensions[] = {"csv", NULL};

static const pk_writer_ops ops = {csv_open, csv_write, csv_close};

static const pk_plugin plugin = {
    PK_PLUGIN_HEADER,
    .name = "csv",
    .kind = PK_PLUGIN_WRITER,
    .version = "1.0.0",
    .summary = "One CSV row per release (RFC 4180)",
    .extensions = extensions,
    .media_type = "text/csv; charset=utf-8",
    .options = options,
    .writer = &ops,
};

PK_PLUGIN_DEFINE(plugin)
