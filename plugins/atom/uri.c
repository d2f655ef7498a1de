/*
 * uri.c - RFC 3986 reference resolution, and the URLs a feed must not
 * carry.
 *
 * Releases link with relative references ("/release/x", "../y.pdf"); a
 * feed reader has no base for them but the entry's url, so the writer
 * resolves them with the algorithm of RFC 3986 section 5.2, strictly
 * (a reference with a scheme is never treated as relative).
 */
#include <stdlib.h>
#include <string.h>

#include "atom.h"

/* One component of a URI reference: s[0..n), or undefined. */
typedef struct part {
    const char *s;
    size_t n;
    bool defined;
} part;

typedef struct uri {
    part scheme, authority, path, query, fragment;
} uri;

static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the scheme of s (ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")
 * followed by ':'), or 0. */
static size_t scheme_len(const char *s)
{
    if (!alpha(s[0]))
        return 0;
    size_t i = 1;
    while (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
           s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

bool atom_uri_has_scheme(const char *ref)
{
    return scheme_len(ref) > 0;
}

/* Splits s as the regular expression of RFC 3986 appendix B does, with a
 * valid scheme required. */
static void split(const char *s, uri *u)
{
    memset(u, 0, sizeof *u);
    size_t n = scheme_len(s);
    if (n) {
        u->scheme = (part){s, n, true};
        s += n + 1;
    }
    if (s[0] == '/' && s[1] == '/') {
        s += 2;
        size_t a = strcspn(s, "/?#");
        u->authority = (part){s, a, true};
        s += a;
    }
    size_t p = strcspn(s, "?#");
    u->path = (part){s, p, true};
    s += p;
    if (*s == '?') {
        s++;
        size_t q = strcspn(s, "#");
        u->query = (part){s, q, true};
        s += q;
    }
    if (*s == '#') {
        s++;
        u->fragment = (part){s, strlen(s), true};
    }
}

/* Drops the last segment of out, and the '/' before it. */
static void pop_segment(atom_buf *out)
{
    while (out->len > 0 && out->data[out->len - 1] != '/')
        out->len--;
    if (out->len > 0)
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

/* Appends remove_dot_segments(in[0..n)) (RFC 3986 section 5.2.4). */
static bool remove_dots(atom_buf *out, const char *in, size_t n)
{
    atom_buf tmp = {0};
    if (!atom_buf_put(&tmp, in, n))
        return false;
    char *s = tmp.data;
    size_t i = 0;
    atom_buf seg = {0};
    /* Segments are collected in seg, then appended to out. */
    while (i < n) {
        const char *p = s + i;
        size_t left = n - i;
        if (left >= 3 && !strncmp(p, "../", 3)) {
            i += 3;
        } else if (left >= 2 && !strncmp(p, "./", 2)) {
            i += 2;
        } else if (left >= 3 && !strncmp(p, "/./", 3)) {
            i += 2;
        } else if (left == 2 && !strncmp(p, "/.", 2)) {
            s[i + 1] = '/';
            i += 1;
        } else if (left >= 4 && !strncmp(p, "/../", 4)) {
            i += 3;
            pop_segment(&seg);
        } else if (left == 3 && !strncmp(p, "/..", 3)) {
            s[i + 2] = '/';
            i += 2;
            pop_segment(&seg);
        } else if ((left == 1 && p[0] == '.') ||
                   (left == 2 && !strncmp(p, "..", 2))) {
            i = n;
        } else {
            size_t k = p[0] == '/' ? 1 : 0;
            while (k < left && p[k] != '/')
                k++;
            atom_buf_put(&seg, p, k);
            i += k;
        }
    }
    bool ok = !seg.failed && atom_buf_put(out, seg.data ? seg.data : "", seg.len);
    atom_buf_free(&seg);
    atom_buf_free(&tmp);
    return ok;
}

static bool put_part(atom_buf *b, const char *before, part p)
{
    if (!p.defined)
        return true;
    return atom_buf_puts(b, before) && atom_buf_put(b, p.s, p.n);
}

char *atom_uri_resolve(const char *base, const char *ref)
{
    uri b, r;
    if (!base || !atom_uri_has_scheme(base))
        return strdup(ref);
    split(base, &b);
    split(ref, &r);

    atom_buf out = {0};
    part authority, query;
    atom_buf path = {0};
    const uri *t_scheme = r.scheme.defined ? &r : &b;
    if (r.scheme.defined) {
        authority = r.authority;
        remove_dots(&path, r.path.s, r.path.n);
        query = r.query;
    } else if (r.authority.defined) {
        authority = r.authority;
        remove_dots(&path, r.path.s, r.path.n);
        query = r.query;
    } else {
        authority = b.authority;
        if (r.path.n == 0) {
            atom_buf_put(&path, b.path.s, b.path.n);
            query = r.query.defined ? r.query : b.query;
        } else {
            if (r.path.s[0] == '/') {
                remove_dots(&path, r.path.s, r.path.n);
            } else {
                /* merge (section 5.2.3), then remove the dots */
                atom_buf merged = {0};
                if (b.authority.defined && b.path.n == 0) {
                    atom_buf_put(&merged, "/", 1);
                } else {
                    size_t k = b.path.n;
                    while (k > 0 && b.path.s[k - 1] != '/')
                        k--;
                    atom_buf_put(&merged, b.path.s, k);
                }
                atom_buf_put(&merged, r.path.s, r.path.n);
                if (!merged.failed)
                    remove_dots(&path, merged.data, merged.len);
                else
                    path.failed = true;
                atom_buf_free(&merged);
            }
            query = r.query;
        }
    }
    atom_buf_put(&out, t_scheme->scheme.s, t_scheme->scheme.n);
    atom_buf_put(&out, ":", 1);
    put_part(&out, "//", authority);
    if (path.failed)
        out.failed = true;
    else
        atom_buf_put(&out, path.data ? path.data : "", path.len);
    put_part(&out, "?", query);
    put_part(&out, "#", r.fragment);
    atom_buf_free(&path);
    return atom_buf_take(&out);
}

bool atom_uri_is_dangerous(const char *url)
{
    /* What a browser's URL parser sees: leading C0 controls and spaces
     * stripped, tabs and newlines removed anywhere, scheme case-folded. */
    char head[32];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= 0x20)
        p++;
    for (; *p && n < sizeof head - 1; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            continue;
        head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    }
    head[n] = '\0';
    static const char *const bad[] = {"javascript:", "vbscript:", "file:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!strncmp(head, bad[i], strlen(bad[i])))
            return true;
    if (!strncmp(head, "data:", 5)) {
        static const char *const images[] = {
            "data:image/png", "data:image/gif", "data:image/jpeg",
            "data:image/webp"};
        for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
            if (!strncmp(head, images[i], strlen(images[i])))
                return false;
        return true;
    }
    return false;
}
