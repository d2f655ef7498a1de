/*
 * presskit/analysis.h - what makes a release a release: highlights, lead,
 * attributed quotes, a stable id and a word count.
 *
 * The core runs the analysis once after any reader (pk_read does it), so
 * every writer, in-tree or third-party, gets the same answers.  Every
 * pointer returned here is borrowed from the document.
 */
#ifndef PRESSKIT_ANALYSIS_H
#define PRESSKIT_ANALYSIS_H

#include "common.h"
#include "diag.h"
#include "doc.h"
#include "node.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_quote pk_quote;

/*
 * Analyses a validated document: highlights, lead, quotes, id, word count.
 * id_authority is the authority of tag: ids for releases without a url
 * (NULL: "presskit.invalid").  Idempotent.  Returns PK_OK or PK_ENOMEM.
 */
PK_EXTERN int pk_doc_analyse(pk_doc *doc, const char *id_authority,
                             pk_diag *diag);

/* Sets the document's id explicitly (copied), e.g. from a JSON input that
 * carries one; the analysis then keeps it.  Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_doc_set_id(pk_doc *doc, const char *id);

/* Returns the highlights: the bullet LIST before the first paragraph, or
 * NULL if the release has none. */
PK_EXTERN pk_node *pk_doc_highlights(const pk_doc *doc);
/* Returns the lead: the first PARAGRAPH after the highlights, or NULL. */
PK_EXTERN pk_node *pk_doc_lead(const pk_doc *doc);
/* Returns the stable id: the url, else tag:AUTHORITY,YYYY-MM-DD:SLUG with
 * the slug made from the source file name. */
PK_EXTERN const char *pk_doc_id(const pk_doc *doc);
/* Returns the number of words in the body's text. */
PK_EXTERN size_t pk_doc_word_count(const pk_doc *doc);
/* Returns the reading time in whole minutes (at least 1 for a non-empty
 * body), at 200 words a minute. */
PK_EXTERN unsigned pk_doc_reading_minutes(const pk_doc *doc);

/* Returns the number of quotes found, in body order. */
PK_EXTERN size_t pk_doc_quote_count(const pk_doc *doc);
/* Returns quote i, or NULL if out of range. */
PK_EXTERN const pk_quote *pk_doc_quote(const pk_doc *doc, size_t i);
/* Returns the quote that paragraph belongs to, or NULL. */
PK_EXTERN const pk_quote *pk_doc_quote_of(const pk_doc *doc,
                                          const pk_node *paragraph);

/* Returns the speaker: the minister's name as the front matter writes it
 * when resolved, else the name as the body writes it; NULL if the quote is
 * unattributed. */
PK_EXTERN const char *pk_quote_speaker(const pk_quote *q);
/* Returns the title the body gives the speaker ("Foreign Minister"), or
 * NULL. */
PK_EXTERN const char *pk_quote_title(const pk_quote *q);
/* Returns the index of the speaker in the ministers list, or -1. */
PK_EXTERN long pk_quote_minister(const pk_quote *q);
/* Returns the quoted words without the quotation marks or attribution;
 * paragraphs joined by "\n\n". */
PK_EXTERN const char *pk_quote_text(const pk_quote *q);
/* Returns the number of paragraphs the quote spans (at least 1). */
PK_EXTERN size_t pk_quote_paragraph_count(const pk_quote *q);
/* Returns paragraph i of the quote (a PARAGRAPH node), or NULL. */
PK_EXTERN pk_node *pk_quote_paragraph(const pk_quote *q, size_t i);
/* Returns the index of paragraph i of the quote among the top-level
 * blocks of the body (0-based). */
PK_EXTERN size_t pk_quote_paragraph_index(const pk_quote *q, size_t i);

#ifdef __cplusplus
}
#endif
#endif
