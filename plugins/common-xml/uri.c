/*
 * uri.c - the URLs the XML writers carry (the policy is in uri.h), and
 * RFC 3986 reference resolution.
 *
 * Releases link with relative references ("/release/x", "../y.pdf"); a
 * feed reader has no base for them but the entry's url, so the atom
 * writer resolves them with the algorithm of RFC 3986 section 5.2,
 * strictly (a reference with a scheme is never treated as relative).
 */
#include <stdlib.h>
#include <string.h>

#include "xmlout.h"

/* ---- the policy -------------------------------------------------------- */

static bool ascii_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Finds the scheme of url the way browsers do: leading spaces and
 * controls skipped, tabs and newlines anywhere ignored, then a letter
 * followed by letters, digits, '+', '-' or '.' up to a ':'.  Stores it in
 * lower case in buf (cap bytes; a longer scheme is cut, which never
 * matches a known one).  Returns false if url has no scheme.
 */
static bool url_scheme(const char *url, char *buf, size_t cap)
{
    const unsigned char *p = (const unsigned char *)url;
    size_t n = 0;
    while (*p && *p <= 0x20)
        p++;
    for (;; p++) {
        int c = *p;
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':') {
            buf[n < cap ? n : cap - 1] = '\0';
            return n > 0;
        }
        if (!(ascii_alpha(c) ||
              (n > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
                         c == '.'))))
            return false;
        if (n + 1 < cap)
            buf[n] = (char)ascii_lower(c);
        n++;
    }
}

/* A reference that starts with two slashes (or backslashes, which
 * browsers read as slashes) names a host. */
static bool network_path(const char *url)
{
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= 0x20)
        p++;
    return (p[0] == '/' || p[0] == '\\') && (p[1] == '/' || p[1] == '\\');
}

bool pkx_url_is_safe(const char *url)
{
    static const char *const safe[] = {"http", "https", "mailto", "tel", "ftp"};
    char scheme[16];
    if (!url || !url_scheme(url, scheme, sizeof scheme))
        return true;
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
        if (strcmp(scheme, safe[i]) == 0)
            return true;
    return false;
}

bool pkx_url_is_remote(const char *url)
{
    char scheme[16];
    if (!url)
        return false;
    if (url_scheme(url, scheme, sizeof scheme))
        return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
    return network_path(url);
}

bool pkx_url_is_local(const char *url)
{
    char scheme[16];
    return url && !url_scheme(url, scheme, sizeof scheme) && !network_path(url);
}

bool pkx_url_is_data_image(const char *url)
{
    static const char *const types[] = {"image/png", "image/gif",
                                        "image/jpeg", "image/webp"};
    char scheme[8], type[16];
    size_t n = 0;
    if (!url || !url_scheme(url, scheme, sizeof scheme) ||
        strcmp(scheme, "data") != 0)
        return false;
    /* The media type, read as the scheme was; the first ':' of url ends
     * the scheme, as url_scheme found. */
    for (const char *p = strchr(url, ':') + 1; *p && n < sizeof type - 1; p++)
        if (*p != '\t' && *p != '\n' && *p != '\r')
            type[n++] = (char)ascii_lower((unsigned char)*p);
    type[n] = '\0';
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t k = strlen(types[i]);
        if (strncmp(type, types[i], k) == 0 &&
            (type[k] == ';' || type[k] == ','))
            return true;
    }
    return false;
}

bool pkx_url_is_safe_image(const char *url, bool data_images)
{
    if (!url || !*url)
        return false;
    return pkx_url_is_remote(url) || pkx_url_is_local(url) ||
           (data_images && pkx_url_is_data_image(url));
}

/* ---- RFC 3986 resolution ----------------------------------------------- */

/* One component of a URI reference: s[0..n), or undefined. */
typedef struct part {
    const char *s;
    size_t n;
    bool defined;
} part;

typedef struct uri {
    part scheme, authority, path, query, fragment;
} uri;

