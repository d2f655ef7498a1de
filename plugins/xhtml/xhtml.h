/*
 * xhtml.h - what the xhtml writer's files share: the writer's state and
 * the EPUB package written when it closes.
 */
#ifndef PKX_XHTML_H
#define PKX_XHTML_H

#include <stdbool.h>
#include <stdio.h>

#include <presskit/presskit.h>

#include "xmlout.h"

/* The EPUB 3 namespace of epub:type. */
#define PKX_OPS_NS "http://www.idpf.org/2007/ops"

/* What the package keeps of a release written into the book: enough for
 * the navigation document and the package, not the release itself. */
typedef struct pkx_entry {
    char *slug;        /* the content document is text/<slug>.xhtml */
    char *title;
    char *id;          /* pk_doc_id, for the book's identifier */
    char *lang;
    pk_date date;
    size_t seq;        /* input order, the last tie-breaker */
} pkx_entry;

/* The state of one output. */
typedef struct pkx_writer {
    pk_sink *sink;       /* borrowed until close */
    bool epub;           /* a directory sink: write an EPUB folder */
    char *title;         /* xhtml.title: the book's title */
    char *css;           /* xhtml.css as given, or NULL */
    FILE *css_file;      /* EPUB: the stylesheet, copied at close */
    size_t count;        /* releases written */
    int status;          /* the error that spoiled the output, or PK_OK */
    pkx_entry *entries;  /* EPUB: the releases written, in input order */
    size_t n_entries, cap_entries;
} pkx_writer;

/*
 * Makes the file name stem for a release read from source: the base name
 * without its extension, lower-cased, every run of characters other than
 * ASCII letters and digits made one '-', at most 64 bytes, "release" when
 * nothing is left; then "-2", "-3"… until no entry of w has it.  Returns
 * a malloc'ed string or NULL on out of memory.
 */
char *pkx_slug_new(const pkx_writer *w, const char *source);

/*
 * Writes the package of an EPUB folder: style.css (copied), nav.xhtml,
 * package.opf, META-INF/container.xml and mimetype, each committed in
 * turn.  Does nothing when no release was written.  Returns PK_OK or the
 * error, with diag filled.
 */
int pkx_write_package(pkx_writer *w, pk_diag *diag);

/* Writes the XML declaration, the doctype and the <html> start tag with
 * both namespaces and lang, xml:lang; then <head> with the charset,
 * title and the stylesheet link when css_href is not NULL, and opens
 * <body>.  Returns < 0 on failure. */
int pkx_page_start(pkx_out *o, const char *lang, const char *title,
                   const char *css_href);
/* Closes <body>, <html> and the document.  Returns < 0 on failure. */
int pkx_page_end(pkx_out *o);

#endif
