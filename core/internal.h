/*
 * internal.h - declarations shared by the core's files; not installed.
 */
#ifndef PK_INTERNAL_H
#define PK_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <presskit/presskit.h>

/* An arena: a chain of blocks, freed at once.  Not thread-safe; each
 * document has its own. */
typedef struct pk_arena_block pk_arena_block;
typedef struct pk_arena {
    pk_arena_block *head;
    char *cur;
    size_t left;
} pk_arena;

void pk_arena_init(pk_arena *a);
void pk_arena_release(pk_arena *a);
/* Zeroed, max-aligned memory; NULL on overflow or out of memory. */
void *pk_arena_alloc(pk_arena *a, size_t size);
/* The same, not cleared: for copies that fill it at once. */
void *pk_arena_alloc_raw(pk_arena *a, size_t size);

/* Growable array stored in the arena of a document. */
typedef struct pk_vec {
    void **items;
    size_t count;
    size_t cap;
} pk_vec;

int pk_vec_push(pk_doc *doc, pk_vec *v, void *item);

struct pk_value {
    pk_value_type type;
    pk_doc *doc;           /* the arena lists and maps grow in */
    unsigned long line, column;
    union {
        bool b;
        int64_t i;
        double r;
        struct { const char *s; size_t len; } str;
        struct { pk_vec items; pk_vec keys; } seq; /* keys used by maps */
    } u;
};

struct pk_node {
    pk_node_type type;
    pk_doc *doc;
    pk_node *parent, *first, *last, *next, *prev;
    unsigned long line, column;
    const char *literal;   /* text, code, html; fence info for code block */
    size_t literal_len;
    const char *info;      /* code block info */
    const char *url, *title;
    long start;            /* ordered list start; heading level */
    pk_list_type list_type;
    bool tight;
};

struct pk_doc {
    pk_arena arena;
    /* Writers on several threads may allocate in a shared, validated
     * document (pk_node_text): the arena takes a lock. */
    pthread_mutex_t lock;
    const char *source;
    pk_value *meta;
    pk_node *root;
    /* Cached by pk_doc_validate. */
    bool valid;
    const char *title, *date_string, *url, *lang;
    pk_date date;
    const char **ministers, **portfolios;
    size_t n_ministers, n_portfolios;
    /* Set by pk_doc_analyse (analysis.c owns the layout). */
    struct pk_analysis *analysis;
    const char *id;          /* explicit (pk_doc_set_id) or analysed */
    /* pk_doc_warn: the first PK_DOC_WARNINGS_MAX, in order, and a count. */
    struct pk_doc_warning *warnings, *warnings_tail;
    size_t n_warnings;
};

/* The size of an ABI 1.0 descriptor, the smallest a plugin may return:
 * the descriptor ends with the writer field in 1.0.  Later minors append
 * fields; a descriptor's size says which of them it has. */
#define PK_PLUGIN_SIZE_1_0 \
    (offsetof(pk_plugin, writer) + sizeof(((pk_plugin *)0)->writer))

/* Copies descriptor p (at least PK_PLUGIN_SIZE_1_0 bytes, as its size
 * says) into the host's layout at *out: the fields p is too old to have
 * read as zero (absent).  The pointers in it stay borrowed from p. */
void pk_plugin_copy(pk_plugin *out, const pk_plugin *p);

/* Whether name is a valid plugin or option name: 1-64 of [a-z0-9_-]. */
bool pk_plugin_name_ok(const char *name);

/* Copies at most n bytes of src to dst (size dstlen), cutting on a UTF-8
 * character boundary; always NUL-terminates. */
void pk_strlcpy_utf8(char *dst, size_t dstlen, const char *src, size_t n);

/* --- the plugin index (pindex.c) ---------------------------------------- */

struct stat;

/* One line of a plugin index: a file of the directory, its identity when
 * indexed, and the descriptor it declared.  desc has no options and no
 * operations (NULL); its strings live in the record's own block, freed
 * with it (free()). */
typedef struct pk_index_rec {
    const char *file;      /* the file's name in its directory */
    uint64_t size;
    int64_t mtime_sec;
    long mtime_nsec;
    pk_plugin desc;
} pk_index_rec;

typedef struct pk_index {
    pk_index_rec **recs;   /* an entry is NULL once taken */
    size_t count;
} pk_index;

/* Reads dir/PK_PLUGIN_INDEX_NAME.  A missing, unreadable or foreign file
 * (another format or version) gives an empty index; lines that do not
 * parse are left out.  Returns PK_OK or PK_ENOMEM. */
int pk_index_read(const char *dir, pk_index *out);
void pk_index_free(pk_index *idx);
/* The record of file (a name in the directory), or NULL. */
const pk_index_rec *pk_index_find(const pk_index *idx, const char *file);
/* Removes rec from idx and gives it to the caller (free() it). */
pk_index_rec *pk_index_take(pk_index *idx, const pk_index_rec *rec);
/* Whether st (of the file now) is the file rec describes: a regular file
 * of the same size and modification time. */
bool pk_index_same_file(const pk_index_rec *rec, const struct stat *st);
/* Parses one line (no LF); NULL if it does not parse (or no memory). */
pk_index_rec *pk_index_parse_line(const char *line, size_t len);
/* Formats the line of file (stat st) declaring checked descriptor p, with
 * no LF; malloc'ed, NULL when out of memory. */
char *pk_index_format_line(const char *file, const struct stat *st,
                           const pk_plugin *p);
/* Compares what an index line declared with a loaded descriptor (kind,
 * name, version, ABI, flags, extensions, media type, summary).  Returns
 * NULL when they match, else buf holding the first difference. */
const char *pk_index_compare(const pk_plugin *indexed, const pk_plugin *p,
                             char *buf, size_t len);

#endif
