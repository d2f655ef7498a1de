/*
 * presskit/value.h - typed metadata values.
 *
 * Front matter is kept whole and in order as a tree of values: null, bool,
 * integer, real, string, list and map (ordered key/value pairs with string
 * keys).  Values live in their document's arena: they are created with the
 * pk_value_new_* functions of a pk_doc, never freed one by one, and every
 * pointer returned here is borrowed from the document.
 */
#ifndef PRESSKIT_VALUE_H
#define PRESSKIT_VALUE_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_doc pk_doc;
typedef struct pk_value pk_value;

/* The kinds of value.  INTEGER and REAL are both "number" in JSON. */
typedef enum pk_value_type {
    PK_VALUE_NULL = 0,
    PK_VALUE_BOOL,
    PK_VALUE_INTEGER,
    PK_VALUE_REAL,
    PK_VALUE_STRING,
    PK_VALUE_LIST,
    PK_VALUE_MAP
} pk_value_type;

/* Returns a static lower-case name for a value type ("string", "map"…). */
PK_EXTERN const char *pk_value_type_name(pk_value_type type);

/* Creates a null value in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_null(pk_doc *doc);
/* Creates a boolean value in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_bool(pk_doc *doc, bool b);
/* Creates an integer value in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_integer(pk_doc *doc, int64_t i);
/* Creates a real (finite double) value in doc's arena; NULL on out of
 * memory or if r is not finite. */
PK_EXTERN pk_value *pk_value_new_real(pk_doc *doc, double r);
/* Creates a string value holding a copy of s[0..len) (UTF-8, may contain
 * NUL) in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_string(pk_doc *doc, const char *s, size_t len);
/* Creates an empty list in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_list(pk_doc *doc);
/* Creates an empty map in doc's arena; NULL on out of memory. */
PK_EXTERN pk_value *pk_value_new_map(pk_doc *doc);

/* Appends item (a value of the same document) to list.  Returns PK_OK,
 * PK_EINVAL if list is not a list, or PK_ENOMEM. */
PK_EXTERN int pk_value_list_append(pk_value *list, pk_value *item);
/* Appends key (copied, key_len bytes) -> val to map, keeping insertion
 * order.  Duplicate keys are the caller's to check (pk_value_map_get).
 * Returns PK_OK, PK_EINVAL if map is not a map, or PK_ENOMEM. */
PK_EXTERN int pk_value_map_append(pk_value *map, const char *key,
                                  size_t key_len, pk_value *val);

/* Sets the source position of v (1-based line and byte column; 0 when
 * unknown).  Readers set it so later checks can point at the value. */
PK_EXTERN void pk_value_set_pos(pk_value *v, unsigned long line,
                                unsigned long column);
/* Returns the source line of v, 0 if unknown. */
PK_EXTERN unsigned long pk_value_line(const pk_value *v);
/* Returns the source column of v, 0 if unknown. */
PK_EXTERN unsigned long pk_value_column(const pk_value *v);

/* Returns the type of v. */
PK_EXTERN pk_value_type pk_value_type_of(const pk_value *v);
/* Returns the boolean of a BOOL value, false for any other type. */
PK_EXTERN bool pk_value_bool(const pk_value *v);
/* Returns the integer of an INTEGER value, 0 for any other type. */
PK_EXTERN int64_t pk_value_integer(const pk_value *v);
/* Returns the number of an INTEGER or REAL value, 0 for any other type. */
PK_EXTERN double pk_value_real(const pk_value *v);
/* Returns the bytes of a STRING value (NUL-terminated, borrowed) and
 * stores its length in *len if len is not NULL; NULL for other types. */
PK_EXTERN const char *pk_value_string(const pk_value *v, size_t *len);
/* Returns the number of items of a LIST or pairs of a MAP, else 0. */
PK_EXTERN size_t pk_value_count(const pk_value *v);
/* Returns item i of a LIST or the value of pair i of a MAP (borrowed), or
 * NULL if out of range. */
PK_EXTERN pk_value *pk_value_at(const pk_value *v, size_t i);
/* Returns the key of pair i of a MAP (borrowed, NUL-terminated) and its
 * length in *len if len is not NULL, or NULL if out of range. */
PK_EXTERN const char *pk_value_key_at(const pk_value *v, size_t i,
                                      size_t *len);
/* Returns the value for key in a MAP (borrowed; the first if repeated),
 * or NULL if absent or v is not a map. */
PK_EXTERN pk_value *pk_value_map_get(const pk_value *v, const char *key);
/* Returns the index of key in a MAP, or -1 if absent. */
PK_EXTERN long pk_value_map_index(const pk_value *v, const char *key,
                                  size_t key_len);

#ifdef __cplusplus
}
#endif
#endif
