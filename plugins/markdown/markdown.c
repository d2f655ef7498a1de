/*
 * markdown.c - the "markdown" reader: a press release written as Markdown
 * with YAML front matter, read into the canonical model.
 *
 *     ---
 *     title: …
 *     date: 2024-05-01
 *     ---
 *     Body in CommonMark.
 *
 * The reader fills metadata and body only; the core validates title and
 * date afterwards (pk_doc_validate) and runs the analysis.  It keeps no
 * state between calls: every call works on its own copy of the input.
 */
#include <stdlib.h>

#include "markdown.h"

static int md_read(pk_doc *doc, const char *data, size_t len,
                   const pk_options *opts, pk_diag *diag)
{
    const char *file = pk_doc_source(doc);
    char *text = NULL;
    size_t text_len = 0;
    md_parts parts;
    int rc;

    (void)opts; /* the reader declares no options */
    rc = md_input_normalise(&text, &text_len, data ? data : "", data ? len : 0,
                            file, diag);
    if (rc != PK_OK)
        goto out;
    rc = md_split(&parts, text, text_len, file, diag);
    if (rc != PK_OK)
        goto out;
    rc = md_front_matter_read(doc, parts.yaml, parts.yaml_len, parts.yaml_line,
                              diag);
    if (rc != PK_OK)
        goto out;
    rc = md_body_read(doc, parts.body, parts.body_len, parts.body_line, diag);
out:
    free(text);
    return rc;
}

static const char *const md_extensions[] = {"md", "markdown", NULL};

static const pk_reader_ops md_reader_ops = {md_read};

static const pk_plugin md_plugin = {
    PK_PLUGIN_HEADER,
    "markdown",
    PK_PLUGIN_READER,
    PK_VERSION_STRING,
    "Markdown (CommonMark) with YAML front matter",
    md_extensions,
    "text/markdown",
    0,
    NULL,
    &md_reader_ops,
    NULL,
};

PK_PLUGIN_DEFINE(md_plugin)
