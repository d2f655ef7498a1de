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
 *
 * Its options bound what hostile input can cost (docs/hostile-input.md):
 * each limit fails with a message naming the option that raises it.
 */
#include <limits.h>
#include <stdlib.h>

#include "markdown.h"

static const pk_option_def md_options[] = {
    {"max_front_matter", PK_OPTION_INT, "1048576",
     "the longest front matter accepted, in bytes"},
    {"max_values", PK_OPTION_INT, "10000",
     "the most values the front matter may hold, each copy a YAML alias "
     "makes included (bounds alias bombs)"},
    {"max_depth", PK_OPTION_INT, "100",
     "the deepest nesting of the body (block quotes, lists, list items, "
     "emphasis, links: one level each) and of the front matter's lists and "
     "maps"},
    {"max_images", PK_OPTION_INT, "100",
     "the most image openers \"![\" one paragraph may hold (more would "
     "make cmark quadratic)"},
    {"lenient", PK_OPTION_BOOL, "false",
     "replace invalid UTF-8 and NUL bytes with U+FFFD instead of refusing "
     "the input"},
    {NULL, 0, NULL, NULL},
};

/* Reads int option name as a limit of at least 1. */
static int get_limit(const pk_options *opts, const char *name, size_t *out,
                     const char *file, pk_diag *diag)
{
    long v = pk_options_get_int(opts, name);

    if (v < 1)
        return pk_diag_set(diag, PK_EINVAL, file, 0, 0,
                           "option markdown.%s: expected a positive "
                           "integer, got %ld", name, v);
    *out = (unsigned long)v > SIZE_MAX ? SIZE_MAX : (size_t)v;
    return PK_OK;
}

static int get_limits(const pk_options *opts, md_limits *l, const char *file,
                      pk_diag *diag)
{
    int rc;

    l->lenient = pk_options_get_bool(opts, "lenient");
    if ((rc = get_limit(opts, "max_front_matter", &l->max_front_matter, file,
                        diag)) != PK_OK ||
        (rc = get_limit(opts, "max_values", &l->max_values, file, diag)) !=
            PK_OK ||
        (rc = get_limit(opts, "max_depth", &l->max_depth, file, diag)) !=
            PK_OK ||
        (rc = get_limit(opts, "max_images", &l->max_images, file, diag)) !=
            PK_OK)
        return rc;
    return PK_OK;
}

/* Checks the limits once, before any input: a bad value is a usage error. */
static int md_check_options(const pk_options *opts, pk_diag *diag)
{
    md_limits limits;
    return get_limits(opts, &limits, NULL, diag);
}

static int md_read(pk_doc *doc, const char *data, size_t len,
                   const pk_options *opts, pk_diag *diag)
{
    const char *file = pk_doc_source(doc);
    char *text = NULL;
    size_t text_len = 0;
    md_limits limits;
    md_parts parts;
    int rc;

    rc = get_limits(opts, &limits, file, diag);
    if (rc != PK_OK)
        return rc;
    rc = md_input_normalise(&text, &text_len, data ? data : "", data ? len : 0,
                            limits.lenient, doc, file, diag);
    if (rc != PK_OK)
        goto out;
    rc = md_split(&parts, text, text_len, limits.max_front_matter, file, diag);
    if (rc != PK_OK)
        goto out;
    rc = md_front_matter_read(doc, parts.yaml, parts.yaml_len, parts.yaml_line,
                              &limits, diag);
    if (rc != PK_OK)
        goto out;
    rc = md_body_read(doc, parts.body, parts.body_len, parts.body_line,
                      &limits, diag);
out:
    free(text);
    return rc;
}

static const char *const md_extensions[] = {"md", "markdown", NULL};

static const pk_reader_ops md_reader_ops = {
    .read = md_read,
    .check_options = md_check_options,
};

static const pk_plugin md_plugin = {
    PK_PLUGIN_HEADER,
    "markdown",
    PK_PLUGIN_READER,
    PK_VERSION_STRING,
    "Markdown (CommonMark) with YAML front matter",
    md_extensions,
    "text/markdown",
    0,
    md_options,
    &md_reader_ops,
    NULL,
};

PK_PLUGIN_DEFINE(md_plugin)
