/*
 * package.c - the files that make an EPUB 3 of a folder of content
 * documents: nav.xhtml, package.opf, META-INF/container.xml, mimetype and
 * the copied stylesheet; and the content documents' file names.
 *
 * Everything here depends only on the releases, never on the clock or
 * the machine, so the same releases always give the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "xhtml.h"

#define OPF_NS "http://www.idpf.org/2007/opf"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define CONTAINER_NS "urn:oasis:names:tc:opendocument:xmlns:container"

enum { SLUG_MAX = 64 };

/* ---- file names ------------------------------------------------------- */

static bool slug_taken(const pkx_writer *w, const char *slug)
{
    for (size_t i = 0; i < w->n_entries; i++)
        if (strcmp(w->entries[i].slug, slug) == 0)
            return true;
    return false;
}

char *pkx_slug_new(const pkx_writer *w, const char *source)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char stem[SLUG_MAX + 1];
    size_t o = 0;
    bool gap = false;

    for (size_t i = 0; i < n; i++) {
        char c = base[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            gap = true;
            continue;
        }
        if (o + (gap && o ? 2 : 1) > SLUG_MAX)
            break;
        if (gap && o)
            stem[o++] = '-';
        stem[o++] = c;
        gap = false;
    }
    if (o == 0) {
        memcpy(stem, "release", 7);
        o = 7;
    }
    stem[o] = '\0';

    /* Input order decides who keeps the plain name, so the names are the
     * same on every run whatever -j is. */
    size_t cap = o + 24;
    char *slug = malloc(cap);
    if (!slug)
        return NULL;
    memcpy(slug, stem, o + 1);
    for (unsigned long k = 2; slug_taken(w, slug); k++)
        snprintf(slug, cap, "%s-%lu", stem, k);
    return slug;
}

/* ---- order and dates -------------------------------------------------- */

/* The reading order: by date (a missing offset read as UTC), then by
 * title, then by input order. */
static int entry_order(const void *a, const void *b)
{
    const pkx_entry *x = *(const pkx_entry *const *)a;
    const pkx_entry *y = *(const pkx_entry *const *)b;
    int c = pk_date_compare(&x->date, &y->date, 0);
    if (c == 0)
        c = strcmp(x->title, y->title);
    if (c == 0)
        c = x->seq < y->seq ? -1 : x->seq > y->seq;
    return c;
}

