/*
 * config.c - the --config file: plugin options as YAML.
 *
 *     atom:
 *       title: Beehive releases
 *       tz: "+12:00"
 *     json.lines: true
 *
 * Either nested (PLUGIN: {NAME: VALUE}) or flat (PLUGIN.NAME: VALUE).
 * Every value is a scalar, taken as written; -M on the command line wins
 * over the file.  Errors name FILE:LINE:COL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli.h"

static int add(config_list *out, const char *key, const char *value)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        char **p = realloc(out->items, cap * sizeof *p);
        if (!p)
            return -1;
        out->items = p;
        out->cap = cap;
    }
    size_t len = strlen(key) + strlen(value) + 2;
    char *kv = malloc(len);
    if (!kv)
        return -1;
    snprintf(kv, len, "%s=%s", key, value);
    out->items[out->count++] = kv;
    return 0;
}

static void where(char *msg, size_t len, const char *path, yaml_mark_t m,
                  const char *what)
{
    snprintf(msg, len, "%s:%zu:%zu: %s", path, m.line + 1, m.column + 1, what);
}

int config_read(config_list *out, const char *path, char *msg, size_t len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(msg, len, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    yaml_parser_t parser;
    yaml_event_t ev;
    int rc = -1;
    /* depth 0: outside the top map; 1: in it; 2: in a plugin's map */
    int depth = 0;
    char ns[256] = "", key[256] = "";
    bool have_key = false, done = false;
    if (!yaml_parser_initialize(&parser)) {
        fclose(fp);
        snprintf(msg, len, "out of memory");
        return -1;
    }
    yaml_parser_set_input_file(&parser, fp);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            char what[256];
            snprintf(what, sizeof what, "invalid YAML: %s",
                     parser.problem ? parser.problem : "syntax error");
            where(msg, len, path, parser.problem_mark, what);
            goto out;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_MAPPING_START_EVENT:
            if (depth == 0 || (depth == 1 && have_key && !strchr(key, '.'))) {
                if (depth == 1) {
                    snprintf(ns, sizeof ns, "%s", key);
                    have_key = false;
                }
                depth++;
                break;
            }
            where(msg, len, path, ev.start_mark,
                  "expected PLUGIN.NAME: VALUE or PLUGIN: {NAME: VALUE}");
            yaml_event_delete(&ev);
            goto out;
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_SCALAR_EVENT: {
            const char *s = (const char *)ev.data.scalar.value;
            if (depth == 0) {
                if (ev.data.scalar.length == 0)
                    break; /* an empty file */
                where(msg, len, path, ev.start_mark, "expected a map of options");
                yaml_event_delete(&ev);
                goto out;
            }
            if (!have_key) {
                if (ev.data.scalar.length >= sizeof key) {
                    where(msg, len, path, ev.start_mark, "option name too long");
                    yaml_event_delete(&ev);
                    goto out;
                }
                snprintf(key, sizeof key, "%s", s);
                have_key = true;
                break;
            }
            char full[sizeof ns + sizeof key + 1];
            if (depth == 2)
                snprintf(full, sizeof full, "%s.%s", ns, key);
            else
                snprintf(full, sizeof full, "%s", key);
            if (depth == 1 && !strchr(full, '.')) {
                where(msg, len, path, ev.start_mark,
                      "expected PLUGIN.NAME: VALUE or PLUGIN: {NAME: VALUE}");
                yaml_event_delete(&ev);
                goto out;
            }
            if (add(out, full, s)) {
                snprintf(msg, len, "out of memory");
                yaml_event_delete(&ev);
                goto out;
            }
            have_key = false;
            break;
        }
        default:
            where(msg, len, path, ev.start_mark,
                  "expected a scalar option value (no lists, anchors or aliases)");
            yaml_event_delete(&ev);
            goto out;
        }
        yaml_event_delete(&ev);
    }
    rc = 0;
out:
    yaml_parser_delete(&parser);
    fclose(fp);
    return rc;
}

void config_free(config_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}
