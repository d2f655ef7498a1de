/*
 * xhtml.c - the xhtml writer: each release as an EPUB 3 XHTML content
 * document (polyglot XHTML5).
 *
 * Without -O it writes the one release's document to its output.  With
 * -O DIR it gets a directory sink and builds an EPUB folder there: one
 * content document per release under text/, written and committed as the
 * release arrives (memory stays bounded by the largest release), then at
 * close the navigation document, the package and the container files
 * (package.c).  Zipped the EPUB way the folder is a valid EPUB 3.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xhtml.h"
#include "xhtml_body.h"

/* ---- dates ------------------------------------------------------------ */

/* A date-time as HTML's <time datetime> accepts it: a plain date stays a
 * date; a time gets seconds and at most milliseconds; a leap second
 * becomes :59; the offset only when the release gave one. */
static void html_datetime(const pk_date *d, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (!d->has_time || n < 0)
        return;
    size_t o = (size_t)n;
    o += (size_t)snprintf(buf + o, cap - o, "T%02d:%02d:%02d", d->hour,
                          d->minute, d->second > 59 ? 59 : d->second);
    if (d->nanosecond / 1000000)
        o += (size_t)snprintf(buf + o, cap - o, ".%03lu",
                              d->nanosecond / 1000000);
    if (!d->has_offset)
        return;
    int off = d->offset_minutes < 0 ? -d->offset_minutes : d->offset_minutes;
    if (off == 0)
        snprintf(buf + o, cap - o, "Z");
    else
        snprintf(buf + o, cap - o, "%c%02d:%02d",
                 d->offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

/* "14 March 2023", and for a date-time ", 10:30" and its offset. */
static void human_date(const pk_date *d, char *buf, size_t cap)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int n = snprintf(buf, cap, "%d %s %04d", d->day, months[d->month - 1],
                     d->year);
    if (!d->has_time || n < 0)
        return;
    size_t o = (size_t)n;
    o += (size_t)snprintf(buf + o, cap - o, ", %02d:%02d", d->hour, d->minute);
    if (!d->has_offset)
        return;
    int off = d->offset_minutes < 0 ? -d->offset_minutes : d->offset_minutes;
    if (off == 0)
        snprintf(buf + o, cap - o, " UTC");
    else
        snprintf(buf + o, cap - o, " UTC%c%02d:%02d",
                 d->offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

/* ---- pages ------------------------------------------------------------ */

static int nl(pkx_out *o)
{
    return xmlTextWriterWriteString(o->w, BAD_CAST "\n");
}

int pkx_page_start(pkx_out *o, const char *lang, const char *title,
                   const char *css_href)
{
    if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0 ||
        xmlTextWriterWriteDTD(o->w, BAD_CAST "html", NULL, NULL, NULL) < 0 ||
        nl(o) < 0 || pkx_start(o, "html") < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns",
                                    BAD_CAST PKX_XHTML_NS) < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns:epub",
                                    BAD_CAST PKX_OPS_NS) < 0 ||
        pkx_cattr(o, "lang", lang) < 0 || pkx_cattr(o, "xml:lang", lang) < 0 ||
        nl(o) < 0 || pkx_start(o, "head") < 0 || nl(o) < 0 ||
        pkx_start(o, "meta") < 0 || pkx_cattr(o, "charset", "utf-8") < 0 ||
        pkx_end(o) < 0 || nl(o) < 0 || pkx_element(o, "title", title) < 0 ||
        nl(o) < 0)
        return -1;
    if (css_href &&
        (pkx_start(o, "link") < 0 || pkx_cattr(o, "rel", "stylesheet") < 0 ||
         pkx_cattr(o, "href", css_href) < 0 || pkx_end(o) < 0 || nl(o) < 0))
        return -1;
    return pkx_full_end(o) < 0 || nl(o) < 0 || pkx_start(o, "body") < 0 ||
                   nl(o) < 0
               ? -1
               : 0;
}

int pkx_page_end(pkx_out *o)
{
    return pkx_full_end(o) < 0 || nl(o) < 0 || pkx_full_end(o) < 0 ||
                   xmlTextWriterEndDocument(o->w) < 0
               ? -1
               : 0;
}

/* <p class="CLS">a, b, c</p> for a list of the known fields; nothing when
 * the list is empty. */