static int id_order(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Days since 1970-01-01 and back (Howard Hinnant's algorithms). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153LL * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* The instant of d in UTC as CCYY-MM-DDThh:mm:ssZ, the form EPUB wants
 * for dcterms:modified: midnight for a plain date, UTC for a time without
 * an offset, fractions dropped, a leap second read as :59. */
static void utc_timestamp(const pk_date *d, char *buf, size_t cap)
{
    long long s = days_from_civil(d->year, d->month, d->day) * 86400LL;
    if (d->has_time)
        s += d->hour * 3600LL + d->minute * 60LL +
             (d->second > 59 ? 59 : d->second);
    if (d->has_offset)
        s -= d->offset_minutes * 60LL;
    long long days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    long long rem = s - days * 86400, y;
    int m, day;
    civil_from_days(days, &y, &m, &day);
    int hh = (int)(rem / 3600), mm = (int)(rem / 60 % 60), ss = (int)(rem % 60);
    snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", y, m, day, hh, mm,
             ss);
}

/* ---- the files -------------------------------------------------------- */

typedef struct book {
    pkx_writer *w;
    const pkx_entry **order;  /* the entries in reading order */
    char uuid[37];
    char modified[64];
} book;

static int nl(pkx_out *o)
{
    return xmlTextWriterWriteString(o->w, BAD_CAST "\n");
}

/* A title with no visible character would leave the table of contents
 * with an empty link, which EPUB refuses: the file name stands in. */
static const char *toc_label(const pkx_entry *e)
{
    for (const char *p = e->title; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return e->title;
    return e->slug;
}

static int nav_body(const book *bk, pkx_out *o)
{
    const pkx_writer *w = bk->w;
    if (pkx_page_start(o, bk->order[0]->lang, w->title,
                       w->css ? "style.css" : NULL) < 0 ||
        pkx_start(o, "nav") < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "epub:type",
                                    BAD_CAST "toc") < 0 ||
        pkx_cattr(o, "id", "toc") < 0 || nl(o) < 0 ||
        pkx_element(o, "h1", w->title) < 0 || nl(o) < 0 ||
        pkx_start(o, "ol") < 0 || nl(o) < 0)
        return -1;
    for (size_t i = 0; i < w->n_entries; i++) {
        const pkx_entry *e = bk->order[i];
        char href[128];
        snprintf(href, sizeof href, "text/%s.xhtml", e->slug);
        if (pkx_start(o, "li") < 0 || pkx_start(o, "a") < 0 ||
            pkx_cattr(o, "href", href) < 0 || pkx_ctext(o, toc_label(e)) < 0 ||
            pkx_full_end(o) < 0 || pkx_full_end(o) < 0 || nl(o) < 0)
            return -1;
    }
    return pkx_full_end(o) < 0 || nl(o) < 0 || pkx_full_end(o) < 0 ||
                   nl(o) < 0 || pkx_page_end(o) < 0
               ? -1
               : 0;
}

static int manifest_item(pkx_out *o, const char *id, const char *href,
                         const char *media_type, const char *properties)
{
    if (pkx_start(o, "item") < 0 || pkx_cattr(o, "id", id) < 0 ||
        pkx_cattr(o, "href", href) < 0 ||
        pkx_cattr(o, "media-type", media_type) < 0 ||
        (properties && pkx_cattr(o, "properties", properties) < 0))
        return -1;
    return pkx_end(o);
}

static int opf_body(const book *bk, pkx_out *o)
{
    const pkx_writer *w = bk->w;
    const char *lang = bk->order[0]->lang;
    char urn[64];
    snprintf(urn, sizeof urn, "urn:uuid:%s", bk->uuid);
    if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0 ||
        pkx_start(o, "package") < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns", BAD_CAST OPF_NS) < 0 ||
        pkx_cattr(o, "version", "3.0") < 0 ||
        pkx_cattr(o, "unique-identifier", "pub-id") < 0 ||
        pkx_cattr(o, "xml:lang", lang) < 0 ||
        pkx_start(o, "metadata") < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns:dc", BAD_CAST DC_NS) < 0 ||
        pkx_start(o, "dc:identifier") < 0 || pkx_cattr(o, "id", "pub-id") < 0 ||
        pkx_ctext(o, urn) < 0 || pkx_full_end(o) < 0 ||
        pkx_element(o, "dc:title", w->title) < 0 ||
        pkx_element(o, "dc:language", lang) < 0 ||
        pkx_start(o, "meta") < 0 ||
        pkx_cattr(o, "property", "dcterms:modified") < 0 ||
        pkx_ctext(o, bk->modified) < 0 || pkx_full_end(o) < 0 ||
        pkx_end(o) < 0 || pkx_start(o, "manifest") < 0 ||
        manifest_item(o, "nav", "nav.xhtml", "application/xhtml+xml", "nav") < 0 ||
        (w->css && manifest_item(o, "style", "style.css", "text/css", NULL) < 0))
        return -1;
    for (size_t i = 0; i < w->n_entries; i++) {
        char id[96], href[128];
        snprintf(id, sizeof id, "r-%s", bk->order[i]->slug);
        snprintf(href, sizeof href, "text/%s.xhtml", bk->order[i]->slug);
        if (manifest_item(o, id, href, "application/xhtml+xml", NULL) < 0)
            return -1;
    }
    if (pkx_end(o) < 0 || pkx_start(o, "spine") < 0)
        return -1;
    for (size_t i = 0; i < w->n_entries; i++) {
        char id[96];
        snprintf(id, sizeof id, "r-%s", bk->order[i]->slug);
        if (pkx_start(o, "itemref") < 0 || pkx_cattr(o, "idref", id) < 0 ||
            pkx_end(o) < 0)
            return -1;
    }
    return xmlTextWriterEndDocument(o->w);
}

static int container_body(const book *bk, pkx_out *o)
{
    (void)bk;
    if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0 ||
        pkx_start(o, "container") < 0 ||
        xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns",
                                    BAD_CAST CONTAINER_NS) < 0 ||
        pkx_cattr(o, "version", "1.0") < 0 || pkx_start(o, "rootfiles") < 0 ||
        pkx_start(o, "rootfile") < 0 ||
        pkx_cattr(o, "full-path", "package.opf") < 0 ||
        pkx_cattr(o, "media-type", "application/oebps-package+xml") < 0)
        return -1;
    return xmlTextWriterEndDocument(o->w);
}

