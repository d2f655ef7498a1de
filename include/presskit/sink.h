/*
 * presskit/sink.h - buffered outputs for writers.
 *
 * A writer never touches a FILE or a path: it writes to the pk_sink it is
 * given.  The core makes sinks for stdout, for files (written to a
 * temporary file beside the target and renamed into place only by
 * pk_sink_commit, so a failed output never leaves a partial file) and for
 * memory (tests).  Errors are sticky: after the first failed write every
 * call returns the same error, and pk_sink_commit reports it.
 */
#ifndef PRESSKIT_SINK_H
#define PRESSKIT_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include "common.h"
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_sink pk_sink;

/* Writes data[0..len).  Returns PK_OK or the sink's sticky error. */
PK_EXTERN int pk_sink_write(pk_sink *sink, const void *data, size_t len);
/* Writes a NUL-terminated string.  Returns PK_OK or the sticky error. */
PK_EXTERN int pk_sink_puts(pk_sink *sink, const char *s);
/* Writes one byte.  Returns PK_OK or the sticky error. */
PK_EXTERN int pk_sink_putc(pk_sink *sink, int c);
/* Writes printf-style formatted text.  Returns PK_OK or the sticky error. */
PK_EXTERN int pk_sink_printf(pk_sink *sink, const char *fmt, ...)
    PK_PRINTF(2, 3);
/* Returns the sink's sticky error, PK_OK if none. */
PK_EXTERN int pk_sink_error(const pk_sink *sink);
/* Returns a name for the output for diagnostics ("<stdout>", a path…);
 * borrowed from the sink. */
PK_EXTERN const char *pk_sink_name(const pk_sink *sink);

/* Creates a sink into a growable memory buffer.  The caller owns it and
 * frees it with pk_sink_free().  Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_sink_new_memory(pk_sink **out);
/* Returns the bytes written so far to a memory sink (borrowed, valid until
 * the next write or free, NUL-terminated) and their count in *len. */
PK_EXTERN const char *pk_sink_memory_data(const pk_sink *sink, size_t *len);

/* Creates a sink writing to fp (borrowed: not closed by the sink); name is
 * copied for diagnostics.  The caller frees it with pk_sink_free(). */
PK_EXTERN int pk_sink_new_stream(pk_sink **out, FILE *fp, const char *name);

/*
 * Creates a sink for the file at path: the bytes go to a temporary file in
 * the same directory, renamed over path by pk_sink_commit().  Missing
 * parent directories are created.  The caller frees it with pk_sink_free(),
 * which removes the temporary file if it was not committed.  Returns PK_OK,
 * or PK_EIO / PK_ENOMEM with diag filled.
 */
PK_EXTERN int pk_sink_new_file(pk_sink **out, const char *path,
                               pk_diag *diag);

/*
 * Creates a directory sink for dir: it takes no bytes itself (writes fail
 * with PK_EINVAL) but opens files inside dir with pk_sink_open_sibling().
 * An aggregating writer run with -O DIR is given one.  The caller frees it
 * with pk_sink_free().
 */
PK_EXTERN int pk_sink_new_directory(pk_sink **out, const char *dir,
                                    pk_diag *diag);
/* Makes a file sink durable (ABI 1.1): its commit fsyncs the file before
 * the rename and the directory after, so the output survives a crash or a
 * power cut once commit returns.  Set on a directory or file sink, it
 * passes to the files pk_sink_open_sibling() opens from it.  Off by
 * default; other sinks ignore it. */
PK_EXTERN void pk_sink_set_durable(pk_sink *sink, bool durable);
/* Returns true if sink is a directory sink. */
PK_EXTERN bool pk_sink_is_directory(const pk_sink *sink);

/*
 * Opens another output file beside sink: inside a directory sink's
 * directory, or in the directory of a file sink.  relpath is relative,
 * '/'-separated; absolute paths, "." and ".." components, backslashes and
 * control characters are refused (PK_EINVAL), so names made from metadata
 * cannot leave the output directory.  The new sink is a file sink (see
 * pk_sink_new_file): the caller commits and frees it.  Streams and memory
 * sinks have no directory: PK_EINVAL, with a message saying -O is needed.
 */
PK_EXTERN int pk_sink_open_sibling(pk_sink *sink, const char *relpath,
                                   pk_sink **out, pk_diag *diag);

/* Flushes the sink and, for a file sink, renames the temporary file into
 * place (a durable one is synced first, and its directory after).  Returns
 * PK_OK, or the error (diag filled); a failure before the rename puts
 * nothing in place. */
PK_EXTERN int pk_sink_commit(pk_sink *sink, pk_diag *diag);
/* Frees sink; an uncommitted file sink removes its temporary file.  NULL
 * is allowed. */
PK_EXTERN void pk_sink_free(pk_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
