/*
 * presskit/options.h - typed, declared plugin options.
 *
 * A plugin lists its options in a table of pk_option_def; users set them as
 * namespaced KEY=VALUE pairs (`-M json.lines=true`, or a config file).  The
 * core checks every key against the table and every value against its type
 * before any work starts, so a plugin only ever reads declared, well-typed
 * options, with defaults filled in.
 */
#ifndef PRESSKIT_OPTIONS_H
#define PRESSKIT_OPTIONS_H

#include <stdbool.h>
#include "common.h"
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Types of option values. */
typedef enum pk_option_type {
    PK_OPTION_STRING = 1,
    PK_OPTION_BOOL,     /* true/false, yes/no, on/off, 1/0 */
    PK_OPTION_INT       /* decimal integer, optional sign */
} pk_option_type;

/* One declared option.  A plugin's table ends with an entry whose name is
 * NULL.  default_value is the text form (NULL for none). */
typedef struct pk_option_def {
    const char *name;
    pk_option_type type;
    const char *default_value;
    const char *help;
} pk_option_def;

/* Returns a static name for an option type ("string", "bool", "int"). */
PK_EXTERN const char *pk_option_type_name(pk_option_type type);

typedef struct pk_options pk_options;

/* Creates an option set for a plugin called ns (e.g. "json") declaring
 * defs (borrowed; must outlive the set).  The caller owns it: free with
 * pk_options_free().  Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_options_new(pk_options **out, const char *ns,
                             const pk_option_def *defs);
/* Frees an option set; NULL is allowed. */
PK_EXTERN void pk_options_free(pk_options *opts);

/*
 * Sets option name (without the namespace) to value (copied).  Returns
 * PK_OK; PK_ENOTFOUND if the plugin does not declare name (diag lists the
 * valid keys); PK_EINVAL if value does not fit the type (diag says what
 * was expected); PK_ENOMEM.
 */
PK_EXTERN int pk_options_set(pk_options *opts, const char *name,
                             const char *value, pk_diag *diag);

/* Returns the value of a declared option, or its default, as text
 * (borrowed from the set); NULL if unset with no default or undeclared. */
PK_EXTERN const char *pk_options_get(const pk_options *opts, const char *name);
/* Returns a bool option's value (default when unset), false if undeclared. */
PK_EXTERN bool pk_options_get_bool(const pk_options *opts, const char *name);
/* Returns an int option's value (default when unset), 0 if undeclared. */
PK_EXTERN long pk_options_get_int(const pk_options *opts, const char *name);
/* Returns true if the user set name explicitly. */
PK_EXTERN bool pk_options_is_set(const pk_options *opts, const char *name);

/* Returns the declared options table (borrowed). */
PK_EXTERN const pk_option_def *pk_options_defs(const pk_options *opts);

#ifdef __cplusplus
}
#endif
#endif
