/*
 * The labelled corpus: every corpus/NAME.md is read with the markdown
 * reader and its quotes compared with corpus/NAME.quotes, one labelled
 * quote a line:
 *
 *     paragraphs=3,4<TAB>speaker=Hon Jane Doe<TAB>title=Foreign Minister
 *
 * paragraphs: the quote's paragraph indexes among the top-level blocks;
 * speaker: pk_quote_speaker, "-" for an unattributed quote; title:
 * pk_quote_title, absent when the body gives none.  Blank lines and
 * lines starting with '#' are ignored; an empty file says "no quotes".
 *
 * Prints precision and recall over the whole corpus for quotes (the
 * paragraph set) and for speakers (speaker + paragraph set), and fails
 * unless all four are 1 and every title matches.
 *
 * Usage: test_analysis_corpus MARKDOWN_PLUGIN CORPUS_DIR
 */
#include <dirent.h>
#include <stdlib.h>

#include "pk_test.h"
#include "support.h"

enum { MIN_RELEASES = 25, MAX_QUOTES = 64, FIELD = 256 };

typedef struct label {
    char paragraphs[FIELD];
    char speaker[FIELD];
    char title[FIELD];   /* "" for none */
    bool used;
} label;

static const pk_plugin *reader;
static const char *corpus;

typedef struct totals {
    size_t releases, predicted, labelled, quote_hits, speaker_hits;
    size_t title_errors;
} totals;

static void copy_field(char *dst, const char *src, size_t len)
{
    if (len >= FIELD)
        len = FIELD - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Reads a .quotes file into labels; returns the count, or -1 (with a
 * message) if it is malformed. */
static int read_labels(const char *path, label *labels)
{
    size_t len;
    char *text = an_slurp(path, &len);
    if (!text) {
        print_error("%s: cannot read\n", path);
        return -1;
    }
    int n = 0, line_no = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        if (!*line || *line == '#')
            continue;
        if (n == MAX_QUOTES) {
            print_error("%s:%d: too many quotes\n", path, line_no);
            n = -1;
            break;
        }
        label *l = &labels[n];
        memset(l, 0, sizeof *l);
        bool have_p = false, have_s = false;
        for (char *f = line, *end; f; f = end) {
            end = strchr(f, '\t');
            size_t fl = end ? (size_t)(end - f) : strlen(f);
            if (end)
                end++;
            if (fl > 11 && memcmp(f, "paragraphs=", 11) == 0) {
                copy_field(l->paragraphs, f + 11, fl - 11);
                have_p = true;
            } else if (fl > 8 && memcmp(f, "speaker=", 8) == 0) {
                copy_field(l->speaker, f + 8, fl - 8);
                have_s = true;
            } else if (fl > 6 && memcmp(f, "title=", 6) == 0) {
                copy_field(l->title, f + 6, fl - 6);
            } else {
                print_error("%s:%d: unknown field \"%.*s\"\n", path, line_no,
                            (int)fl, f);
                have_p = false;
                break;
            }
        }
        if (!have_p || !have_s) {
            print_error("%s:%d: needs paragraphs= and speaker=\n", path, line_no);
            n = -1;
            break;
        }
        n++;
    }
    free(text);
    return n;
}

static void paragraphs_of(const pk_quote *q, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < pk_quote_paragraph_count(q) && o + 24 < cap; j++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%zu", j ? "," : "",
                              pk_quote_paragraph_index(q, j));
}

/* Compares one release with its labels; adds to the totals and prints
 * every disagreement.  False if the release could not be checked. */
