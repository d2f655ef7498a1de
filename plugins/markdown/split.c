/*
 * split.c - find the front matter and the body of a normalised input.
 *
 * The delimiters are recognised here, line by line, rather than left to
 * libyaml: a "---" closes the front matter even where YAML would read it
 * as the start of a second document, and the body is never seen by the
 * YAML parser at all.
 */
#include <string.h>

#include "markdown.h"

/*
 * Returns true if the line starting at p (ending at the next LF or at
 * end) is marker followed only by spaces or tabs.  Blanks are allowed
 * because they are invisible in an editor and a stray one should not
 * turn a release's whole front matter into body text.
 */
static bool is_delimiter(const char *p, const char *end, const char *marker)
{
    size_t n = strlen(marker);

    if ((size_t)(end - p) < n || memcmp(p, marker, n) != 0)
        return false;
    for (p += n; p < end && *p != '\n'; p++)
        if (*p != ' ' && *p != '\t')
            return false;
    return true;
}

/* Returns the start of the line after the one starting at p, or end. */
static const char *next_line(const char *p, const char *end)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    return lf ? lf + 1 : end;
}

int md_split(md_parts *out, const char *text, size_t len,
             size_t max_front_matter, const char *file, pk_diag *diag)
{
    const char *end = text + len;
    const char *p, *yaml;
    unsigned long line = 2;

    memset(out, 0, sizeof *out);
    if (!is_delimiter(text, end, "---"))
        return pk_diag_set(diag, PK_EPARSE, file, 1, 1,
                           "expected front matter: '---' on line 1");
    p = yaml = next_line(text, end);
    while (p < end) {
        const char *next;
        if (is_delimiter(p, end, "---") || is_delimiter(p, end, "...")) {
            out->yaml = yaml;
            out->yaml_len = (size_t)(p - yaml);
            out->yaml_line = 2;
            out->body = next_line(p, end);
            out->body_len = (size_t)(end - out->body);
            out->body_line = line + 1;
            return PK_OK;
        }
        next = next_line(p, end);
        /* The front matter is every line up to the closing one, LFs
         * included; this line holds its byte number max + 1. */
        if ((size_t)(next - yaml) > max_front_matter)
            return pk_diag_set(diag, PK_ELIMIT, file, line,
                               (unsigned long)(max_front_matter -
                                               (size_t)(p - yaml)) + 1,
                               "front matter longer than %zu bytes "
                               "(option markdown.max_front_matter)",
                               max_front_matter);
        p = next;
        line++;
    }
    return pk_diag_set(diag, PK_EPARSE, file, 1, 1,
                       "unclosed front matter: no '---' or '...' line "
                       "closes the '---' on line 1");
}
