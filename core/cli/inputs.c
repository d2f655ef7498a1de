/*
 * inputs.c - turning operands into a sorted, deterministic list of inputs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

static int push(input_list *l, const char *path, const char *name,
                const char *rel, const pk_plugin *reader, const char *error)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        input *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return -1;
        l->items = p;
        l->cap = cap;
    }
    input *in = &l->items[l->count];
    memset(in, 0, sizeof *in);
    in->path = path ? strdup(path) : NULL;
    in->name = strdup(name);
    in->rel = strdup(rel);
    in->reader = reader;
    in->error = error ? strdup(error) : NULL;
    if ((path && !in->path) || !in->name || !in->rel || (error && !in->error)) {
        free(in->path);
        free(in->name);
        free(in->rel);
        free(in->error);
        return -1;
    }
    l->count++;
    return 0;
}

static bool has_ext(const pk_plugin *p, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || !p->extensions)
        return false;
    for (const char *const *e = p->extensions; *e; e++)
        if (strcasecmp(*e, dot + 1) == 0)
            return true;
    return false;
}

static const pk_plugin *reader_for(const pk_context *ctx,
                                   const pk_plugin *forced, const char *name)
{
    if (forced)
        return has_ext(forced, name) ? forced : NULL;
    return pk_context_reader_for(ctx, name);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Walks dir; rel is the path below the operand ("" at the top). */
static int walk(input_list *l, const pk_context *ctx, const pk_plugin *forced,
                const char *dir, const char *rel, int depth)
{
    struct dirent **names;
    int n = scandir(dir, &names, skip_hidden, by_name);
    if (n < 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
        return push(l, NULL, dir, rel, NULL, msg);
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *base = names[i]->d_name;
        size_t plen = strlen(dir) + strlen(base) + 2;
        size_t rlen = strlen(rel) + strlen(base) + 2;
        char *path = malloc(plen), *sub = malloc(rlen);
        if (!path || !sub)
            rc = -1;
        struct stat st;
        if (rc == 0) {
            snprintf(path, plen, "%s%s%s", dir,
                     dir[strlen(dir) - 1] == '/' ? "" : "/", base);
            snprintf(sub, rlen, "%s%s%s", rel, *rel ? "/" : "", base);
            /* lstat: a symbolic link to a directory is not followed, so a
             * link cycle cannot make the walk endless. */
            if (lstat(path, &st) != 0) {
                char msg[256];
                snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
                rc = push(l, NULL, path, sub, NULL, msg);
            } else if (S_ISDIR(st.st_mode)) {
                if (depth < 64)
                    rc = walk(l, ctx, forced, path, sub, depth + 1);
            } else {
                const pk_plugin *r = reader_for(ctx, forced, base);
                if (r && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
                    rc = push(l, path, path, sub, r, NULL);
            }
        }
        free(path);
        free(sub);
        free(names[i]);
        if (rc)
            for (int k = i + 1; k < n; k++)
                free(names[k]);
        if (rc)
            break;
    }
    free(names);
    return rc;
}

int inputs_expand(input_list *l, const pk_context *ctx, const pk_plugin *forced,
                  char **operands, size_t n)
{
    /* Looked up (and so loaded) only when standard input is read. */
    const pk_plugin *stdin_reader = NULL;
    bool has_stdin = n == 0;
    for (size_t i = 0; i < n && !has_stdin; i++)
        has_stdin = strcmp(operands[i], "-") == 0;
    if (has_stdin)
        stdin_reader = forced ? forced
                              : pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    if (n == 0)
        return push(l, NULL, "<stdin>", "stdin", stdin_reader,
                    stdin_reader ? NULL : "no reader for standard input: use -f");
    for (size_t i = 0; i < n; i++) {
        const char *op = operands[i];
        int rc;
        struct stat st;
        if (strcmp(op, "-") == 0) {
            rc = push(l, NULL, "<stdin>", "stdin", stdin_reader,
                      stdin_reader ? NULL : "no reader for standard input: use -f");
        } else if (stat(op, &st) != 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
            rc = push(l, op, op, op, NULL, msg);
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(l, ctx, forced, op, "", 0);
        } else {
            const char *base = strrchr(op, '/');
            base = base ? base + 1 : op;
            const pk_plugin *r = forced ? forced : pk_context_reader_for(ctx, op);
            rc = push(l, op, op, base, r,
                      r ? NULL : "no reader for this file's extension: use -f");
        }
        if (rc)
            return rc;
    }
    return 0;
}

void inputs_free(input_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].path);
        free(l->items[i].name);
        free(l->items[i].rel);
        free(l->items[i].error);
    }
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}
