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

/* Control bytes (a file's text quoted in a message: binary garbage, an
 * escape sequence) become '?', so that a message never drives the terminal
 * it is printed on. */
static void defang(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
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
    defang(err->field);
    defang(err->message);
    return code;
}

/* Appends formatted text at buf[*used], never past n - 1 bytes. */
static void append(char *buf, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *used, n - *used, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used += (size_t)k < n - *used ? (size_t)k : n - *used - 1;
}

char *orb_error_format(const orb_error_t *err, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = '\0';
    size_t used = 0;
    if (err->file[0])
        append(buf, n, &used, "%s:", err->file);
    if (err->line > 0)
        append(buf, n, &used, "%ld:", err->line);
    if (err->column > 0)
        append(buf, n, &used, "%d:", err->column);
    if (used > 0)
        append(buf, n, &used, " ");
    if (err->field[0])
        append(buf, n, &used, "field '%s': ", err->field);
    append(buf, n, &used, "%s", err->message[0] ? err->message : orb_strerror(err->code));
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
    /* SGP4's reasons (sgp4.h; Vallado's codes 1..6) */
    case -101: return "SGP4: mean eccentricity out of range or semi-major axis below 0.95 earth radii";
    case -102: return "SGP4: mean motion below zero";
    case -103: return "SGP4: perturbed eccentricity out of range";
    case -104: return "SGP4: semi-latus rectum below zero";
    case -105: return "SGP4: epoch elements are sub-orbital";
    case -106: return "SGP4: satellite has decayed";
    default: return "unknown error";
    }
}
