/*
 * fuzz_writers.c - every writer on one document, each output parsed again
 * by an independent parser chosen by the writer's media type:
 * - XML (xml, atom, xhtml): libxml2 must find it well-formed, as a parser
 *   without XML_PARSE_HUGE reads it, with no character XML 1.0 forbids;
 *   XHTML and Atom must carry no script, event attribute or javascript:
 *   URL;
 * - JSON: jansson must parse it; the json writer's output must also read
 *   back through the json reader and write again to the same bytes;
 * - JSON Lines (json.lines, quotes.format=jsonl): each line parses;
 * - TSV (quotes): valid UTF-8, as many fields in every row as in the
 *   header;
 * - anything else (text): valid UTF-8 with no control character a
 *   terminal acts on (C0 but tab, LF and form feed; DEL; C1).
 * Writers also run with the options that change their output's shape
 * (variants below).  A broken contract aborts, so libFuzzer keeps the
 * input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fuzz.h"

static const pk_plugin *json_reader;

/* The documents of one check: the fuzzed one, then the second release
 * (for outputs that hold two), and whether every writer must accept
 * them. */
typedef struct docs {
    const pk_doc *doc[2];
    bool strict;
} docs;

/* Silences libxml2: an error is reported from xmlGetLastError instead. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* The second document of outputs that hold two (an array, a collection,
 * a feed): a plain release of its own id, read once. */
static const char second_release[] =
    "---\n"
    "title: The second release\n"
    "date: 2024-01-02\n"
    "url: https://example.invalid/fuzz/second\n"
    "ministers: [Hon Second Minister]\n"
    "---\n"
    "- A highlight\n"
    "\n"
    "\xE2\x80\x9C" "A quote,\xE2\x80\x9D said Second Minister.\n";
static pk_doc *second;

void fuzz_writers_init(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet);
    json_reader = fuzz_reader("json");
    second = fuzz_read(fuzz_reader("markdown"), NULL,
                       (const uint8_t *)second_release,
                       sizeof second_release - 1);
    if (!second)
        fuzz_fail("the second release does not read", NULL, 0);
}

/* Decodes the UTF-8 character at s[0..n) into *cp; returns its length, or
 * 0 if it is not well-formed (overlong, surrogate, above U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len;
    unsigned long c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, c = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, c = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, c = s[0] & 0x07u;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3Fu);
    }
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* What a text output may hold besides valid UTF-8. */
typedef enum charset {
    CHARS_ANY,       /* JSON: escapes its controls itself */
    CHARS_XML,       /* what XML 1.0 allows */
    CHARS_TERMINAL   /* no control a terminal acts on: C0 but tab, LF and
                        form feed, DEL, C1 */
} charset;

/* Returns NULL if out[0..len) is valid UTF-8 holding only characters of
 * set, else what is wrong. */
static const char *check_text(const char *out, size_t len, charset set)
{
    const unsigned char *s = (const unsigned char *)out;

    for (size_t i = 0; i < len;) {
        unsigned long c;
        size_t n = utf8_decode(s + i, len - i, &c);
        if (n == 0)
            return "output is not valid UTF-8";
        if (set == CHARS_XML &&
            !(c == 0x9 || c == 0xA || c == 0xD ||
              (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
              c >= 0x10000))
            return "output holds a character XML 1.0 forbids";
        if (set == CHARS_TERMINAL && c != 0x9 && c != 0xA && c != 0xC &&
            (c < 0x20 || (c >= 0x7F && c <= 0x9F)))
            return "output holds a control character a terminal acts on";
        i += n;
    }
    return NULL;
}

/* Returns true if a URL would run script: "javascript:" once the blanks
 * and controls a browser skips are left out, in any case. */
static bool scripting_url(const xmlChar *v)
{
    static const char js[] = "javascript:";
    size_t k = 0;

    for (const unsigned char *p = v; *p && k < sizeof js - 1; p++) {
        if (*p <= 0x20)
            continue;
        if ((char)(*p | 0x20) != js[k] && *p != (unsigned char)js[k])
            return false;
        k++;
    }
    return k == sizeof js - 1;
}

/* Returns true if attribute name holds a URL a browser or feed reader
 * may follow or load (alt and title text do not). */
static bool url_attribute(const xmlChar *name)
{
    static const char *const names[] = {
        "href", "src", "srcset", "action", "formaction", "cite", "data",
        "poster", "background", "longdesc", "usemap", "codebase", "ping",
        "manifest", "lowsrc", "dynsrc",
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp((const char *)name, names[i]) == 0)
            return true;
    return false;
}

/* Returns NULL if the tree under node is free of script, else what was
 * found. */
static const char *check_safe(xmlNodePtr node)
{
    for (xmlNodePtr n = node; n; n = n->next) {
        const char *why;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcasecmp((const char *)n->name, "script") == 0)
            return "a script element";
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v;
            bool bad;
            if (strncasecmp((const char *)a->name, "on", 2) == 0)
                return "an event handler attribute";
            if (!url_attribute(a->name))
                continue;
            v = xmlNodeGetContent((xmlNodePtr)a);
            bad = v && scripting_url(v);
            xmlFree(v);
            if (bad)
                return "a javascript: URL";
        }
        if ((why = check_safe(n->children)) != NULL)
            return why;
    }
    return NULL;
}

