/*
 * pindex.c - the plugin index: DIR/plugins.index describes the plugin files
 * of DIR, so that a lazy context can register a plugin without loading it
 * (context.c decides what to trust; this file reads and writes the text).
 *
 * The format (also in docs/PLUGINS.md, "The plugin index"), UTF-8 text,
 * lines ended by LF:
 *
 *     presskit-plugin-index 1
 *     # any comment
 *     FILE SIZE MTIME KIND NAME ABI FLAGS EXTENSIONS MEDIA-TYPE VERSION SUMMARY
 *
 * The first line names the format and its version; a file with any other
 * first line is ignored whole.  Then one line per plugin file, eleven
 * fields separated by single TABs: the file's name in DIR, its size in
 * bytes and its modification time (SECONDS.NANOSECONDS) when it was
 * indexed; then what its descriptor declared: kind (reader or writer),
 * name, plugin ABI (MAJOR.MINOR), flags (decimal), extensions (separated
 * by commas; empty for none), media type, version and summary.  Within a
 * field a backslash escapes: \\ \t \n \r, \, (a comma inside an
 * extension), and \N alone is "no value" (a NULL media type).  Lines that
 * start with '#', empty lines and lines that do not parse are ignored.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define INDEX_MAGIC "presskit-plugin-index"
#define INDEX_VERSION 1
#define INDEX_MAX_BYTES (1u << 20) /* far more than any plugin dir needs */

void pk_index_free(pk_index *idx)
{
    for (size_t i = 0; i < idx->count; i++)
        free(idx->recs[i]);
    free(idx->recs);
    idx->recs = NULL;
    idx->count = 0;
}

const pk_index_rec *pk_index_find(const pk_index *idx, const char *file)
{
    for (size_t i = 0; i < idx->count; i++)
        if (idx->recs[i] && strcmp(idx->recs[i]->file, file) == 0)
            return idx->recs[i];
    return NULL;
}

pk_index_rec *pk_index_take(pk_index *idx, const pk_index_rec *rec)
{
    for (size_t i = 0; i < idx->count; i++)
        if (idx->recs[i] == rec) {
            idx->recs[i] = NULL;
            return (pk_index_rec *)rec;
        }
    return NULL;
}

bool pk_index_same_file(const pk_index_rec *rec, const struct stat *st)
{
    return S_ISREG(st->st_mode) && (uint64_t)st->st_size == rec->size &&
           (int64_t)st->st_mtim.tv_sec == rec->mtime_sec &&
           (long)st->st_mtim.tv_nsec == rec->mtime_nsec;
}

/* --- parsing ------------------------------------------------------------ */

/* Unescapes field [s, e) into out (room for e - s + 1 bytes); a comma
 * ends it early when in_list.  Returns the end of what was read, or NULL
 * on a bad escape.  *null is set for a lone \N. */
static const char *unescape(const char *s, const char *e, char *out,
                            bool in_list, bool *null)
{
    *null = false;
    if (e - s == 2 && s[0] == '\\' && s[1] == 'N' && !in_list) {
        *null = true;
        *out = '\0';
        return e;
    }
    while (s < e && !(in_list && *s == ',')) {
        char c = *s++;
        if (c == '\\') {
            if (s == e)
                return NULL;
            switch (*s++) {
            case '\\': c = '\\'; break;
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case ',': c = ','; break;
            default: return NULL;
            }
        }
        *out++ = c;
    }
    *out = '\0';
    return s;
}

