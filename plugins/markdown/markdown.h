/*
 * markdown.h - the pieces of the markdown reader, shared by its files.
 *
 * The reader runs in four steps, one file each: input.c makes a clean
 * copy of the bytes (no BOM, LF line ends, valid UTF-8, no NUL);
 * split.c finds the front matter and the body in it; frontmatter.c turns
 * the YAML into pk_values (with scalar.c resolving scalars by the YAML 1.2
 * core schema); body.c turns the CommonMark body into pk_nodes.
 * markdown.c ties them together and holds the plugin descriptor and
 * its options, the limits that bound what hostile input can cost
 * (docs/hostile-input.md).
 *
 * Everything here is internal to the plugin (hidden visibility) and keeps
 * no state between calls: the core calls the reader from several threads.
 */
#ifndef PK_MARKDOWN_H
#define PK_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <presskit/presskit.h>

/* markdown.c ------------------------------------------------------------*/

/*
 * The reader's options (markdown.*), read once per call.  Every limit
 * fails with PK_ELIMIT and a message naming the option that raises it.
 */
typedef struct md_limits {
    size_t max_front_matter;  /* bytes of YAML between the delimiters */
    size_t max_values;        /* front-matter values, alias copies included */
    size_t max_depth;         /* nesting of body nodes and YAML containers */
    size_t max_images;        /* image openers "![" in one paragraph */
    bool lenient;             /* U+FFFD for invalid UTF-8 and NUL bytes */
} md_limits;

/* input.c ---------------------------------------------------------------*/

/*
 * Copies data[0..len) into a new NUL-terminated buffer stored in *out
 * (length in *out_len; the caller frees it with free()), without a
 * leading UTF-8 BOM and with CRLF and lone CR turned into LF.  Columns
 * on line 1 are counted after the BOM, as every later stage sees it.
 * Fails with PK_EPARSE on a NUL byte or invalid UTF-8 (located at the
 * first byte of the bad sequence), or PK_ENOMEM.  If lenient, each NUL
 * and each maximal ill-formed subsequence becomes U+FFFD instead (three
 * bytes: later columns on that line shift accordingly), with a warning
 * at its line and column in warn unless warn is NULL.
 */
int md_input_normalise(char **out, size_t *out_len, const char *data,
                       size_t len, bool lenient, pk_doc *warn,
                       const char *file, pk_diag *diag);

/* split.c ---------------------------------------------------------------*/

/* Where the front matter and the body lie in a normalised input. */
typedef struct md_parts {
    const char *yaml;          /* the lines between the delimiters */
    size_t yaml_len;
    unsigned long yaml_line;   /* file line of yaml[0] (always 2) */
    const char *body;          /* everything after the closing line */
    size_t body_len;
    unsigned long body_line;   /* file line of body[0] */
} md_parts;

/*
 * Splits a normalised input (LF line ends) into front matter and body.
 * The front matter opens with "---" on line 1 and closes with a line
 * "---" or "..."; trailing blanks are allowed after either.  Fails with
 * PK_EPARSE when there is no front matter or it is not closed, and with
 * PK_ELIMIT (at the first line past the limit, without reading further)
 * when it is longer than max_front_matter bytes.
 */
int md_split(md_parts *out, const char *text, size_t len,
             size_t max_front_matter, const char *file, pk_diag *diag);

/* frontmatter.c ---------------------------------------------------------*/

/*
 * Parses the YAML text yaml[0..len) (which starts on file line first_line)
 * into the metadata map of doc.  The top level must be a mapping (an empty
 * front matter gives an empty map).  Fails with PK_EPARSE, PK_ELIMIT
 * (more than limits->max_values values once aliases are expanded, lists
 * and maps nested deeper than limits->max_depth) or PK_ENOMEM, diag
 * located in the file.
 */
int md_front_matter_read(pk_doc *doc, const char *yaml, size_t len,
                         unsigned long first_line, const md_limits *limits,
                         pk_diag *diag);