static void check_xml(const pk_plugin *w, const char *out, size_t len)
{
    char msg[1024];
    const char *why = check_text(out, len, CHARS_XML);
    xmlDocPtr doc;

    if (why) {
        snprintf(msg, sizeof msg, "%s writer: %s", w->name, why);
        fuzz_fail(msg, out, len);
    }
    doc = xmlReadMemory(out, (int)len, "out.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(msg, sizeof msg, "%s writer: not well-formed XML: %s",
                 w->name, e && e->message ? e->message : "?");
        fuzz_fail(msg, out, len);
    }
    /* The canonical XML carries raw HTML and URLs as data; documents a
     * browser or feed reader renders must not run script. */
    if (strstr(w->media_type, "xhtml") || strstr(w->media_type, "atom"))
        why = check_safe(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    if (why) {
        snprintf(msg, sizeof msg, "%s writer: output holds %s", w->name, why);
        fuzz_fail(msg, out, len);
    }
}

/* How an output is checked. */
typedef enum check {
    CHECK_MEDIA_TYPE,  /* by the writer's media type */
    CHECK_JSON_LINES
} check;

/* Option sets the writers also run with: each changes the output's
 * shape.  A writer the build lacks is skipped. */
static const struct variant {
    const char *writer, *key, *value;
    check how;
} variants[] = {
    {"json", "lines", "true", CHECK_JSON_LINES},
    {"xml", "indent", "false", CHECK_MEDIA_TYPE},
    {"text", "quotes", "true", CHECK_MEDIA_TYPE},
    {"text", "width", "0", CHECK_MEDIA_TYPE},
    {"quotes", "format", "jsonl", CHECK_JSON_LINES},
};

/*
 * Runs writer w (with option key=value, if key) into a memory sink on
 * the first `times` documents of d (mode PK_OUTPUT_SINGLE for one).
 * Returns the sink (the caller frees it), or NULL if the writer refused
 * a document with a proper diagnostic (a limit, for instance) where d
 * allows that.
 */
static pk_sink *run_writer(const pk_plugin *w, const char *key,
                           const char *value, const docs *d, int times)
{
    pk_diag diag = PK_DIAG_INIT, ignored = PK_DIAG_INIT;
    pk_options *opts = NULL;
    pk_sink *sink = NULL;
    void *state = NULL;
    char msg[2048], buf[1024];
    int rc, rc2;

    if (pk_options_new(&opts, w->name, w->options) != PK_OK ||
        pk_sink_new_memory(&sink) != PK_OK)
        fuzz_fail("out of memory", NULL, 0);
    if (key && pk_options_set(opts, key, value, &diag) != PK_OK)
        fuzz_fail(pk_diag_format(&diag, buf, sizeof buf), NULL, 0);
    rc = w->writer->open(&state, sink, opts,
                         times == 1 ? PK_OUTPUT_SINGLE : 0u, &diag);
    if (rc != PK_OK) {
        snprintf(msg, sizeof msg, "%s writer refused to open: %s", w->name,
                 pk_diag_format(&diag, buf, sizeof buf));
        fuzz_fail(msg, NULL, 0);
    }
    rc = PK_OK;
    for (int i = 0; i < times && rc == PK_OK; i++)
        rc = w->writer->write(state, d->doc[i], &diag);
    rc2 = w->writer->close(state, rc == PK_OK ? &diag : &ignored);
    pk_options_free(opts);
    if (rc == PK_OK)
        rc = rc2;
    if (rc == PK_OK)
        return sink;
    pk_sink_free(sink);
    /* A writer may refuse a document it cannot represent (too deep, say),
     * saying why; it may not fail for no reason or for a bug, nor refuse
     * what the markdown reader accepted (its limits are the writers'). */
    if (d->strict || rc == PK_EPLUGIN || rc == PK_ENOMEM || rc == PK_EIO ||
        !diag.message[0]) {
        snprintf(msg, sizeof msg, "%s writer failed with %s: %s", w->name,
                 pk_status_str(rc), pk_diag_format(&diag, buf, sizeof buf));
        fuzz_fail(msg, NULL, 0);
    }
    if (getenv("PK_FUZZ_SHOW_REFUSALS"))
        fprintf(stderr, "refused: %s: %s\n", w->name,
                pk_diag_format(&diag, buf, sizeof buf));
    return NULL;
}

/* The json writer's output reads back to a document that writes the same
 * bytes again. */
