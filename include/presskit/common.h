/*
 * presskit/common.h - export macro, error codes and versions shared by
 * every public header.
 */
#ifndef PRESSKIT_COMMON_H
#define PRESSKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a symbol exported from libpresskit (everything else is hidden). */
#if defined(PK_BUILDING_LIBRARY) && defined(__GNUC__)
#define PK_EXTERN __attribute__((visibility("default")))
#else
#define PK_EXTERN
#endif

/* printf-style format checking for the variadic helpers. */
#if defined(__GNUC__)
#define PK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PK_PRINTF(fmt, args)
#endif

/* The presskit release version, as a string and as numbers. */
#define PK_VERSION_STRING "0.1.0"
#define PK_VERSION_MAJOR 0
#define PK_VERSION_MINOR 1
#define PK_VERSION_PATCH 0

/*
 * Status codes: 0 is success, every failure is negative.  Functions that
 * can fail return one of these and fill a pk_diag with the details.
 */
typedef enum pk_status {
    PK_OK = 0,
    PK_ENOMEM = -1,   /* out of memory */
    PK_EINVAL = -2,   /* invalid argument or option */
    PK_EIO = -3,      /* reading or writing a file failed */
    PK_EPARSE = -4,   /* the input is malformed */
    PK_EINPUT = -5,   /* the input parsed but is not a valid release */
    PK_EPLUGIN = -6,  /* a plugin could not be loaded or misbehaved */
    PK_ENOTFOUND = -7,/* no such plugin, option or file */
    PK_ELIMIT = -8    /* an input exceeded a configured limit */
} pk_status;

/* Returns a static English name for a status code; never NULL. */
PK_EXTERN const char *pk_status_str(int status);

/* Returns the library's version string (PK_VERSION_STRING it was built
 * with); static, never NULL. */
PK_EXTERN const char *pk_version(void);

#ifdef __cplusplus
}
#endif
#endif