static bool parse_u64(const char *s, const char *e, uint64_t *out)
{
    uint64_t v = 0;
    if (s == e || e - s > 19)
        return false;
    for (; s < e; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

enum { F_FILE, F_SIZE, F_MTIME, F_KIND, F_NAME, F_ABI, F_FLAGS, F_EXTS,
       F_MEDIA, F_VERSION, F_SUMMARY, N_FIELDS };

pk_index_rec *pk_index_parse_line(const char *line, size_t len)
{
    const char *f[N_FIELDS + 1];
    const char *end = line + len;
    size_t n = 0;
    f[n++] = line;
    for (const char *p = line; p < end; p++)
        if (*p == '\t') {
            if (n == N_FIELDS)
                return NULL;
            f[n++] = p + 1;
        }
    if (n != N_FIELDS)
        return NULL;
    f[N_FIELDS] = end + 1;
#define FEND(i) (f[(i) + 1] - 1)

    size_t n_ext = 0;
    if (FEND(F_EXTS) > f[F_EXTS]) {
        n_ext = 1;
        for (const char *p = f[F_EXTS]; p < FEND(F_EXTS); p++) {
            if (*p == '\\')
                p++;
            else if (*p == ',')
                n_ext++;
        }
    }
    /* One block: the record, the extension array, then the strings (no
     * longer than their escaped forms, each with its NUL). */
    size_t strings = len + N_FIELDS + n_ext + 1;
    size_t size = sizeof(pk_index_rec) + (n_ext + 1) * sizeof(char *) + strings;
    pk_index_rec *r = calloc(1, size);
    if (!r)
        return NULL;
    const char **exts = (const char **)(void *)(r + 1);
    char *out = (char *)(exts + n_ext + 1);
    bool null, ok = true;
    const char *str[N_FIELDS] = {0};
    for (int i = 0; i < N_FIELDS && ok; i++) {
        if (i == F_EXTS)
            continue;
        const char *stop = unescape(f[i], FEND(i), out, false, &null);
        ok = stop == FEND(i) && (!null || i == F_MEDIA);
        str[i] = null ? NULL : out;
        out += strlen(out) + 1;
    }
    const char *p = f[F_EXTS];
    for (size_t i = 0; i < n_ext && ok; i++) {
        p = unescape(p, FEND(F_EXTS), out, true, &null);
        ok = p != NULL;
        exts[i] = out;
        out += strlen(out) + 1;
        if (ok && p < FEND(F_EXTS))
            p++; /* the comma */
    }
    exts[n_ext] = NULL;

    uint64_t size_v = 0, sec = 0, nsec = 0, flags = 0, major = 0, minor = 0;
    if (ok) {
        const char *dot = strchr(str[F_MTIME], '.');
        const char *abidot = strchr(str[F_ABI], '.');
        ok = parse_u64(str[F_SIZE], str[F_SIZE] + strlen(str[F_SIZE]), &size_v) &&
             dot && parse_u64(str[F_MTIME], dot, &sec) &&
             parse_u64(dot + 1, dot + strlen(dot), &nsec) &&
             strlen(dot + 1) == 9 && sec <= INT64_MAX &&
             abidot && parse_u64(str[F_ABI], abidot, &major) &&
             parse_u64(abidot + 1, abidot + strlen(abidot), &minor) &&
             major <= UINT32_MAX && minor <= UINT32_MAX &&
             parse_u64(str[F_FLAGS], str[F_FLAGS] + strlen(str[F_FLAGS]), &flags) &&
             flags <= UINT_MAX && *str[F_FILE] && !strchr(str[F_FILE], '/');
    }
    pk_plugin_kind kind = 0;
    if (ok) {
        if (strcmp(str[F_KIND], "reader") == 0)
            kind = PK_PLUGIN_READER;
        else if (strcmp(str[F_KIND], "writer") == 0)
            kind = PK_PLUGIN_WRITER;
        else
            ok = false;
    }
    if (!ok) {
        free(r);
        return NULL;
    }
    r->file = str[F_FILE];
    r->size = size_v;
    r->mtime_sec = (int64_t)sec;
    r->mtime_nsec = (long)nsec;
    pk_plugin *d = &r->desc;
    d->abi_major = (uint32_t)major;
    d->abi_minor = (uint32_t)minor;
    d->size = (uint32_t)sizeof *d;
    d->name = str[F_NAME];
    d->kind = kind;
    d->version = str[F_VERSION];
    d->summary = str[F_SUMMARY];
    d->extensions = n_ext ? exts : NULL;
    d->media_type = str[F_MEDIA];
    d->flags = (unsigned)flags;
    return r;
#undef FEND
}

int pk_index_read(const char *dir, pk_index *out)
{
    out->recs = NULL;
    out->count = 0;
    size_t dlen = strlen(dir);
    char *path = malloc(dlen + sizeof "/" PK_PLUGIN_INDEX_NAME);
    if (!path)
        return PK_ENOMEM;
    memcpy(path, dir, dlen);
    memcpy(path + dlen, "/" PK_PLUGIN_INDEX_NAME, sizeof "/" PK_PLUGIN_INDEX_NAME);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp)
        return PK_OK; /* no index: every file is loaded */
    char *buf = malloc(INDEX_MAX_BYTES + 1);
    size_t len = buf ? fread(buf, 1, INDEX_MAX_BYTES + 1, fp) : 0;
    bool whole = buf && !ferror(fp) && len <= INDEX_MAX_BYTES;
    fclose(fp);
    if (!buf)
        return PK_ENOMEM;
    int rc = PK_OK;
    const char *p = buf, *end = buf + (whole ? len : 0);
    size_t cap = 0;
    /* The first line names the format and its version. */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    char want[64];
    int wl = snprintf(want, sizeof want, "%s %d", INDEX_MAGIC, INDEX_VERSION);
    if (!nl || nl - p != wl || memcmp(p, want, (size_t)wl) != 0)
        end = p; /* another format, or another version: ignored whole */
    else
        p = nl + 1;
    while (p < end && rc == PK_OK) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && *p != '#') {
            pk_index_rec *r = pk_index_parse_line(p, (size_t)(le - p));
            if (r && out->count == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                pk_index_rec **nr = realloc(out->recs, ncap * sizeof *nr);
                if (!nr) {
                    free(r);
                    r = NULL;
                    rc = PK_ENOMEM;
                } else {
                    out->recs = nr;
                    cap = ncap;
                }
            }
            if (r)
                out->recs[out->count++] = r;
        }
        p = nl ? nl + 1 : end;
    }
    free(buf);
    if (rc != PK_OK)
        pk_index_free(out);
    return rc;
}