static void check_json_round_trip(const pk_plugin *w, const char *out,
                                  size_t len)
{
    pk_doc *again = fuzz_read(json_reader, NULL, (const uint8_t *)out, len);
    docs d = {{again, NULL}, true};
    pk_sink *sink;
    const char *out2;
    size_t len2;

    if (!again)
        fuzz_fail("json reader refused the json writer's output", out, len);
    sink = run_writer(w, NULL, NULL, &d, 1);
    if (!sink)
        fuzz_fail("json writer refused a document read from its own output",
                  out, len);
    out2 = pk_sink_memory_data(sink, &len2);
    if (len2 != len || memcmp(out, out2, len) != 0) {
        fprintf(stderr, "---- second output ----\n");
        fwrite(out2, 1, len2, stderr);
        fuzz_fail("json -> json is not byte-identical", out, len);
    }
    pk_sink_free(sink);
    pk_doc_free(again);
}

/* Each line of out[0..len) is one JSON value. */
static void check_json_lines(const pk_plugin *w, const char *out, size_t len)
{
    char msg[1024];

    for (size_t i = 0; i < len;) {
        const char *lf = memchr(out + i, '\n', len - i);
        size_t n = lf ? (size_t)(lf - (out + i)) : len - i;
        json_error_t err;
        json_t *j = json_loadb(out + i, n, JSON_ALLOW_NUL, &err);
        if (!j || !lf) {
            snprintf(msg, sizeof msg, "%s writer: invalid JSON Lines: %s",
                     w->name, lf ? err.text : "no final newline");
            fuzz_fail(msg, out, len);
        }
        json_decref(j);
        i += n + 1;
    }
}

/* Every row of a TSV has the header's number of fields. */
static void check_tsv(const pk_plugin *w, const char *out, size_t len)
{
    size_t fields = 0, want = 0, rows = 0;
    bool bad = len > 0 && out[len - 1] != '\n';
    char msg[1024];

    for (size_t i = 0; i < len && !bad; i++) {
        if (out[i] == '\t') {
            fields++;
        } else if (out[i] == '\n') {
            if (rows++ == 0)
                want = fields;
            else
                bad = fields != want;
            if (!bad)
                fields = 0;
        }
    }
    if (bad) {
        snprintf(msg, sizeof msg, "%s writer: a TSV row has %zu tabs, the "
                 "header %zu", w->name, fields, want);
        fuzz_fail(msg, out, len);
    }
}

static void check_output(const pk_plugin *w, check how, const char *out,
                         size_t len, int times)
{
    const char *mt = w->media_type ? w->media_type : "";
    char msg[1024];
    const char *why;

    if (how == CHECK_JSON_LINES) {
        check_json_lines(w, out, len);
    } else if (strstr(mt, "xml")) {
        check_xml(w, out, len);
    } else if (strstr(mt, "json")) {
        json_error_t err;
        json_t *j = json_loadb(out, len, JSON_ALLOW_NUL, &err);
        if (!j) {
            snprintf(msg, sizeof msg, "%s writer: invalid JSON: %d:%d: %s",
                     w->name, err.line, err.column, err.text);
            fuzz_fail(msg, out, len);
        }
        json_decref(j);
        if (times == 1 && strcmp(w->name, "json") == 0)
            check_json_round_trip(w, out, len);
    } else if (strstr(mt, "tab-separated-values")) {
        /* quotes writes control characters other than tab and line ends
         * as they are, by design (plugins/quotes/README.md). */
        if ((why = check_text(out, len, CHARS_ANY)) != NULL) {
            snprintf(msg, sizeof msg, "%s writer: %s", w->name, why);
            fuzz_fail(msg, out, len);
        }
        check_tsv(w, out, len);
    } else if ((why = check_text(out, len, CHARS_TERMINAL)) != NULL) {
        /* Plain text ends up on terminals and in pagers. */
        snprintf(msg, sizeof msg, "%s writer: %s", w->name, why);
        fuzz_fail(msg, out, len);
    }
}

/* Runs w once alone, then twice into one stream where the writer can put
 * several documents there (array, collection, feed), checking each
 * output. */
static void run_and_check(const pk_plugin *w, const char *key,
                          const char *value, check how, const docs *d)
{
    for (int times = 1; times <= 2; times++) {
        pk_sink *sink;
        const char *out;
        size_t len;
        if (times == 2 && (!d->doc[1] || (w->flags & PK_PLUGIN_ONE_PER_OUTPUT)))
            break;
        sink = run_writer(w, key, value, d, times);
        if (!sink)
            break;
        out = pk_sink_memory_data(sink, &len);
        check_output(w, how, out, len, times);
        pk_sink_free(sink);
    }
}

void fuzz_writers_check(const pk_doc *doc, bool strict)
{
    pk_context *ctx = fuzz_context();
    docs d = {{doc, second}, strict};

    for (size_t i = 0; i < pk_context_plugin_count(ctx); i++) {
        const pk_plugin *w = pk_context_plugin(ctx, i);
        if (w->kind == PK_PLUGIN_WRITER)
            run_and_check(w, NULL, NULL, CHECK_MEDIA_TYPE, &d);
    }
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        const pk_plugin *w = pk_context_find(ctx, PK_PLUGIN_WRITER,
                                             variants[i].writer);
        if (w)
            run_and_check(w, variants[i].key, variants[i].value,
                          variants[i].how, &d);
    }
}
