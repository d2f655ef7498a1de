/*
 * options.c - a plugin's declared options and the values the user set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

struct pk_options {
    char *ns;
    const pk_option_def *defs;
    size_t count;
    char **values;   /* values[i] for defs[i]; NULL when unset */
};

const char *pk_option_type_name(pk_option_type type)
{
    switch (type) {
    case PK_OPTION_STRING: return "string";
    case PK_OPTION_BOOL: return "bool";
    case PK_OPTION_INT: return "int";
    }
    return "unknown";
}

int pk_options_new(pk_options **out, const char *ns, const pk_option_def *defs)
{
    *out = NULL;
    pk_options *o = calloc(1, sizeof *o);
    if (!o)
        return PK_ENOMEM;
    o->defs = defs;
    while (defs && defs[o->count].name)
        o->count++;
    o->ns = strdup(ns ? ns : "");
    o->values = calloc(o->count ? o->count : 1, sizeof *o->values);
    if (!o->ns || !o->values) {
        pk_options_free(o);
        return PK_ENOMEM;
    }
    *out = o;
    return PK_OK;
}

void pk_options_free(pk_options *o)
{
    if (!o)
        return;
    for (size_t i = 0; o->values && i < o->count; i++)
        free(o->values[i]);
    free(o->values);
    free(o->ns);
    free(o);
}

static long find(const pk_options *o, const char *name)
{
    for (size_t i = 0; o && name && i < o->count; i++)
        if (strcmp(o->defs[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Parses a boolean as the CLI documents it; -1 if it is not one. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

static bool parse_int(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

int pk_options_set(pk_options *o, const char *name, const char *value,
                   pk_diag *diag)
{
    long i = find(o, name);
    if (i < 0) {
        char valid[PK_DIAG_MESSAGE_MAX / 2] = "";
        size_t off = 0;
        for (size_t k = 0; k < o->count && off + 1 < sizeof valid; k++) {
            int n = snprintf(valid + off, sizeof valid - off, "%s%s.%s",
                             k ? ", " : "", o->ns, o->defs[k].name);
            if (n < 0)
                break;
            off += (size_t)n;
        }
        if (o->count == 0)
            return pk_diag_set(diag, PK_ENOTFOUND, NULL, 0, 0,
                               "unknown option %s.%s: %s takes no options",
                               o->ns, name, o->ns);
        return pk_diag_set(diag, PK_ENOTFOUND, NULL, 0, 0,
                           "unknown option %s.%s (valid: %s)", o->ns, name,
                           valid);
    }
    const pk_option_def *d = &o->defs[i];
    long ignored;
    if (d->type == PK_OPTION_BOOL && parse_bool(value) < 0)
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "option %s.%s: expected true or false, got \"%s\"",
                           o->ns, name, value);
    if (d->type == PK_OPTION_INT && !parse_int(value, &ignored))
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "option %s.%s: expected an integer, got \"%s\"",
                           o->ns, name, value);
    char *copy = strdup(value);
    if (!copy)
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    free(o->values[i]);
    o->values[i] = copy;
    return PK_OK;
}

const char *pk_options_get(const pk_options *o, const char *name)
{
    long i = find(o, name);
    if (i < 0)
        return NULL;
    return o->values[i] ? o->values[i] : o->defs[i].default_value;
}

bool pk_options_get_bool(const pk_options *o, const char *name)
{
    const char *v = pk_options_get(o, name);
    return v && parse_bool(v) == 1;
}

long pk_options_get_int(const pk_options *o, const char *name)
{
    const char *v = pk_options_get(o, name);
    long n = 0;
    return v && parse_int(v, &n) ? n : 0;
}

bool pk_options_is_set(const pk_options *o, const char *name)
{
    long i = find(o, name);
    return i >= 0 && o->values[i] != NULL;
}

const pk_option_def *pk_options_defs(const pk_options *o)
{
    return o ? o->defs : NULL;
}