static bool check_release(const char *name, totals *t)
{
    char md[4096], side[4096], buf[2048];
    snprintf(md, sizeof md, "%s/%s", corpus, name);
    snprintf(side, sizeof side, "%.*s.quotes", (int)(strlen(md) - 3), md);
    label labels[MAX_QUOTES];
    int nl = read_labels(side, labels);
    if (nl < 0)
        return false;
    size_t len;
    char *text = an_slurp(md, &len);
    pk_doc *doc = NULL;
    pk_diag d = PK_DIAG_INIT;
    if (!text || pk_read(reader, NULL, md, text, len, &doc, &d) != PK_OK) {
        print_error("%s: %s\n", md, pk_diag_format(&d, buf, sizeof buf));
        free(text);
        return false;
    }
    t->releases++;
    t->labelled += (size_t)nl;
    for (size_t i = 0; i < pk_doc_quote_count(doc); i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        char paras[FIELD];
        paragraphs_of(q, paras, sizeof paras);
        const char *speaker = pk_quote_speaker(q) ? pk_quote_speaker(q) : "-";
        const char *title = pk_quote_title(q) ? pk_quote_title(q) : "";
        t->predicted++;
        label *l = NULL;
        for (int k = 0; k < nl && !l; k++)
            if (!labels[k].used && strcmp(labels[k].paragraphs, paras) == 0)
                l = &labels[k];
        if (!l) {
            print_message("%s: extra quote paragraphs=%s speaker=%s\n", name,
                          paras, speaker);
            continue;
        }
        l->used = true;
        t->quote_hits++;
        if (strcmp(l->speaker, speaker) == 0)
            t->speaker_hits++;
        else
            print_message("%s: paragraphs=%s: speaker \"%s\", labelled \"%s\"\n",
                          name, paras, speaker, l->speaker);
        if (strcmp(l->title, title) != 0) {
            t->title_errors++;
            print_message("%s: paragraphs=%s: title \"%s\", labelled \"%s\"\n",
                          name, paras, title, l->title);
        }
    }
    for (int k = 0; k < nl; k++)
        if (!labels[k].used)
            print_message("%s: missed quote paragraphs=%s speaker=%s\n", name,
                          labels[k].paragraphs, labels[k].speaker);
    pk_doc_free(doc);
    free(text);
    return true;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_release(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 3 && strcmp(e->d_name + n - 3, ".md") == 0;
}

static double ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : 1.0;
}

static void test_corpus(void **state)
{
    (void)state;
    struct dirent **names;
    int n = scandir(corpus, &names, is_release, by_name);
    if (n < 0)
        fail_msg("cannot list %s", corpus);
    totals t = {0, 0, 0, 0, 0, 0};
    bool ok = true;
    for (int i = 0; i < n; i++) {
        ok &= check_release(names[i]->d_name, &t);
        free(names[i]);
    }
    free(names);

    double qp = ratio(t.quote_hits, t.predicted), qr = ratio(t.quote_hits, t.labelled);
    double sp = ratio(t.speaker_hits, t.predicted), sr = ratio(t.speaker_hits, t.labelled);
    print_message("releases: %zu, labelled quotes: %zu, found: %zu\n",
                  t.releases, t.labelled, t.predicted);
    print_message("quotes:   precision %.3f  recall %.3f  (%zu matching)\n", qp, qr,
                  t.quote_hits);
    print_message("speakers: precision %.3f  recall %.3f  (%zu matching)\n", sp, sr,
                  t.speaker_hits);
    print_message("titles:   %zu wrong\n", t.title_errors);
    if (!ok)
        fail_msg("some releases could not be checked");
    if (t.releases < MIN_RELEASES)
        fail_msg("only %zu releases; the corpus needs %d", t.releases,
                 MIN_RELEASES);
    if (t.quote_hits != t.predicted || t.quote_hits != t.labelled ||
        t.speaker_hits != t.predicted || t.speaker_hits != t.labelled ||
        t.title_errors)
        fail_msg("the analysis disagrees with the labels (see above)");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s MARKDOWN_PLUGIN CORPUS_DIR\n", argv[0]);
        return 2;
    }
    corpus = argv[2];
    pk_context *ctx = an_load_markdown(argv[1], &reader);
    if (!ctx)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pk_context_free(ctx);
    return rc;
}