/* --- writing ------------------------------------------------------------ */

typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool oom;
} strbuf;

static void put(strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void put_escaped(strbuf *b, const char *s, bool in_list)
{
    if (!s) {
        put(b, "\\N", 2);
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '\\': put(b, "\\\\", 2); break;
        case '\t': put(b, "\\t", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case ',':
            if (in_list) {
                put(b, "\\,", 2);
                break;
            }
            /* fall through */
        default: put(b, s, 1);
        }
    }
}

char *pk_index_format_line(const char *file, const struct stat *st,
                           const pk_plugin *p)
{
    strbuf b = {0};
    char num[96];
    put_escaped(&b, file, false);
    snprintf(num, sizeof num, "\t%" PRIu64 "\t%" PRId64 ".%09ld\t",
             (uint64_t)st->st_size, (int64_t)st->st_mtim.tv_sec,
             (long)st->st_mtim.tv_nsec);
    put(&b, num, strlen(num));
    put_escaped(&b, pk_plugin_kind_name(p->kind), false);
    put(&b, "\t", 1);
    put_escaped(&b, p->name, false);
    snprintf(num, sizeof num, "\t%" PRIu32 ".%" PRIu32 "\t%u\t", p->abi_major,
             p->abi_minor, p->flags);
    put(&b, num, strlen(num));
    for (const char *const *e = p->extensions; e && *e; e++) {
        if (e != p->extensions)
            put(&b, ",", 1);
        put_escaped(&b, *e, true);
    }
    put(&b, "\t", 1);
    put_escaped(&b, p->media_type, false);
    put(&b, "\t", 1);
    put_escaped(&b, p->version, false);
    put(&b, "\t", 1);
    put_escaped(&b, p->summary, false);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* --- comparing ---------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

const char *pk_index_compare(const pk_plugin *indexed, const pk_plugin *p,
                             char *buf, size_t len)
{
    const pk_plugin *a = indexed;
    if (a->kind != p->kind) {
        snprintf(buf, len, "kind: %s in the index, %s in the plugin",
                 pk_plugin_kind_name(a->kind), pk_plugin_kind_name(p->kind));
        return buf;
    }
#define CMP_STR(field, label)                                                  \
    if (!str_eq(a->field, p->field)) {                                         \
        snprintf(buf, len, label ": \"%s\" in the index, \"%s\" in the plugin", \
                 a->field ? a->field : "(none)", p->field ? p->field : "(none)"); \
        return buf;                                                            \
    }
    CMP_STR(name, "name")
    CMP_STR(version, "version")
#undef CMP_STR
    if (a->abi_major != p->abi_major || a->abi_minor != p->abi_minor) {
        snprintf(buf, len, "ABI: %u.%u in the index, %u.%u in the plugin",
                 (unsigned)a->abi_major, (unsigned)a->abi_minor,
                 (unsigned)p->abi_major, (unsigned)p->abi_minor);
        return buf;
    }
    if (a->flags != p->flags) {
        snprintf(buf, len, "flags: %u in the index, %u in the plugin",
                 a->flags, p->flags);
        return buf;
    }
    const char *const *x = a->extensions, *const *y = p->extensions;
    for (; x && *x && y && *y; x++, y++)
        if (strcmp(*x, *y) != 0)
            break;
    if ((x && *x) || (y && *y)) {
        snprintf(buf, len, "extensions differ");
        return buf;
    }
    if (!str_eq(a->media_type, p->media_type)) {
        snprintf(buf, len, "media type differs");
        return buf;
    }
    if (!str_eq(a->summary, p->summary)) {
        snprintf(buf, len, "summary differs");
        return buf;
    }
    return NULL;
}