static int field_list(pkx_out *o, const char *cls, const pk_doc *doc,
                      size_t n, const char *(*at)(const pk_doc *, size_t))
{
    if (n == 0)
        return 0;
    if (pkx_start(o, "p") < 0 || pkx_cattr(o, "class", cls) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((i && pkx_ctext(o, ", ") < 0) || pkx_ctext(o, at(doc, i)) < 0)
            return -1;
    return pkx_full_end(o) < 0 ? -1 : nl(o);
}

/* The <header> of the article: title, date, ministers, portfolios and
 * the highlights. */
static int header(pkx_out *o, const pk_doc *doc, const pkx_xhtml_options *ro)
{
    char datetime[64], human[64];
    const pk_node *highlights = pk_doc_highlights(doc);

    html_datetime(pk_doc_date(doc), datetime, sizeof datetime);
    human_date(pk_doc_date(doc), human, sizeof human);
    if (pkx_start(o, "header") < 0 || nl(o) < 0 ||
        pkx_element(o, "h1", pk_doc_title(doc)) < 0 || nl(o) < 0 ||
        pkx_start(o, "p") < 0 || pkx_start(o, "time") < 0 ||
        pkx_cattr(o, "datetime", datetime) < 0 || pkx_ctext(o, human) < 0 ||
        pkx_full_end(o) < 0 || pkx_full_end(o) < 0 || nl(o) < 0 ||
        field_list(o, "ministers", doc, pk_doc_minister_count(doc),
                   pk_doc_minister) < 0 ||
        field_list(o, "portfolios", doc, pk_doc_portfolio_count(doc),
                   pk_doc_portfolio) < 0)
        return -1;
    if (highlights) {
        if (pkx_start(o, "ul") < 0 || pkx_cattr(o, "class", "highlights") < 0 ||
            nl(o) < 0)
            return -1;
        for (const pk_node *item = pk_node_first_child(highlights); item;
             item = pk_node_next(item))
            if (pkx_xhtml_render(o, doc, item, ro) != PK_OK)
                return -1;
        if (pkx_full_end(o) < 0 || nl(o) < 0)
            return -1;
    }
    return pkx_full_end(o) < 0 ? -1 : nl(o);
}

/* One content document.  Returns PK_OK or the error. */
static int content_document(pkx_out *o, const pk_doc *doc,
                            const char *css_href)
{
    pkx_xhtml_options ro = PKX_XHTML_OPTIONS_INIT;
    ro.skip = pk_doc_highlights(doc);
    ro.heading_offset = 1;  /* the release's title is the h1 */
    ro.mark_quotes = true;
    ro.mark_lead = true;
    ro.remote_images_as_links = true;

    int rc;
    if (pkx_page_start(o, pk_doc_lang(doc), pk_doc_title(doc), css_href) < 0 ||
        pkx_start(o, "article") < 0 || nl(o) < 0 || header(o, doc, &ro) < 0)
        return pkx_out_status(o);
    if ((rc = pkx_xhtml_render_body(o, doc, &ro)) != PK_OK)
        return rc;
    if (pkx_full_end(o) < 0 || nl(o) < 0 || pkx_page_end(o) < 0)
        return pkx_out_status(o);
    return pkx_out_flush(o);
}

/* ---- the writer ------------------------------------------------------- */

static char *dup_or_null(const char *s, bool *failed)
{
    char *p = s ? strdup(s) : NULL;
    if (s && !p)
        *failed = true;
    return p;
}

static void writer_free(pkx_writer *w)
{
    for (size_t i = 0; i < w->n_entries; i++) {
        free(w->entries[i].slug);
        free(w->entries[i].title);
        free(w->entries[i].id);
        free(w->entries[i].lang);
    }
    free(w->entries);
    if (w->css_file)
        fclose(w->css_file);
    free(w->title);
    free(w->css);
    free(w);
}

static int xhtml_open(void **state, pk_sink *sink, const pk_options *opts,
                      unsigned mode, pk_diag *diag)
{
    (void)mode; /* one document per stream either way; a second is refused */
    pkx_writer *w = calloc(1, sizeof *w);
    bool failed = !w;
    if (w) {
        const char *title = opts ? pk_options_get(opts, "title") : NULL;
        const char *css = opts ? pk_options_get(opts, "css") : NULL;
        w->sink = sink;
        w->epub = pk_sink_is_directory(sink);
        w->title = dup_or_null(title && *title ? title : "Press releases",
                               &failed);
        w->css = dup_or_null(css && *css ? css : NULL, &failed);
    }
    if (failed) {
        if (w)
            writer_free(w);
        return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(sink), 0, 0,
                           "out of memory");
    }
    /* The stylesheet is copied into the book at close; a missing one
     * fails now, before any work. */
    if (w->epub && w->css && !(w->css_file = fopen(w->css, "rb"))) {
        int rc = pk_diag_set(diag, PK_EIO, w->css, 0, 0,
                             "xhtml.css: cannot read the stylesheet: %s",
                             strerror(errno));
        writer_free(w);
        return rc;
    }
    *state = w;
    return PK_OK;
}

/* Keeps what the package needs of a release written into the book. */
static int add_entry(pkx_writer *w, const pk_doc *doc, char *slug)
{
    if (w->n_entries == w->cap_entries) {
        size_t cap = w->cap_entries ? w->cap_entries * 2 : 16;
        pkx_entry *e = realloc(w->entries, cap * sizeof *e);
        if (!e)
            return PK_ENOMEM;
        w->entries = e;
        w->cap_entries = cap;
    }
    bool failed = false;
    pkx_entry *e = &w->entries[w->n_entries];
    e->slug = slug;
    e->title = dup_or_null(pk_doc_title(doc), &failed);
    e->id = dup_or_null(pk_doc_id(doc) ? pk_doc_id(doc) : slug, &failed);
    e->lang = dup_or_null(pk_doc_lang(doc), &failed);
    e->date = *pk_doc_date(doc);
    e->seq = w->count;
    w->n_entries++; /* counted even when failed: writer_free frees it */
    return failed ? PK_ENOMEM : PK_OK;
}

