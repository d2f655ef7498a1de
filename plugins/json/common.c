/*
 * common.c - UTF-8 checks, JSON paths and quoted strings for the json
 * modules.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <presskit/utf8.h>

#include "common.h"

/* Longest key shown bare (".key"); longer or odd ones are quoted. */
enum { BARE_KEY_MAX = 64, QUOTED_KEY_MAX = 40 };

size_t pkj_utf8_char(const unsigned char *s, size_t len)
{
    return pk_utf8_decode((const char *)s, len, NULL);
}

size_t pkj_quote(char *buf, size_t cap, const char *s, size_t len,
                 size_t max)
{
    size_t o = 0, i = 0;
    buf[o++] = '"';
    while (i < len) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t n = pkj_utf8_char(u, len - i);
        /* Keep room for the widest piece (6 bytes), "...", the closing
         * quote and the NUL. */
        if (i >= max || o + 11 > cap) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (n == 0) {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02X", *u);
            n = 1;
        } else if (*u < 0x20 || *u == 0x7F) {
            o += (size_t)snprintf(buf + o, cap - o, "\\u%04X", *u);
        } else if (*u == '"' || *u == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)*u;
        } else {
            memcpy(buf + o, u, n);
            o += n;
        }
        i += n;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return o;
}

/* A key that reads unambiguously after a dot. */
static bool bare_key(const char *key, size_t len)
{
    if (len == 0 || len > BARE_KEY_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

char *pkj_path_format(const pkj_path *path, char *buf)
{
    /* Built from the innermost step outwards, right to left. */
    size_t pos = PKJ_PATH_MAX - 1;
    buf[pos] = '\0';
    for (const pkj_path *p = path; p; p = p->up) {
        char piece[QUOTED_KEY_MAX * 6 + 16];
        size_t n;
        if (!p->key) {
            n = (size_t)snprintf(piece, sizeof piece, "[%zu]", p->index);
        } else if (bare_key(p->key, p->key_len)) {
            n = (size_t)snprintf(piece, sizeof piece, "%s%.*s",
                                 p->up ? "." : "", (int)p->key_len, p->key);
        } else {
            piece[0] = '[';
            n = 1 + pkj_quote(piece + 1, sizeof piece - 2, p->key,
                              p->key_len, QUOTED_KEY_MAX);
            piece[n++] = ']';
            piece[n] = '\0';
        }
        /* Leave room for a "..." in front in case the next step does not
         * fit. */
        if (n + 3 > pos) {
            pos -= 3;
            memcpy(buf + pos, "...", 3);
            break;
        }
        pos -= n;
        memcpy(buf + pos, piece, n);
    }
    memmove(buf, buf + pos, PKJ_PATH_MAX - pos);
    return buf;
}