/* scalar.c --------------------------------------------------------------*/

/* How a scalar's text reads as a number. */
typedef enum md_number {
    MD_NUMBER_NONE = 0,   /* not a number of this kind */
    MD_NUMBER_INT,        /* fits int64_t: *i is set */
    MD_NUMBER_REAL,       /* finite double: *r is set */
    MD_NUMBER_RANGE       /* looks like a number but is not finite */
} md_number;

/* Returns true if s[0..len) is a core-schema null: "", ~, null, Null,
 * NULL. */
bool md_scalar_is_null(const char *s, size_t len);
/* Returns true if s[0..len) is a core-schema bool, storing it in *b. */
bool md_scalar_is_bool(const char *s, size_t len, bool *b);
/*
 * Reads s[0..len) (NUL-terminated at len) as a core-schema int:
 * [-+]?[0-9]+, 0o[0-7]+ or 0x[0-9a-fA-F]+.  Returns MD_NUMBER_INT with *i,
 * MD_NUMBER_REAL with *r when it overflows int64_t but is a finite double,
 * MD_NUMBER_RANGE when not even that, MD_NUMBER_NONE if it is no int.
 * PK_ENOMEM is returned through *err (else PK_OK).
 */
md_number md_scalar_int(const char *s, size_t len, int64_t *i, double *r,
                        int *err);
/*
 * Reads s[0..len) (NUL-terminated at len) as a core-schema float,
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, independently of
 * the C locale.  Returns MD_NUMBER_REAL with *r, MD_NUMBER_RANGE if it
 * overflows to infinity, MD_NUMBER_NONE if it is no such float.
 * PK_ENOMEM is returned through *err (else PK_OK).
 */
md_number md_scalar_float(const char *s, size_t len, double *r, int *err);
/* Returns true if s[0..len) is one of the core schema's .inf / .nan
 * spellings, which the model cannot hold as numbers. */
bool md_scalar_is_nonfinite(const char *s, size_t len);

/* body.c ----------------------------------------------------------------*/

/*
 * Parses the CommonMark text body[0..len) (which starts on file line
 * first_line) into the body tree of doc.  Fails with PK_ELIMIT when a
 * node would be nested deeper than limits->max_depth (DOCUMENT's children
 * are at depth 1) or a paragraph opens more than limits->max_images
 * images, with PK_ENOMEM, or with PK_EPLUGIN if the tree cannot be built
 * (a bug, not bad input).  Both limits are checked on the text before
 * cmark sees it, so that hostile input costs neither cmark's memory (a
 * node per '>') nor its quadratic time (cmark 0.30.2 walks every open
 * "![" for each link).
 */
int md_body_read(pk_doc *doc, const char *body, size_t len,
                 unsigned long first_line, const md_limits *limits,
                 pk_diag *diag);

/*
 * md_body_read's first half: checks the limits on the text before cmark
 * sees it, line by line: the containers the markers at the start of a
 * line open (max_depth) and the image openers "![" of each run of
 * non-blank lines (max_images).  Fails with PK_ELIMIT at the first marker
 * or "![" past a limit.
 */
int md_body_prescan(const char *body, size_t len, unsigned long first_line,
                    const md_limits *limits, const char *file, pk_diag *diag);

struct cmark_node;
/*
 * Converts the cmark tree (borrowed; a DOCUMENT parsed from body[0..len)
 * with CMARK_OPT_SOURCEPOS) into the body of doc.  md_body_read's second
 * half, apart so tests can hand it trees cmark's parser would not build
 * (adjacent text nodes, custom nodes).  A node deeper than max_depth
 * fails with PK_ELIMIT at its position.
 */
int md_body_convert(pk_doc *doc, struct cmark_node *tree, const char *body,
                    size_t len, unsigned long first_line, size_t max_depth,
                    pk_diag *diag);

#endif