/* Length of the scheme of s (ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")
 * followed by ':'), or 0. */
static size_t scheme_len(const char *s)
{
    if (!ascii_alpha(s[0]))
        return 0;
    size_t i = 1;
    while (ascii_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
           s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

bool pkx_uri_has_scheme(const char *ref)
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
static void pop_segment(pkx_buf *out)
{
    while (out->len > 0 && out->data[out->len - 1] != '/')
        out->len--;
    if (out->len > 0)
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

/* Appends remove_dot_segments(in[0..n)) (RFC 3986 section 5.2.4).
 * Returns 0, or -1 on out of memory. */
static int remove_dots(pkx_buf *out, const char *in, size_t n)
{
    pkx_buf tmp = {0}, seg = {0};
    int rc = pkx_buf_add(&tmp, in, n);
    char *s = tmp.data;
    size_t i = 0;
    /* Segments are collected in seg, then appended to out. */
    while (rc == 0 && i < n) {
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
            rc = pkx_buf_add(&seg, p, k);
            i += k;
        }
    }
    if (rc == 0)
        rc = pkx_buf_add(out, seg.data, seg.len);
    pkx_buf_free(&seg);
    pkx_buf_free(&tmp);
    return rc;
}

/* Appends before and p if p is defined.  Returns 0 or -1. */
static int put_part(pkx_buf *b, const char *before, part p)
{
    if (!p.defined)
        return 0;
    return pkx_buf_add(b, before, strlen(before)) < 0 ? -1
                                                       : pkx_buf_add(b, p.s, p.n);
}

/* The path of the target (section 5.2.2) for a reference r without
 * scheme or authority, with a path, against base b. */
static int merge_path(pkx_buf *path, const uri *b, const uri *r)
{
    if (r->path.s[0] == '/')
        return remove_dots(path, r->path.s, r->path.n);
    /* merge (section 5.2.3), then remove the dots */
    pkx_buf merged = {0};
    int rc;
    if (b->authority.defined && b->path.n == 0) {
        rc = pkx_buf_add(&merged, "/", 1);
    } else {
        size_t k = b->path.n;
        while (k > 0 && b->path.s[k - 1] != '/')
            k--;
        rc = pkx_buf_add(&merged, b->path.s, k);
    }
    if (rc == 0 && (rc = pkx_buf_add(&merged, r->path.s, r->path.n)) == 0)
        rc = remove_dots(path, merged.data, merged.len);
    pkx_buf_free(&merged);
    return rc;
}

char *pkx_uri_resolve(const char *base, const char *ref)
{
    uri b, r;
    if (!base || !pkx_uri_has_scheme(base))
        return strdup(ref);
    split(base, &b);
    split(ref, &r);

    pkx_buf out = {0}, path = {0};
    part authority, query;
    int rc;
    const uri *t_scheme = r.scheme.defined ? &r : &b;
    if (r.scheme.defined || r.authority.defined) {
        authority = r.authority;
        rc = remove_dots(&path, r.path.s, r.path.n);
        query = r.query;
    } else {
        authority = b.authority;
        if (r.path.n == 0) {
            rc = pkx_buf_add(&path, b.path.s, b.path.n);
            query = r.query.defined ? r.query : b.query;
        } else {
            rc = merge_path(&path, &b, &r);
            query = r.query;
        }
    }
    if (rc == 0 &&
        pkx_buf_add(&out, t_scheme->scheme.s, t_scheme->scheme.n) == 0 &&
        pkx_buf_add(&out, ":", 1) == 0 && put_part(&out, "//", authority) == 0 &&
        pkx_buf_add(&out, path.data, path.len) == 0 &&
        put_part(&out, "?", query) == 0 && put_part(&out, "#", r.fragment) == 0) {
        pkx_buf_free(&path);
        return out.data; /* never NULL: the scheme was added */
    }
    pkx_buf_free(&path);
    pkx_buf_free(&out);
    return NULL;
}
