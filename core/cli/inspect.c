/*
 * inspect.c - what plugins there are: --list-plugins and --help-plugin.
 *
 * Both read only the descriptors the context holds, so they show what a
 * conversion would use: the same search path, the same refusals.  The
 * list loads nothing (a deferred plugin's index line says what its
 * descriptor does); the help loads the plugins it describes, for their
 * option tables.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Writes a plugin's extensions as ".a,.b" into buf; "-" for none. */
static const char *extensions(const pk_plugin *p, char *buf, size_t len)
{
    size_t off = 0;
    buf[0] = '\0';
    for (const char *const *e = p->extensions; e && *e; e++) {
        int n = snprintf(buf + off, len - off, "%s.%s", off ? "," : "", *e);
        if (n < 0 || (size_t)n >= len - off)
            break;
        off += (size_t)n;
    }
    return off ? buf : "-";
}

static int width_of(const char *s, int at_least)
{
    size_t n = s ? strlen(s) : 0;
    return n > (size_t)at_least ? (n > 200 ? 200 : (int)n) : at_least;
}

void inspect_list_plugins(const pk_context *ctx)
{
    size_t n = pk_context_entry_count(ctx);
    int wname = 4, wkind = 6, wver = 7, wfile = 4;
    for (size_t i = 0; i < n; i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (!p)
            continue;
        wname = width_of(p->name, wname);
        wver = width_of(p->version, wver);
        wfile = width_of(pk_context_entry_file(ctx, i), wfile);
    }
    printf("%-*s  %-*s  %-*s  %-*s  %s\n", wname, "NAME", wkind, "KIND",
           wver, "VERSION", wfile, "FILE", "EXTENSIONS");
    for (size_t i = 0; i < n; i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (!p)
            continue;
        char exts[256];
        printf("%-*s  %-*s  %-*s  %-*s  %s\n", wname, p->name, wkind,
               pk_plugin_kind_name(p->kind), wver, p->version, wfile,
               pk_context_entry_file(ctx, i),
               extensions(p, exts, sizeof exts));
    }
    size_t nf = pk_context_failure_count(ctx);
    if (nf)
        printf("\nRefused:\n");
    for (size_t i = 0; i < nf; i++) {
        const char *why;
        const char *file = pk_context_failure(ctx, i, &why);
        printf("  %s: %s\n", file, why);
    }
}

static void describe(const pk_context *ctx, size_t i)
{
    const pk_plugin *p = pk_context_entry_info(ctx, i);
    char exts[256];
    printf("%s (%s)\n", p->name, pk_plugin_kind_name(p->kind));
    printf("  Version:     %s\n", p->version);
    printf("  File:        %s\n", pk_context_entry_file(ctx, i));
    printf("  Summary:     %s\n", p->summary);
    printf("  Media type:  %s\n", p->media_type ? p->media_type : "-");
    printf("  Extensions:  %s\n", extensions(p, exts, sizeof exts));
    if (p->kind == PK_PLUGIN_WRITER && p->flags & PK_PLUGIN_AGGREGATE)
        printf("  Output:      one for the whole batch (aggregating)\n");
    if (p->kind == PK_PLUGIN_WRITER && p->flags & PK_PLUGIN_ONE_PER_OUTPUT)
        printf("  Output:      one document per file (-O for several)\n");
    if (!p->options || !p->options[0].name) {
        printf("  Options:     none\n");
        return;
    }
    /* Keys as -M takes them: PLUGIN.NAME. */
    int wkey = 3, wtype = 4, wdef = 7;
    for (const pk_option_def *o = p->options; o->name; o++) {
        int k = width_of(o->name, 0) + width_of(p->name, 0) + 1;
        wkey = k > wkey ? k : wkey;
        wtype = width_of(pk_option_type_name(o->type), wtype);
        wdef = width_of(o->default_value, wdef);
    }
    printf("  Options (-M KEY=VALUE):\n");
    printf("    %-*s  %-*s  %-*s  %s\n", wkey, "KEY", wtype, "TYPE", wdef,
           "DEFAULT", "HELP");
    for (const pk_option_def *o = p->options; o->name; o++) {
        char key[160];
        snprintf(key, sizeof key, "%s.%s", p->name, o->name);
        printf("    %-*s  %-*s  %-*s  %s\n", wkey, key, wtype,
               pk_option_type_name(o->type), wdef,
               o->default_value && *o->default_value ? o->default_value : "-",
               o->help ? o->help : "");
    }
}

void inspect_load(const pk_context *ctx, const char *name)
{
    for (size_t i = 0; i < pk_context_entry_count(ctx); i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (p && strcmp(p->name, name) == 0)
            pk_context_entry_load(ctx, i);
    }
}

int inspect_help_plugin(const pk_context *ctx, const char *name)
{
    size_t n = pk_context_entry_count(ctx);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        /* Only loaded plugins: a deferred one's line has no options. */
        if (!p || !pk_context_entry_loaded(ctx, i) || strcmp(p->name, name) != 0)
            continue;
        if (found)
            printf("\n");
        describe(ctx, i);
        found = true;
    }
    if (found)
        return 0;
    fprintf(stderr, "presskit: no plugin called \"%s\" (available:", name);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const pk_plugin *p = pk_context_entry_info(ctx, i);
        if (!p)
            continue;
        const char *pn = p->name;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const pk_plugin *q = pk_context_entry_info(ctx, j);
            seen = q && strcmp(q->name, pn) == 0;
        }
        if (!seen)
            fprintf(stderr, "%s %s", any ? "," : "", pn);
        any = any || !seen;
    }
    fprintf(stderr, "%s)\n", any ? "" : " none found");
    return 2;
}
