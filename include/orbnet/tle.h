/* tle.h: two-line element sets (two-line and three-line forms, Alpha-5
 * catalogue numbers), parsing with full field validation, and formatting. */
#ifndef ORBNET_TLE_H
#define ORBNET_TLE_H

#include <stddef.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"

/* Parses one element set from its two lines (without line terminators;
 * trailing blanks allowed) and an optional name (may be NULL).  Verifies
 * line numbers, matching catalogue numbers, the modulo-10 checksums, and
 * every field's syntax and range.  file/first_line are used only to fill
 * *err.  Returns ORB_OK, ORB_ESYNTAX, ORB_ERANGE or ORB_ECHECKSUM: syntax is
 * checked first (a letter in a field is reported as such, not as the
 * checksum error it also causes), then checksums, then ranges.  *out is
 * written only on success. */
int orb_tle_parse(const char *line1, const char *line2, const char *name,
                  orb_elements_t *out, const char *file, long first_line,
                  orb_error_t *err);

/* Parses a buffer of TLE/3LE records (LF or CRLF, blank lines and lines
 * starting with '#' ignored; a name line may start with "0 "; text after
 * column 69 of line 2 is ignored when a blank separates it, as in
 * SGP4-VER.TLE) and appends them to cat.  filename is used in messages.  On error cat is left
 * as it was and *err names the line and field.  ORB_EEMPTY when the buffer
 * holds no record. */
int orb_tle_parse_buffer(const char *buf, size_t len, const char *filename,
                         orb_catalog_t *cat, orb_error_t *err);

/* Flags for the _flags variants below.  ORB_TLE_NO_CHECKSUM accepts lines
 * whose checksum digit is wrong (all other checks stay): the synthetic cases
 * 33333..33335 of the SGP4 verification file SGP4-VER.TLE carry wrong
 * checksums. */
#define ORB_TLE_NO_CHECKSUM 0x1u

/* orb_tle_parse and orb_tle_parse_buffer with flags (0 = the defaults). */
int orb_tle_parse_flags(const char *line1, const char *line2, const char *name,
                        unsigned flags, orb_elements_t *out, const char *file,
                        long first_line, orb_error_t *err);
int orb_tle_parse_buffer_flags(const char *buf, size_t len,
                               const char *filename, unsigned flags,
                               orb_catalog_t *cat, orb_error_t *err);

/* Reads a TLE file (see orb_file_read for limits) into cat. */
int orb_tle_load(const char *path, orb_catalog_t *cat, orb_error_t *err);

/* Decodes a 5-character catalogue-number field: digits, or Alpha-5 (a letter
 * other than I and O followed by 4 digits; "A0000" = 100000).  Leading
 * blanks allowed.  Returns the number, or -1 when the field is invalid. */
long orb_tle_decode_catnum(const char field[5]);

/* The modulo-10 checksum of the first 68 characters of a line. */
int orb_tle_checksum(const char *line);

/* Writes el as two 69-character lines (NUL-terminated, so 70 bytes each),
 * using Alpha-5 for catalogue numbers 100000..339999.  Returns ORB_OK or
 * ORB_ERANGE for numbers that cannot be written. */
int orb_tle_format(const orb_elements_t *el, char line1[70], char line2[70]);

#endif
