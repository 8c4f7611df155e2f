/* err.c: status names and the error record. */
#include "orbnet/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void orb_error_clear(orb_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void copy_str(char *dst, size_t n, const char *src)
{
    if (!src)
        src = "";
    snprintf(dst, n, "%s", src);
}

int orb_error_set(orb_error_t *err, int code, const char *file, long line,
                  int column, const char *field, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    copy_str(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_str(err->field, sizeof err->field, field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

char *orb_error_format(const orb_error_t *err, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = '\0';
    size_t used = 0;
#define APPEND(...)                                                         \
    do {                                                                    \
        int k_ = snprintf(buf + used, n - used, __VA_ARGS__);               \
        if (k_ > 0)                                                         \
            used += (size_t)k_ < n - used ? (size_t)k_ : n - used - 1;      \
    } while (0)
    if (err->file[0])
        APPEND("%s:", err->file);
    if (err->line > 0)
        APPEND("%ld:", err->line);
    if (err->column > 0)
        APPEND("%d:", err->column);
    if (used > 0)
        APPEND(" ");
    if (err->field[0])
        APPEND("field '%s': ", err->field);
    APPEND("%s", err->message[0] ? err->message : orb_strerror(err->code));
#undef APPEND
    return buf;
}

const char *orb_strerror(int code)
{
    switch (code) {
    case ORB_OK: return "success";
    case ORB_ENOMEM: return "out of memory";
    case ORB_EIO: return "input/output error";
    case ORB_ESYNTAX: return "malformed input";
    case ORB_ERANGE: return "value out of range";
    case ORB_ECHECKSUM: return "checksum mismatch";
    case ORB_EEMPTY: return "no records in input";
    case ORB_EINVAL: return "invalid argument";
    case ORB_ENOTFOUND: return "not found";
    case ORB_ETOOBIG: return "input too large";
    case ORB_EINTERRUPTED: return "interrupted";
    case ORB_ENET: return "network transfer failed";
    case ORB_EPROPAGATE: return "propagation failed";
    default: return "unknown error";
    }
}
