/*
 * support.c - helpers shared by the analysis tests.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

pk_context *an_load_markdown(const char *path, const pk_plugin **reader)
{
    pk_context *ctx;
    pk_diag d = PK_DIAG_INIT;
    char buf[2048];
    if (pk_context_new(&ctx) != PK_OK)
        return NULL;
    if (pk_context_load_file(ctx, path, &d) != PK_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path,
                pk_diag_format(&d, buf, sizeof buf));
        pk_context_free(ctx);
        return NULL;
    }
    *reader = pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    if (!*reader) {
        fprintf(stderr, "%s holds no markdown reader\n", path);
        pk_context_free(ctx);
        return NULL;
    }
    return ctx;
}

char *an_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

void an_dump(FILE *f, const pk_doc *doc)
{
    fprintf(f, "id=%s words=%zu minutes=%u highlights=%s lead=%s\n",
            pk_doc_id(doc) ? pk_doc_id(doc) : "(null)",
            pk_doc_word_count(doc), pk_doc_reading_minutes(doc),
            pk_doc_highlights(doc) ? "yes" : "no",
            pk_doc_lead(doc) ? "yes" : "no");
    for (size_t i = 0; i < pk_doc_quote_count(doc); i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        fprintf(f, "paragraphs=");
        for (size_t j = 0; j < pk_quote_paragraph_count(q); j++)
            fprintf(f, "%s%zu", j ? "," : "", pk_quote_paragraph_index(q, j));
        fprintf(f, "\tspeaker=%s", pk_quote_speaker(q) ? pk_quote_speaker(q) : "-");
        if (pk_quote_title(q))
            fprintf(f, "\ttitle=%s", pk_quote_title(q));
        fprintf(f, "\tminister=%ld\n", pk_quote_minister(q));
        fprintf(f, "  text: ");
        for (const char *s = pk_quote_text(q); *s; s++) {
            if (*s == '\n')
                fputs("\\n", f);
            else
                fputc(*s, f);
        }
        fputc('\n', f);
    }
}
