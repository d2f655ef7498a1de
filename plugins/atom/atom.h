/*
 * atom.h - the parts of the atom writer shared between its files; not
 * installed.  Every symbol here is hidden inside the module.
 */
#ifndef PK_ATOM_H
#define PK_ATOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <presskit/presskit.h>

#include "xmlout.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* text.c - growable byte buffers, XML-safe text, slugs. */

/* A growable NUL-terminated byte buffer; zero-initialise.  After a failed
 * allocation `failed` stays set and further appends do nothing. */
typedef struct atom_buf {
    char *data;
    size_t len, cap;
    bool failed;
} atom_buf;

bool atom_buf_put(atom_buf *b, const char *s, size_t len);
bool atom_buf_puts(atom_buf *b, const char *s);
/* Returns the contents (malloc'd, NUL-terminated; "" for an empty buffer)
 * and empties b; NULL if an allocation failed (b is freed then too). */
char *atom_buf_take(atom_buf *b);
void atom_buf_free(atom_buf *b);

/* Returns a malloc'd copy of s[0..len) with every character XML 1.0
 * forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and every byte
 * that does not start well-formed UTF-8 replaced by U+FFFD (common-xml's
 * pkx_buf_add_xml); NULL on out of memory.  s may be NULL when len is 0. */
char *atom_xml_strdup(const char *s, size_t len);

/* Maximum length of a slug in bytes. */
#define ATOM_SLUG_MAX 64
/* Returns the slug of s (malloc'd): lower-case ASCII letters, digits and
 * single '-' between words; Latin letters with diacritics folded to
 * ASCII, other letters dropped; "" if nothing is left.  NULL on out of
 * memory. */
char *atom_slug(const char *s);

/* entry.c - what the feed keeps of one release. */

/*
 * One entry: its <entry> element as the feed will carry it, rendered once
 * when its document is written, and what the feeds need to order it and
 * to find it.  One allocation: the strings and the XML follow the
 * header.  Shared between the feeds that hold it.
 */
typedef struct atom_entry {
    unsigned refs;          /* feeds holding it */
    unsigned n_terms;       /* labels for atom.split, distinct */
    uint64_t hash;          /* of id */
    pk_date date;
    const char *id, *title; /* XML-safe (cleaned), for ordering */
    const char *source;     /* for ordering and messages */
    const char *updated;    /* RFC 3339, also the published date */
    const char *terms;      /* n_terms NUL-terminated labels, XML-safe */
    const char *xml;        /* "  <entry>...</entry>\n" */
    size_t xml_len;
    char data[];            /* the above */
} atom_entry;

typedef enum atom_split {
    ATOM_SPLIT_NONE = 0,
    ATOM_SPLIT_PORTFOLIO,
    ATOM_SPLIT_MINISTER
} atom_split;

/* Buffers reused from one entry to the next (zero-initialise; free with
 * atom_scratch_free): a release's XML is built here and then copied out
 * at its exact size. */
typedef struct atom_scratch {
    pkx_buf xml, keys, clean, url;
    atom_buf summary;
} atom_scratch;

void atom_scratch_free(atom_scratch *s);

/* Renders doc into a new entry (refs 0).  tz is the offset in minutes for
 * dates without one; scheme the categories' scheme (may be NULL).
 * Returns PK_OK, or PK_ENOMEM, PK_ELIMIT or PK_EINVAL (diag filled). */
int atom_entry_new(const pk_doc *doc, int tz, atom_split split,
                   const char *scheme, atom_scratch *scratch,
                   atom_entry **out, pk_diag *diag);
void atom_entry_free(atom_entry *e);
/* Orders entries newest first; equal instants by id, then title, then
 * source name (bytewise).  Total for entries with distinct ids. */
int atom_entry_cmp(const atom_entry *a, const atom_entry *b, int tz);
/* FNV-1a 64 of a NUL-terminated string, never 0. */
uint64_t atom_hash(const char *s);

/* emit.c - one feed document. */

typedef struct atom_head {
    const char *id, *title, *subtitle, *updated;
    const char *self, *link;   /* may be NULL */
    const char *author;
} atom_head;

/* Writes a complete feed document to sink: the head, then each entry's
 * XML as rendered.  Returns PK_OK, or PK_EIO / PK_ENOMEM with diag filled
 * (file = the sink's name). */
int atom_emit_feed(pk_sink *sink, const atom_head *head,
                   atom_entry *const *entries, size_t n, pk_diag *diag);

#endif
