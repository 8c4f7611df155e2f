/* err.h: status codes, their names, and the error record that parsers fill
 * with the file, line, column and field where input went wrong. */
#ifndef ORBNET_ERR_H
#define ORBNET_ERR_H

#include <stddef.h>

/* Every fallible orbnet function returns ORB_OK (0) or one of these. */
enum orb_status {
    ORB_OK = 0,
    ORB_ENOMEM = -1,       /* allocation failed */
    ORB_EIO = -2,          /* a file could not be opened, read or written */
    ORB_ESYNTAX = -3,      /* malformed input: wrong length, letters in a number, ... */
    ORB_ERANGE = -4,       /* a well-formed value outside its allowed range */
    ORB_ECHECKSUM = -5,    /* TLE modulo-10 checksum mismatch */
    ORB_EEMPTY = -6,       /* input holds no records */
    ORB_EINVAL = -7,       /* invalid argument from the caller */
    ORB_ENOTFOUND = -8,    /* a named thing (site, satellite, file) does not exist */
    ORB_ETOOBIG = -9,      /* input exceeds a documented size limit */
    ORB_EINTERRUPTED = -10,/* stopped by a signal */
    ORB_ENET = -11,        /* network transfer failed */
    ORB_EPROPAGATE = -12   /* SGP4 could not propagate (see sgp4.h for the reason) */
};

/* Where and why input was rejected.  Fields that do not apply stay empty
 * (file "", line 0, column 0, field ""). */
typedef struct orb_error {
    int code;            /* an orb_status value */
    char file[512];      /* input file name as given by the caller */
    long line;           /* 1-based line number, 0 when not applicable */
    int column;          /* 1-based column, 0 when not applicable */
    char field[64];      /* name of the field, e.g. "eccentricity" */
    char message[512];   /* what was expected, in plain words */
} orb_error_t;

/* Resets *err to "no error".  err may be NULL. */
void orb_error_clear(orb_error_t *err);

/* Fills *err (if err is not NULL) and returns code, so that a parser can
 * write `return orb_error_set(err, ORB_ESYNTAX, file, line, col, "field",
 * "expected ...")`.  file and field may be NULL. */
int orb_error_set(orb_error_t *err, int code, const char *file, long line,
                  int column, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Writes "FILE:LINE:COLUMN: field FIELD: MESSAGE" (omitting parts that are
 * empty) into buf of size n, always NUL-terminated.  Returns buf. */
char *orb_error_format(const orb_error_t *err, char *buf, size_t n);

/* A static, human-readable name for a status code ("out of memory", ...). */
const char *orb_strerror(int code);

#endif
