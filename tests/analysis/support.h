/*
 * support.h - helpers shared by the analysis tests: load the markdown
 * reader, read a release from a string or a file, print what the
 * analysis found.
 */
#ifndef PK_ANALYSIS_SUPPORT_H
#define PK_ANALYSIS_SUPPORT_H

#include <stdio.h>
#include <presskit/presskit.h>

/* Loads the markdown reader from path into a new context; NULL (and a
 * message on stderr) on failure. */
pk_context *an_load_markdown(const char *path, const pk_plugin **reader);
/* Reads a whole file into a malloc'ed buffer (NUL-terminated). */
char *an_slurp(const char *path, size_t *len);
/* Prints the analysis of doc, one quote a line, for eyes and diffs. */
void an_dump(FILE *f, const pk_doc *doc);

#endif
