/*
 * plugin.c - checking a plugin descriptor against the host's ABI.
 */
#include <string.h>

#include "internal.h"

const char *pk_plugin_kind_name(pk_plugin_kind kind)
{
    switch (kind) {
    case PK_PLUGIN_READER: return "reader";
    case PK_PLUGIN_WRITER: return "writer";
    }
    return "unknown";
}

bool pk_plugin_name_ok(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

void pk_plugin_copy(pk_plugin *out, const pk_plugin *p)
{
    size_t n = p->size < sizeof *out ? p->size : sizeof *out;
    memset(out, 0, sizeof *out);
    memcpy(out, p, n);
}

int pk_plugin_check(const pk_plugin *plugin, pk_diag *diag)
{
    if (!plugin)
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "the entry function returned no descriptor");
    /* Only the two version fields are read before they are checked: a
     * plugin of another major may lay out the rest differently. */
    if (plugin->abi_major != PK_ABI_MAJOR || plugin->abi_minor > PK_ABI_MINOR)
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "plugin ABI %u.%u, presskit supports %d.0 to %d.%d",
                           (unsigned)plugin->abi_major,
                           (unsigned)plugin->abi_minor,
                           PK_ABI_MAJOR, PK_ABI_MAJOR, PK_ABI_MINOR);
    if (plugin->size < PK_PLUGIN_SIZE_1_0)
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "descriptor too small (%u bytes) for ABI %u.%u",
                           (unsigned)plugin->size,
                           (unsigned)plugin->abi_major,
                           (unsigned)plugin->abi_minor);
    /* A plugin built for an older minor has a shorter descriptor: read it
     * through a host-sized copy, the fields it lacks zero. */
    pk_plugin local;
    pk_plugin_copy(&local, plugin);
    const pk_plugin *p = &local;
    if (!pk_plugin_name_ok(p->name))
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "invalid plugin name: expected 1-64 of [a-z0-9_-]");
    if (!p->version || !p->summary)
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "plugin %s has no version or summary", p->name);
    if (p->kind == PK_PLUGIN_READER) {
        if (!p->reader || !p->reader->read)
            return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                               "reader %s has no read operation", p->name);
    } else if (p->kind == PK_PLUGIN_WRITER) {
        if (!p->writer || !p->writer->open || !p->writer->write ||
            !p->writer->close)
            return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                               "writer %s lacks open, write or close", p->name);
        if (!p->extensions || !p->extensions[0])
            return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                               "writer %s declares no output extension",
                               p->name);
    } else {
        return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                           "plugin %s has an unknown kind %d", p->name,
                           (int)p->kind);
    }
    for (const pk_option_def *o = p->options; o && o->name; o++)
        if (!pk_plugin_name_ok(o->name) || o->type < PK_OPTION_STRING ||
            o->type > PK_OPTION_INT)
            return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                               "plugin %s declares an invalid option", p->name);
    return PK_OK;
}

int pk_reader_check_options(const pk_plugin *plugin, const pk_options *opts,
                            pk_diag *diag)
{
    /* A 1.0 plugin's operation table ends before check_options: read the
     * field only from plugins that declare they have it. */
    if (!plugin || plugin->kind != PK_PLUGIN_READER || !plugin->reader ||
        plugin->abi_major != PK_ABI_MAJOR || plugin->abi_minor < 1 ||
        !plugin->reader->check_options)
        return PK_OK;
    return plugin->reader->check_options(opts, diag);
}
