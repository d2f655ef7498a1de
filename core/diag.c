/*
 * diag.c - diagnostics and status names.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *pk_status_str(int status)
{
    switch (status) {
    case PK_OK: return "success";
    case PK_ENOMEM: return "out of memory";
    case PK_EINVAL: return "invalid argument";
    case PK_EIO: return "input/output error";
    case PK_EPARSE: return "malformed input";
    case PK_EINPUT: return "invalid release";
    case PK_EPLUGIN: return "plugin error";
    case PK_ENOTFOUND: return "not found";
    case PK_ELIMIT: return "limit exceeded";
    default: return "unknown error";
    }
}

const char *pk_version(void)
{
    return PK_VERSION_STRING;
}

void pk_strlcpy_utf8(char *dst, size_t dstlen, const char *src, size_t n)
{
    if (dstlen == 0)
        return;
    if (n >= dstlen) {
        n = dstlen - 1;
        /* Back up over continuation bytes so no character is cut. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void pk_diag_clear(pk_diag *diag)
{
    if (!diag)
        return;
    diag->status = PK_OK;
    diag->line = diag->column = 0;
    diag->file[0] = diag->message[0] = '\0';
}

int pk_diag_vset(pk_diag *diag, int status, const char *file,
                 unsigned long line, unsigned long column, const char *fmt,
                 va_list ap)
{
    if (!diag)
        return status;
    char buf[PK_DIAG_MESSAGE_MAX * 2];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        buf[0] = '\0', n = 0;
    pk_strlcpy_utf8(diag->message, sizeof diag->message, buf,
                    strnlen(buf, sizeof buf));
    if (file)
        pk_strlcpy_utf8(diag->file, sizeof diag->file, file, strlen(file));
    diag->status = status;
    diag->line = line;
    diag->column = column;
    return status;
}

int pk_diag_set(pk_diag *diag, int status, const char *file,
                unsigned long line, unsigned long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = pk_diag_vset(diag, status, file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

char *pk_diag_format(const pk_diag *diag, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    buf[0] = '\0';
    size_t off = 0;
    int n;
    if (diag->file[0]) {
        if (diag->line && diag->column)
            n = snprintf(buf, len, "%s:%lu:%lu: ", diag->file, diag->line,
                         diag->column);
        else if (diag->line)
            n = snprintf(buf, len, "%s:%lu: ", diag->file, diag->line);
        else
            n = snprintf(buf, len, "%s: ", diag->file);
        if (n > 0)
            off = (size_t)n < len ? (size_t)n : len - 1;
    }
    snprintf(buf + off, len - off, "%s",
             diag->message[0] ? diag->message : pk_status_str(diag->status));
    return buf;
}
