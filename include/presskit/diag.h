/*
 * presskit/diag.h - diagnostics: one located message per failure.
 *
 * Every function that can fail takes a pk_diag *. On failure it fills it
 * with the file, line and column (when known) and a message that says what
 * was expected.  The CLI prints it as "FILE:LINE:COL: message".
 */
#ifndef PRESSKIT_DIAG_H
#define PRESSKIT_DIAG_H

#include <stdarg.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest message kept; longer ones are truncated on a UTF-8 boundary. */
#define PK_DIAG_MESSAGE_MAX 512
/* Longest file name kept. */
#define PK_DIAG_FILE_MAX 1024

/*
 * One diagnostic.  Plain data the caller owns (usually on its stack);
 * initialise with PK_DIAG_INIT or pk_diag_clear().  line and column are
 * 1-based; 0 means unknown.  column counts bytes.
 */
typedef struct pk_diag {
    int status;                        /* a pk_status, PK_OK if nothing set */
    unsigned long line;
    unsigned long column;
    char file[PK_DIAG_FILE_MAX];
    char message[PK_DIAG_MESSAGE_MAX];
} pk_diag;

#define PK_DIAG_INIT {PK_OK, 0, 0, {0}, {0}}

/* Resets diag to "no error". */
PK_EXTERN void pk_diag_clear(pk_diag *diag);

/*
 * Records a failure: status, location and a printf-style message.  file may
 * be NULL to keep the file already recorded.  Returns status, so a caller
 * can write `return pk_diag_set(d, PK_EPARSE, ...);`.  A NULL diag is
 * allowed and ignored.
 */
PK_EXTERN int pk_diag_set(pk_diag *diag, int status, const char *file,
                          unsigned long line, unsigned long column,
                          const char *fmt, ...) PK_PRINTF(6, 7);

/* As pk_diag_set(), with a va_list. */
PK_EXTERN int pk_diag_vset(pk_diag *diag, int status, const char *file,
                           unsigned long line, unsigned long column,
                           const char *fmt, va_list ap) PK_PRINTF(6, 0);

/*
 * Formats diag as "FILE:LINE:COL: message" (parts that are unknown are
 * left out) into buf of size len, always NUL-terminated.  Returns buf.
 */
PK_EXTERN char *pk_diag_format(const pk_diag *diag, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
