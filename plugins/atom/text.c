/*
 * text.c - byte buffers, text XML 1.0 can carry, and ASCII slugs.
 *
 * Release text is cleaned (C0 controls, stray bytes and other characters
 * XML 1.0 forbids become U+FFFD) as it is written, by common-xml's
 * serialiser; the options are cleaned once, when the writer opens, by
 * atom_xml_strdup, so that titles and ids built from them are too.
 */
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "xmlout.h"

static bool grow(atom_buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->cap - b->len > more)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= more) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool atom_buf_put(atom_buf *b, const char *s, size_t len)
{
    if (!grow(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool atom_buf_puts(atom_buf *b, const char *s)
{
    return atom_buf_put(b, s, strlen(s));
}

char *atom_buf_take(atom_buf *b)
{
    if (b->failed || !grow(b, 0)) {
        atom_buf_free(b);
        return NULL;
    }
    char *p = b->data;
    p[b->len] = '\0';
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void atom_buf_free(atom_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

char *atom_xml_strdup(const char *s, size_t len)
{
    pkx_buf b = {0};
    if (pkx_buf_add_xml(&b, s, s ? len : 0) < 0) {
        pkx_buf_free(&b);
        return NULL;
    }
    return b.data; /* never NULL: pkx_buf_add_xml NUL-terminates */
}

/* The ASCII letters a Latin-1 or Latin Extended-A letter folds to
 * (lower case), or NULL for a character that is not such a letter. */
static const char *fold_latin(uint32_t cp)
{
    static const char *const latin1[64] = {
        /* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
        /* C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
        /* D0 */ "d", "n", "o", "o", "o", "o", "o", NULL,
        /* D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
        /* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
        /* E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
        /* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL,
        /* F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
    };
    /* Latin Extended-A, U+0100-017F, as ranges of one base letter. */
    static const struct {
        unsigned short first, last;
        const char *ascii;
    } exta[] = {
        {0x100, 0x105, "a"},  {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"},
        {0x112, 0x11B, "e"},  {0x11C, 0x123, "g"},  {0x124, 0x127, "h"},
        {0x128, 0x131, "i"},  {0x132, 0x133, "ij"}, {0x134, 0x135, "j"},
        {0x136, 0x138, "k"},  {0x139, 0x142, "l"},  {0x143, 0x14B, "n"},
        {0x14C, 0x151, "o"},  {0x152, 0x153, "oe"}, {0x154, 0x159, "r"},
        {0x15A, 0x161, "s"},  {0x162, 0x167, "t"},  {0x168, 0x173, "u"},
        {0x174, 0x175, "w"},  {0x176, 0x178, "y"},  {0x179, 0x17E, "z"},
        {0x17F, 0x17F, "s"},
    };
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    for (size_t i = 0; i < sizeof exta / sizeof exta[0]; i++)
        if (cp >= exta[i].first && cp <= exta[i].last)
            return exta[i].ascii;
    return NULL;
}

/* Non-ASCII characters that separate words: Latin-1 punctuation and
 * spaces (NO-BREAK SPACE…), the General Punctuation block (dashes,
 * NON-BREAKING HYPHEN, quotes) and the ideographic space. */
static bool separator(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xBF && cp != 0xAD) || cp == 0xD7 ||
           cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F && cp != 0x2019) ||
           cp == 0x3000;
}

char *atom_slug(const char *s)
{
    char out[ATOM_SLUG_MAX + 1];
    size_t n = 0, len = strlen(s);
    bool pending = false; /* a separator waits for the next letter */
    for (size_t i = 0; i < len && n < ATOM_SLUG_MAX;) {
        unsigned char c = (unsigned char)s[i];
        char ascii[2] = {0, 0};
        const char *piece = NULL;
        if (c < 0x80) { /* most of any label: no decoding */
            i++;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                ascii[0] = (char)c;
            else if (c >= 'A' && c <= 'Z')
                ascii[0] = (char)(c - 'A' + 'a');
            else if (c != '\'')
                pending = true; /* apostrophes are dropped */
            if (!ascii[0])
                continue;
            piece = ascii;
        } else {
            uint32_t cp;
            size_t k = pk_utf8_decode(s + i, len - i, &cp);
            if (k == 0) {
                i++; /* not UTF-8: dropped */
                continue;
            }
            i += k;
            if (cp == 0x2019 || cp == 0xAD || (cp >= 0x300 && cp <= 0x36F))
                continue; /* apostrophes, soft hyphens, combining marks */
            if (separator(cp)) {
                pending = true;
                continue;
            }
            if (!(piece = fold_latin(cp)))
                continue; /* a letter we cannot spell in ASCII */
        }
        size_t plen = strlen(piece);
        if (pending && n > 0) {
            if (n + 1 + plen > ATOM_SLUG_MAX)
                break;
            out[n++] = '-';
        }
        pending = false;
        if (n + plen > ATOM_SLUG_MAX)
            break;
        memcpy(out + n, piece, plen);
        n += plen;
    }
    out[n] = '\0';
    return strdup(out);
}
