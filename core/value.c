/*
 * value.c - typed metadata values, allocated in their document's arena.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

int pk_vec_push(pk_doc *doc, pk_vec *v, void *item)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        void **items = pk_doc_alloc(doc, cap * sizeof *items);
        if (!items)
            return PK_ENOMEM;
        if (v->count)
            memcpy(items, v->items, v->count * sizeof *items);
        /* The old array stays in the arena: vectors are small and the
         * arena is freed as a whole. */
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = item;
    return PK_OK;
}

const char *pk_value_type_name(pk_value_type type)
{
    switch (type) {
    case PK_VALUE_NULL: return "null";
    case PK_VALUE_BOOL: return "bool";
    case PK_VALUE_INTEGER: return "integer";
    case PK_VALUE_REAL: return "real";
    case PK_VALUE_STRING: return "string";
    case PK_VALUE_LIST: return "list";
    case PK_VALUE_MAP: return "map";
    }
    return "unknown";
}

static pk_value *value_new(pk_doc *doc, pk_value_type type)
{
    pk_value *v = pk_doc_alloc(doc, sizeof *v);
    if (v) {
        v->type = type;
        v->doc = doc;
    }
    return v;
}

pk_value *pk_value_new_null(pk_doc *doc)
{
    return value_new(doc, PK_VALUE_NULL);
}

pk_value *pk_value_new_bool(pk_doc *doc, bool b)
{
    pk_value *v = value_new(doc, PK_VALUE_BOOL);
    if (v)
        v->u.b = b;
    return v;
}

pk_value *pk_value_new_integer(pk_doc *doc, int64_t i)
{
    pk_value *v = value_new(doc, PK_VALUE_INTEGER);
    if (v)
        v->u.i = i;
    return v;
}

pk_value *pk_value_new_real(pk_doc *doc, double r)
{
    if (!isfinite(r))
        return NULL;
    pk_value *v = value_new(doc, PK_VALUE_REAL);
    if (v)
        v->u.r = r;
    return v;
}

pk_value *pk_value_new_string(pk_doc *doc, const char *s, size_t len)
{
    pk_value *v = value_new(doc, PK_VALUE_STRING);
    if (!v)
        return NULL;
    v->u.str.s = pk_doc_strndup(doc, s, len);
    if (!v->u.str.s)
        return NULL;
    v->u.str.len = len;
    return v;
}

pk_value *pk_value_new_list(pk_doc *doc)
{
    return value_new(doc, PK_VALUE_LIST);
}

pk_value *pk_value_new_map(pk_doc *doc)
{
    return value_new(doc, PK_VALUE_MAP);
}

int pk_value_list_append(pk_value *list, pk_value *item)
{
    if (!list || !item || list->type != PK_VALUE_LIST || item->doc != list->doc)
        return PK_EINVAL;
    return pk_vec_push(list->doc, &list->u.seq.items, item);
}

int pk_value_map_append(pk_value *map, const char *key, size_t key_len,
                        pk_value *val)
{
    if (!map || !key || !val || map->type != PK_VALUE_MAP || val->doc != map->doc)
        return PK_EINVAL;
    pk_value *k = pk_value_new_string(map->doc, key, key_len);
    if (!k)
        return PK_ENOMEM;
    int rc = pk_vec_push(map->doc, &map->u.seq.keys, k);
    if (rc == PK_OK)
        rc = pk_vec_push(map->doc, &map->u.seq.items, val);
    if (rc != PK_OK && map->u.seq.keys.count > map->u.seq.items.count)
        map->u.seq.keys.count--;
    return rc;
}

void pk_value_set_pos(pk_value *v, unsigned long line, unsigned long column)
{
    if (v) {
        v->line = line;
        v->column = column;
    }
}

unsigned long pk_value_line(const pk_value *v)
{
    return v ? v->line : 0;
}

unsigned long pk_value_column(const pk_value *v)
{
    return v ? v->column : 0;
}

pk_value_type pk_value_type_of(const pk_value *v)
{
    return v ? v->type : PK_VALUE_NULL;
}

bool pk_value_bool(const pk_value *v)
{
    return v && v->type == PK_VALUE_BOOL && v->u.b;
}

int64_t pk_value_integer(const pk_value *v)
{
    return v && v->type == PK_VALUE_INTEGER ? v->u.i : 0;
}

double pk_value_real(const pk_value *v)
{
    if (!v)
        return 0;
    if (v->type == PK_VALUE_REAL)
        return v->u.r;
    if (v->type == PK_VALUE_INTEGER)
        return (double)v->u.i;
    return 0;
}

const char *pk_value_string(const pk_value *v, size_t *len)
{
    if (!v || v->type != PK_VALUE_STRING)
        return NULL;
    if (len)
        *len = v->u.str.len;
    return v->u.str.s;
}

size_t pk_value_count(const pk_value *v)
{
    if (!v || (v->type != PK_VALUE_LIST && v->type != PK_VALUE_MAP))
        return 0;
    return v->u.seq.items.count;
}

pk_value *pk_value_at(const pk_value *v, size_t i)
{
    if (i >= pk_value_count(v))
        return NULL;
    return v->u.seq.items.items[i];
}

const char *pk_value_key_at(const pk_value *v, size_t i, size_t *len)
{
    if (!v || v->type != PK_VALUE_MAP || i >= v->u.seq.keys.count)
        return NULL;
    return pk_value_string(v->u.seq.keys.items[i], len);
}

long pk_value_map_index(const pk_value *v, const char *key, size_t key_len)
{
    if (!v || v->type != PK_VALUE_MAP || !key)
        return -1;
    for (size_t i = 0; i < v->u.seq.keys.count; i++) {
        const pk_value *k = v->u.seq.keys.items[i];
        if (k->u.str.len == key_len && memcmp(k->u.str.s, key, key_len) == 0)
            return (long)i;
    }
    return -1;
}

pk_value *pk_value_map_get(const pk_value *v, const char *key)
{
    long i = key ? pk_value_map_index(v, key, strlen(key)) : -1;
    return i < 0 ? NULL : v->u.seq.items.items[i];
}