/* Writes one XML file of the package and commits it. */
static int xml_file(const book *bk, const char *path, bool indent,
                    int (*body)(const book *, pkx_out *), pk_diag *diag)
{
    pk_sink *sink = NULL;
    pkx_out o = {0};
    int rc = pk_sink_open_sibling(bk->w->sink, path, &sink, diag);
    if (rc)
        return rc;
    if ((rc = pkx_out_open(&o, sink, indent)) == PK_OK) {
        rc = body(bk, &o) < 0 ? pkx_out_status(&o) : pkx_out_flush(&o);
        pkx_out_close(&o);
    }
    if (rc)
        pk_diag_set(diag, rc, pk_sink_name(sink), 0, 0,
                    "xhtml writer: cannot write: %s", pk_status_str(rc));
    else
        rc = pk_sink_commit(sink, diag);
    pk_sink_free(sink);
    return rc;
}

/* mimetype holds exactly these bytes, no newline: readers sniff it. */
static int mimetype_file(const book *bk, pk_diag *diag)
{
    pk_sink *sink = NULL;
    int rc = pk_sink_open_sibling(bk->w->sink, "mimetype", &sink, diag);
    if (rc)
        return rc;
    if (pk_sink_puts(sink, "application/epub+zip") == PK_OK)
        rc = pk_sink_commit(sink, diag);
    else
        rc = pk_diag_set(diag, pk_sink_error(sink), pk_sink_name(sink), 0, 0,
                         "xhtml writer: cannot write: %s",
                         pk_status_str(pk_sink_error(sink)));
    pk_sink_free(sink);
    return rc;
}

/* Copies the stylesheet opened at open() into the book. */
static int stylesheet_file(const book *bk, pk_diag *diag)
{
    pkx_writer *w = bk->w;
    pk_sink *sink = NULL;
    char buf[8192];
    size_t n;
    int rc = pk_sink_open_sibling(w->sink, "style.css", &sink, diag);
    if (rc)
        return rc;
    while ((n = fread(buf, 1, sizeof buf, w->css_file)) > 0)
        if (pk_sink_write(sink, buf, n) != PK_OK)
            break;
    if (ferror(w->css_file))
        rc = pk_diag_set(diag, PK_EIO, w->css, 0, 0,
                         "xhtml.css: cannot read the stylesheet");
    else if (pk_sink_error(sink))
        rc = pk_diag_set(diag, pk_sink_error(sink), pk_sink_name(sink), 0, 0,
                         "xhtml writer: cannot write: %s",
                         pk_status_str(pk_sink_error(sink)));
    else
        rc = pk_sink_commit(sink, diag);
    pk_sink_free(sink);
    return rc;
}

/*
 * The book's identifier: a version 5 UUID (RFC 4122) in the URL
 * namespace of the release ids, sorted bytewise, each followed by a line
 * feed.  The same set of releases always gives the same identifier.
 */
static int book_uuid(const pkx_writer *w, char out[37])
{
    const char **ids = malloc(w->n_entries * sizeof *ids);
    if (!ids)
        return PK_ENOMEM;
    for (size_t i = 0; i < w->n_entries; i++)
        ids[i] = w->entries[i].id;
    qsort(ids, w->n_entries, sizeof *ids, id_order);
    pkx_sha1 s;
    pkx_uuid5_init(&s, pkx_uuid_ns_url);
    for (size_t i = 0; i < w->n_entries; i++) {
        pkx_sha1_update(&s, ids[i], strlen(ids[i]));
        pkx_sha1_update(&s, "\n", 1);
    }
    pkx_uuid5_final(&s, out);
    free(ids);
    return PK_OK;
}

int pkx_write_package(pkx_writer *w, pk_diag *diag)
{
    book bk = {w, NULL, "", ""};
    int rc;

    if (w->n_entries == 0)
        return PK_OK;
    bk.order = malloc(w->n_entries * sizeof *bk.order);
    if (!bk.order || book_uuid(w, bk.uuid) != PK_OK) {
        free(bk.order);
        return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(w->sink), 0, 0,
                           "out of memory");
    }
    const pkx_entry *newest = &w->entries[0];
    for (size_t i = 0; i < w->n_entries; i++) {
        bk.order[i] = &w->entries[i];
        if (pk_date_compare(&w->entries[i].date, &newest->date, 0) > 0)
            newest = &w->entries[i];
    }
    qsort(bk.order, w->n_entries, sizeof *bk.order, entry_order);
    utc_timestamp(&newest->date, bk.modified, sizeof bk.modified);

    if ((w->css_file && (rc = stylesheet_file(&bk, diag))) ||
        (rc = xml_file(&bk, "nav.xhtml", false, nav_body, diag)) ||
        (rc = xml_file(&bk, "package.opf", true, opf_body, diag)) ||
        (rc = xml_file(&bk, "META-INF/container.xml", true, container_body,
                       diag)) ||
        (rc = mimetype_file(&bk, diag)))
        goto out;
out:
    free(bk.order);
    return rc;
}