/* Writes one release into the book as text/<slug>.xhtml. */
static int write_epub_document(pkx_writer *w, const pk_doc *doc,
                               pk_diag *diag)
{
    const char *src = pk_doc_source(doc);
    char *slug = pkx_slug_new(w, src);
    char path[128];
    pk_sink *sink = NULL;
    pkx_out o = {0};
    int rc;

    if (!slug)
        return pk_diag_set(diag, PK_ENOMEM, src, 0, 0, "out of memory");
    snprintf(path, sizeof path, "text/%s.xhtml", slug);
    if ((rc = pk_sink_open_sibling(w->sink, path, &sink, diag)))
        goto out;
    if ((rc = pkx_out_open(&o, sink, false))) {
        pk_diag_set(diag, rc, path, 0, 0, "out of memory");
        goto out;
    }
    rc = content_document(&o, doc, w->css ? "../style.css" : NULL);
    pkx_out_close(&o);
    if (rc) {
        pk_diag_set(diag, rc, pk_sink_name(sink), 0, 0,
                    "xhtml writer: cannot write: %s", pk_status_str(rc));
        goto out;
    }
    if ((rc = pk_sink_commit(sink, diag)))
        goto out;
    rc = add_entry(w, doc, slug);
    slug = NULL;
    if (rc)
        pk_diag_set(diag, rc, src, 0, 0, "out of memory");
out:
    pk_sink_free(sink);
    free(slug);
    return rc;
}

/* Writes the one release of a stream output. */
static int write_stream_document(pkx_writer *w, const pk_doc *doc,
                                 pk_diag *diag)
{
    pkx_out o;
    int rc = pkx_out_open(&o, w->sink, false);
    if (rc)
        return pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                           "out of memory");
    rc = content_document(&o, doc, w->css);
    pkx_out_close(&o);
    if (rc)
        return w->status = pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                                       "xhtml writer: cannot write the "
                                       "output: %s", pk_status_str(rc));
    return PK_OK;
}

static int xhtml_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    pkx_writer *w = state;
    int rc;

    if (w->status)
        return pk_diag_set(diag, w->status, pk_sink_name(w->sink), 0, 0,
                           "xhtml writer: the output failed earlier");
    if (!pk_doc_title(doc) || !pk_doc_date_string(doc))
        return pk_diag_set(diag, PK_EINVAL, pk_doc_source(doc), 0, 0,
                           "xhtml writer: the document was not validated");
    if (!w->epub && w->count > 0)
        return pk_diag_set(diag, PK_EINVAL, pk_sink_name(w->sink), 0, 0,
                           "xhtml writer: one release per output: use -O DIR "
                           "for several");
    /* Refused before a byte of it is written, so the output stays whole. */
    if (pkx_node_depth(pk_doc_root(doc), PKX_MAX_DEPTH) > PKX_MAX_DEPTH)
        return pk_diag_set(diag, PK_ELIMIT, pk_doc_source(doc), 0, 0,
                           "body: nested deeper than the %zu levels an XML "
                           "parser accepts by default", PKX_MAX_DEPTH);
    rc = w->epub ? write_epub_document(w, doc, diag)
                 : write_stream_document(w, doc, diag);
    if (rc == PK_OK)
        w->count++;
    return rc;
}

static int xhtml_close(void *state, pk_diag *diag)
{
    pkx_writer *w = state;
    int rc = w->status;
    if (rc)
        pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                    "xhtml writer: the output failed earlier");
    else if (w->epub)
        rc = pkx_write_package(w, diag);
    writer_free(w);
    return rc;
}

static const char *const extensions[] = {"xhtml", NULL};

static const pk_option_def options[] = {
    {"title", PK_OPTION_STRING, "Press releases",
     "the EPUB's title (dc:title and the table of contents heading)"},
    {"css", PK_OPTION_STRING, NULL,
     "a stylesheet to link: with -O copied into the book as style.css, "
     "without it linked as given"},
    {NULL, 0, NULL, NULL},
};

static const pk_writer_ops writer_ops = {xhtml_open, xhtml_write, xhtml_close};

static const pk_plugin xhtml_writer = {
    PK_PLUGIN_HEADER,
    "xhtml",
    PK_PLUGIN_WRITER,
    PK_VERSION_STRING,
    "EPUB 3 XHTML content documents; with -O an EPUB folder ready to zip",
    extensions,
    "application/xhtml+xml",
    PK_PLUGIN_AGGREGATE | PK_PLUGIN_ONE_PER_OUTPUT,
    options,
    NULL,
    &writer_ops,
};

PK_PLUGIN_DEFINE(xhtml_writer)
