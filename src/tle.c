/* tle.c: two-line element sets: field-by-field parsing with syntax, range
 * and checksum validation (Alpha-5 catalogue numbers included), whole-file
 * parsing of TLE/3LE text, and formatting back to two lines. */
#include "orbnet/tle.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

#define DEG2RAD (3.14159265358979323846 / 180.0)
#define TLE_LINE_LEN 69

/* One line of input: text (not NUL-terminated, trailing blanks and CR
 * removed) and where it came from, so every error can name file and line. */
typedef struct tle_line {
    const char *s;
    size_t len;
    long lineno;
    const char *file;
    orb_error_t *err;
} tle_line_t;

static const double pow10_tab[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Copies n bytes of field text into q for a message, '?' for unprintables. */
static const char *quote(char *q, size_t qn, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n && i + 1 < qn; i++)
        q[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    q[i] = '\0';
    return q;
}

static int field_error(const tle_line_t *L, int col, int width,
                       const char *field, const char *expected)
{
    char q[32];
    return orb_error_set(L->err, ORB_ESYNTAX, L->file, L->lineno, col, field,
                         "expected %s, found \"%s\"", expected,
                         quote(q, sizeof q, L->s + col - 1, (size_t)width));
}

/* Parses a fixed-width decimal field: blanks, optional sign, digits with at
 * most one '.', blanks.  Mantissa and power of ten are both exact doubles,
 * so one division gives the correctly rounded value (as strtod would). */
static int parse_decimal(const char *p, int width, double *out)
{
    int i = 0, digits = 0, frac = -1;
    uint64_t m = 0;
    double sign = 1.0;
    while (i < width && p[i] == ' ')
        i++;
    if (i < width && (p[i] == '-' || p[i] == '+'))
        sign = p[i++] == '-' ? -1.0 : 1.0;
    for (; i < width && (is_digit(p[i]) || p[i] == '.'); i++) {
        if (p[i] == '.') {
            if (frac >= 0)
                return 0;
            frac = 0;
            continue;
        }
        m = m * 10 + (uint64_t)(p[i] - '0');
        digits++;
        if (frac >= 0)
            frac++;
    }
    while (i < width && p[i] == ' ')
        i++;
    if (i != width || digits == 0 || digits > 15)
        return 0;
    *out = sign * ((double)m / pow10_tab[frac > 0 ? frac : 0]);
    return 1;
}

/* Parses an implied-decimal exponent field of 8 columns, "SMMMMMSE":
 * " 10374-2" is 0.10374e-2.  Leading blanks may stand for zeros. */
static int parse_exp_field(const char *p, double *out)
{
    if (p[0] != ' ' && p[0] != '+' && p[0] != '-')
        return 0;
    int i = 1, digits = 0;
    long m = 0;
    while (i < 6 && p[i] == ' ')
        i++;
    for (; i < 6; i++) {
        if (!is_digit(p[i]))
            return 0;
        m = m * 10 + (p[i] - '0');
        digits++;
    }
    if (digits == 0 || (p[6] != '+' && p[6] != '-' && p[6] != ' ') ||
        !is_digit(p[7]))
        return 0;
    int e = p[7] - '0';
    double v = (double)m / 1e5;
    v = p[6] == '-' ? v / pow10_tab[e] : v * pow10_tab[e];
    *out = p[0] == '-' ? -v : v;
    return 1;
}

/* Integer field: blanks then digits; all blanks reads as 0. */
static int parse_uint(const char *p, int width, long *out)
{
    int i = 0;
    long v = 0;
    while (i < width && p[i] == ' ')
        i++;
    for (; i < width; i++) {
        if (!is_digit(p[i]))
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

long orb_tle_decode_catnum(const char field[5])
{
    int i = 0;
    while (i < 4 && field[i] == ' ')
        i++;
    long lead = 0;
    char c = field[i];
    if (i == 0 && c >= 'A' && c <= 'Z') {
        if (c == 'I' || c == 'O')
            return -1;
        /* A=10 .. H=17, J=18 .. N=22, P=23 .. Z=33 */
        lead = 10 + (c - 'A') - (c > 'I') - (c > 'O');
        i = 1;
    }
    long v = 0;
    for (; i < 5; i++) {
        if (!is_digit(field[i]))
            return -1;
        v = v * 10 + (field[i] - '0');
    }
    return lead * 10000 + v;
}

static int checksum_n(const char *line, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n && i < 68 && line[i]; i++) {
        if (is_digit(line[i]))
            sum += line[i] - '0';
        else if (line[i] == '-')
            sum += 1;
    }
    return sum % 10;
}

int orb_tle_checksum(const char *line)
{
    return checksum_n(line, 68);
}

/* Blanks that separate fields; a missing one means shifted columns. */
static int check_blanks(const tle_line_t *L, const int *cols, int n)
{
    for (int k = 0; k < n; k++)
        if (L->s[cols[k] - 1] != ' ')
            return field_error(L, cols[k], 1, "separator",
                               "a blank between fields");
    return ORB_OK;
}

/* Length and line-number checks common to both lines. */
static int check_shape(const tle_line_t *L, char which)
{
    if (L->len < 1 || L->s[0] != which || (L->len > 1 && L->s[1] != ' '))
        return orb_error_set(L->err, ORB_ESYNTAX, L->file, L->lineno, 1,
                             "line number",
                             "expected line %c of an element set (starting \"%c \")",
                             which, which);
    if (L->len < TLE_LINE_LEN)
        return orb_error_set(L->err, ORB_ESYNTAX, L->file, L->lineno,
                             (int)L->len + 1, "line length",
                             "line %c is truncated: %zu characters, expected 69",
                             which, L->len);
    /* text after column 69 is tolerated on line 2 only, after a blank
     * (SGP4-VER.TLE puts start/stop/step times there) */
    if (L->len > TLE_LINE_LEN &&
        (which == '1' || (L->s[69] != ' ' && L->s[69] != '\t')))
        return orb_error_set(L->err, ORB_ESYNTAX, L->file, L->lineno, 70,
                             "line length",
                             "line %c is %zu characters long, expected 69",
                             which, L->len);
    return ORB_OK;
}

static int parse_catnum(const tle_line_t *L, long *out)
{
    long v = orb_tle_decode_catnum(L->s + 2);
    if (v < 0)
        return field_error(L, 3, 5, "catalogue number",
                           "5 digits or Alpha-5 (a letter other than I and O, then 4 digits)");
    *out = v;
    return ORB_OK;
}

static int parse_designator(const tle_line_t *L, orb_elements_t *el)
{
    const char *p = L->s + 9;
    for (int i = 0; i < 8; i++) {
        int ok = p[i] == ' ' || (i < 5 ? is_digit(p[i])
                                        : (p[i] >= 'A' && p[i] <= 'Z'));
        if (!ok)
            return field_error(L, 10, 8, "international designator",
                               "YYNNNPPP (launch year, launch number, piece letters)");
    }
    int n = 8;
    while (n > 0 && p[n - 1] == ' ')
        n--;
    memcpy(el->intl_designator, p, (size_t)n);
    el->intl_designator[n] = '\0';
    return ORB_OK;
}

static int parse_epoch(const tle_line_t *L, orb_elements_t *el)
{
    const char *p = L->s;
    if (!is_digit(p[18]) || !is_digit(p[19]))
        return field_error(L, 19, 2, "epoch year", "2 digits");
    int yy = (p[18] - '0') * 10 + (p[19] - '0');
    if (!parse_decimal(p + 20, 12, &el->epoch_day))
        return field_error(L, 21, 12, "epoch day",
                           "a day of year like 174.88577602");
    el->epoch_year = yy < 57 ? 2000 + yy : 1900 + yy;
    return ORB_OK;
}

static int parse_line1(const tle_line_t *L, orb_elements_t *el)
{
    static const int blanks[] = {2, 9, 18, 33, 44, 53, 62, 64};
    const char *p = L->s;
    int rc;
    if ((rc = check_blanks(L, blanks, 8)) != ORB_OK ||
        (rc = parse_catnum(L, &el->norad_id)) != ORB_OK)
        return rc;
    char c = p[7];
    if (c != 'U' && c != 'C' && c != 'S' && c != ' ')
        return field_error(L, 8, 1, "classification", "U, C or S");
    el->classification = c == ' ' ? 'U' : c;
    if ((rc = parse_designator(L, el)) != ORB_OK ||
        (rc = parse_epoch(L, el)) != ORB_OK)
        return rc;
    if (!parse_decimal(p + 33, 10, &el->ndot_rev_day2))
        return field_error(L, 34, 10, "mean motion derivative",
                           "a number like \" .00061014\"");
    if (!parse_exp_field(p + 44, &el->nddot_rev_day3))
        return field_error(L, 45, 8, "mean motion second derivative",
                           "an implied-decimal number like \" 12345-6\"");
    if (!parse_exp_field(p + 53, &el->bstar_per_er))
        return field_error(L, 54, 8, "bstar",
                           "an implied-decimal number like \" 10374-2\"");
    if (p[62] != ' ' && !is_digit(p[62]))
        return field_error(L, 63, 1, "ephemeris type", "a digit");
    if (!parse_uint(p + 64, 4, &el->element_set_no))
        return field_error(L, 65, 4, "element set number", "up to 4 digits");
    if (!is_digit(p[68]))
        return field_error(L, 69, 1, "checksum", "a digit");
    return ORB_OK;
}

static int parse_angle(const tle_line_t *L, int col, int width,
                       const char *field, double *deg)
{
    if (!parse_decimal(L->s + col - 1, width, deg))
        return field_error(L, col, width, field, "an angle in degrees like 53.1523");
    return ORB_OK;
}

static int parse_line2(const tle_line_t *L, orb_elements_t *el, long *catnum,
                       double deg[4])
{
    static const int blanks[] = {2, 8, 17, 26, 34, 43, 52};
    const char *p = L->s;
    int rc;
    if ((rc = check_blanks(L, blanks, 7)) != ORB_OK ||
        (rc = parse_catnum(L, catnum)) != ORB_OK ||
        (rc = parse_angle(L, 9, 8, "inclination", &deg[0])) != ORB_OK ||
        (rc = parse_angle(L, 18, 8, "right ascension of ascending node",
                          &deg[1])) != ORB_OK)
        return rc;
    long e = 0;
    for (int i = 26; i < 33; i++) {
        if (!is_digit(p[i]))
            return field_error(L, 27, 7, "eccentricity",
                               "7 digits (implied leading decimal point)");
        e = e * 10 + (p[i] - '0');
    }
    el->eccentricity = (double)e / 1e7;
    if ((rc = parse_angle(L, 35, 8, "argument of perigee", &deg[2])) != ORB_OK ||
        (rc = parse_angle(L, 44, 8, "mean anomaly", &deg[3])) != ORB_OK)
        return rc;
    if (!parse_decimal(p + 52, 11, &el->mean_motion_rev_day))
        return field_error(L, 53, 11, "mean motion",
                           "revolutions per day like 15.50879183");
    if (!parse_uint(p + 63, 5, &el->rev_at_epoch))
        return field_error(L, 64, 5, "revolution number", "up to 5 digits");
    if (!is_digit(p[68]))
        return field_error(L, 69, 1, "checksum", "a digit");
    return ORB_OK;
}

static int verify_checksum(const tle_line_t *L)
{
    int want = checksum_n(L->s, L->len);
    if (L->s[68] - '0' != want)
        return orb_error_set(L->err, ORB_ECHECKSUM, L->file, L->lineno, 69,
                             "checksum",
                             "column 69 holds %c but the modulo-10 checksum of columns 1-68 is %d",
                             L->s[68], want);
    return ORB_OK;
}

static int range_error(const tle_line_t *L, int col, const char *field,
                       double v, const char *range)
{
    return orb_error_set(L->err, ORB_ERANGE, L->file, L->lineno, col, field,
                         "%.8g is outside %s", v, range);
}

/* Range checks on line 2 values (degrees as written) and the epoch day. */
static int check_ranges(const tle_line_t *L1, const tle_line_t *L2,
                        const orb_elements_t *el, const double deg[4])
{
    static const int cols[4] = {9, 18, 35, 44};
    static const char *names[4] = {"inclination",
                                   "right ascension of ascending node",
                                   "argument of perigee", "mean anomaly"};
    if (el->norad_id == 0)
        return range_error(L1, 3, "catalogue number", 0.0, "1..339999");
    if (!(el->epoch_day >= 1.0 && el->epoch_day < 367.0))
        return range_error(L1, 21, "epoch day", el->epoch_day, "[1, 367)");
    if (!(deg[0] >= 0.0 && deg[0] <= 180.0))
        return range_error(L2, 9, names[0], deg[0], "[0, 180] degrees");
    for (int k = 1; k < 4; k++)
        if (!(deg[k] >= 0.0 && deg[k] < 360.0))
            return range_error(L2, cols[k], names[k], deg[k], "[0, 360) degrees");
    if (!(el->mean_motion_rev_day > 0.0))
        return range_error(L2, 53, "mean motion", el->mean_motion_rev_day,
                           "(0, inf) revolutions per day");
    return ORB_OK;
}

static void set_name(orb_elements_t *el, const char *name, size_t n)
{
    if (n >= 2 && name[0] == '0' && name[1] == ' ') {
        name += 2;
        n -= 2;
    }
    while (n > 0 && (*name == ' ' || *name == '\t')) {
        name++;
        n--;
    }
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
        n--;
    if (n >= sizeof el->name) { /* cut, but not inside a UTF-8 sequence */
        n = sizeof el->name - 1;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(el->name, name, n);
    el->name[n] = '\0';
}

/* Parses one element set from two located lines; *out is written only on
 * success. */
static int parse_pair(const tle_line_t *L1, const tle_line_t *L2,
                      const char *name, size_t name_len, unsigned flags,
                      orb_elements_t *out)
{
    orb_elements_t el;
    memset(&el, 0, sizeof el);
    long cat2 = 0;
    double deg[4];
    int rc;
    if ((rc = check_shape(L1, '1')) != ORB_OK ||
        (rc = check_shape(L2, '2')) != ORB_OK ||
        (rc = parse_line1(L1, &el)) != ORB_OK ||
        (rc = parse_line2(L2, &el, &cat2, deg)) != ORB_OK)
        return rc;
    if (cat2 != el.norad_id)
        return orb_error_set(L2->err, ORB_ESYNTAX, L2->file, L2->lineno, 3,
                             "catalogue number",
                             "line 2 has catalogue number %ld but line 1 (line %ld) has %ld",
                             cat2, L1->lineno, el.norad_id);
    if (!(flags & ORB_TLE_NO_CHECKSUM) &&
        ((rc = verify_checksum(L1)) != ORB_OK ||
         (rc = verify_checksum(L2)) != ORB_OK))
        return rc;
    if ((rc = check_ranges(L1, L2, &el, deg)) != ORB_OK)
        return rc;
    el.inclination_rad = deg[0] * DEG2RAD;
    el.raan_rad = deg[1] * DEG2RAD;
    el.arg_perigee_rad = deg[2] * DEG2RAD;
    el.mean_anomaly_rad = deg[3] * DEG2RAD;
    el.epoch = orb_time_from_year_doy(el.epoch_year, el.epoch_day);
    if (name)
        set_name(&el, name, name_len);
    *out = el;
    return ORB_OK;
}

static size_t trimmed_len(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n'))
        n--;
    return n;
}

int orb_tle_parse_flags(const char *line1, const char *line2, const char *name,
                        unsigned flags, orb_elements_t *out, const char *file,
                        long first_line, orb_error_t *err)
{
    if (!line1 || !line2 || !out)
        return orb_error_set(err, ORB_EINVAL, file, 0, 0, NULL,
                             "orb_tle_parse: NULL argument");
    tle_line_t L1 = {line1, trimmed_len(line1, strlen(line1)), first_line,
                     file, err};
    tle_line_t L2 = {line2, trimmed_len(line2, strlen(line2)),
                     first_line > 0 ? first_line + 1 : 0, file, err};
    return parse_pair(&L1, &L2, name, name ? strlen(name) : 0, flags, out);
}

int orb_tle_parse(const char *line1, const char *line2, const char *name,
                  orb_elements_t *out, const char *file, long first_line,
                  orb_error_t *err)
{
    return orb_tle_parse_flags(line1, line2, name, 0, out, file, first_line,
                               err);
}

/* Walks a buffer line by line, skipping blank lines and '#' comments. */
typedef struct scanner {
    const char *buf;
    size_t len, pos;
    long lineno;
} scanner_t;

static int next_line(scanner_t *sc, tle_line_t *L)
{
    while (sc->pos < sc->len) {
        const char *s = sc->buf + sc->pos;
        const char *nl = memchr(s, '\n', sc->len - sc->pos);
        size_t n = nl ? (size_t)(nl - s) : sc->len - sc->pos;
        sc->pos += n + (nl != NULL);
        sc->lineno++;
        n = trimmed_len(s, n);
        size_t lead = 0;
        while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (lead == n || s[0] == '#')
            continue;
        L->s = s;
        L->len = n;
        L->lineno = sc->lineno;
        return 1;
    }
    return 0;
}

static int starts_line(const tle_line_t *L, char which)
{
    return L->s[0] == which && (L->len == 1 || L->s[1] == ' ');
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int structure_error(const tle_line_t *L, const char *fmt, ...)
{
    char q[32], msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return orb_error_set(L->err, ORB_ESYNTAX, L->file, L->lineno, 1, NULL,
                         "expected %s, found \"%s\"", msg,
                         quote(q, sizeof q, L->s, L->len < 24 ? L->len : 24));
}

/* Reads the next record (optional name line, line 1, line 2) from sc into
 * *el.  Returns 1 for a record, 0 at the end, or a negative status. */
static int next_record(scanner_t *sc, const tle_line_t *proto, unsigned flags,
                       orb_elements_t *el)
{
    tle_line_t name = *proto, L1 = *proto, L2 = *proto;
    int has_name = 0, rc;
    if (!next_line(sc, &L1))
        return 0;
    if (starts_line(&L1, '2'))
        return structure_error(&L1, "a name line or line 1 before line 2");
    if (!starts_line(&L1, '1')) {
        name = L1;
        has_name = 1;
        if (!next_line(sc, &L1))
            return orb_error_set(name.err, ORB_ESYNTAX, name.file, name.lineno, 1,
                                 NULL, "input ends after a name line; expected line 1 of an element set");
        if (!starts_line(&L1, '1'))
            return structure_error(&L1, "line 1 of an element set (starting \"1 \") after the name on line %ld", name.lineno);
    }
    if (!next_line(sc, &L2))
        return orb_error_set(L1.err, ORB_ESYNTAX, L1.file, L1.lineno, 1, NULL,
                             "input ends after line 1; expected line 2 of the element set");
    if (!starts_line(&L2, '2'))
        return structure_error(&L2, "line 2 of the element set whose line 1 is line %ld", L1.lineno);
    rc = parse_pair(&L1, &L2, has_name ? name.s : NULL, name.len, flags, el);
    if (rc != ORB_OK)
        return rc;
    el->source_line = has_name ? name.lineno : L1.lineno;
    return 1;
}

int orb_tle_parse_buffer_flags(const char *buf, size_t len,
                               const char *filename, unsigned flags,
                               orb_catalog_t *cat, orb_error_t *err)
{
    size_t start = cat->count;
    scanner_t sc = {buf, len, 0, 0};
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        sc.pos = 3; /* UTF-8 byte order mark */
    tle_line_t proto = {NULL, 0, 0, filename, err};
    orb_elements_t el;
    int rc;
    while ((rc = next_record(&sc, &proto, flags, &el)) == 1) {
        if (orb_catalog_add(cat, &el) != ORB_OK) {
            rc = orb_error_set(err, ORB_ENOMEM, filename, el.source_line, 0,
                               NULL, "out of memory after %zu element sets",
                               cat->count - start);
            break;
        }
    }
    if (rc == 0 && cat->count == start)
        rc = orb_error_set(err, ORB_EEMPTY, filename, 0, 0, NULL,
                           "no element sets found (the input is empty or holds only blank lines)");
    if (rc < 0) {
        cat->count = start;
        return rc;
    }
    return ORB_OK;
}

int orb_tle_parse_buffer(const char *buf, size_t len, const char *filename,
                         orb_catalog_t *cat, orb_error_t *err)
{
    return orb_tle_parse_buffer_flags(buf, len, filename, 0, cat, err);
}

int orb_tle_load(const char *path, orb_catalog_t *cat, orb_error_t *err)
{
    char *buf;
    size_t len;
    int rc = orb_file_read(path, &buf, &len, err);
    if (rc != ORB_OK)
        return rc;
    rc = orb_tle_parse_buffer(buf, len, path, cat, err);
    orb_buffer_free(buf);
    return rc;
}

/* Writes an implied-decimal exponent field (8 columns, "SMMMMMSE") for v;
 * values below 1e-10 in magnitude round to zero.  0 when v is too large. */
static int format_exp_field(double v, char out[9])
{
    char sign = v < 0 ? '-' : ' ';
    double a = fabs(v);
    long mant = 0;
    int e = 0;
    if (a >= 1e-10) {
        e = (int)floor(log10(a)) + 1; /* a = 0.MMMMM x 10^e */
        mant = lround(a / pow(10.0, e) * 1e5);
        if (mant >= 100000) {
            mant /= 10;
            e++;
        }
        if (mant < 10000) { /* log10 landed one too high */
            e--;
            mant = lround(a / pow(10.0, e) * 1e5);
        }
        if (e < -9) {
            mant = 0;
            e = 0;
        }
    }
    if (e > 9 || !isfinite(v))
        return 0;
    snprintf(out, 9, "%c%05ld%c%d", mant ? sign : ' ', mant, e < 0 ? '-' : '+',
             e < 0 ? -e : e);
    return 1;
}

/* Degrees with 4 decimals in 8 columns; 359.99996 rounds to 0.0000, not to
 * the out-of-range 360.0000. */
static void format_angle(double rad, double wrap_deg, char out[9])
{
    double deg = rad / DEG2RAD;
    if (wrap_deg > 0 && deg >= wrap_deg - 0.00005)
        deg = 0.0;
    snprintf(out, 9, "%8.4f", deg);
}

/* "19074B" (TLE) or "2019-074B" (OMM) as the 8 columns of line 1. */
static void format_designator(const char *id, char out[9])
{
    if (strlen(id) > 5 && id[4] == '-')
        id += 2; /* "2019-074B" -> "19" "074B" */
    char buf[9];
    size_t n = 0;
    for (size_t i = 0; id[i] && n < 8; i++)
        if (id[i] != '-')
            buf[n++] = id[i];
    buf[n] = '\0';
    snprintf(out, 9, "%-8s", buf);
}

/* Five columns: digits below 100000, Alpha-5 from 100000 to 339999. */
static void encode_catnum(long id, char out[6])
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 4; i >= 1; i--, id /= 10)
        out[i] = (char)('0' + id % 10);
    out[0] = id < 10 ? (char)('0' + id) : letters[id - 10];
    out[5] = '\0';
}

/* The epoch as written: the day rounded to 8 decimals, carried into the
 * next year when it rounds past the year's last day. */
static void format_epoch(const orb_elements_t *el, char out[40])
{
    int year = el->epoch_year;
    double day = floor(el->epoch_day * 1e8 + 0.5) / 1e8;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day >= 366.0 + leap) {
        day -= 365.0 + leap;
        year++;
    }
    snprintf(out, 40, "%02d%012.8f", (year % 100 + 100) % 100, day);
}

static void add_checksum(char line[70])
{
    line[68] = (char)('0' + checksum_n(line, 68));
    line[69] = '\0';
}

int orb_tle_format(const orb_elements_t *el, char line1[70], char line2[70])
{
    char cat[6], desig[9], nddot[9], bstar[9], inc[9], raan[9], argp[9], ma[9];
    char ndot[16], epoch[40];
    double e7 = floor(el->eccentricity * 1e7 + 0.5);
    if (el->norad_id < 1 || el->norad_id > 339999 || !(e7 >= 0 && e7 < 1e7) ||
        !(fabs(el->ndot_rev_day2) < 0.999999995) ||
        !(el->mean_motion_rev_day > 0 && el->mean_motion_rev_day < 100.0) ||
        !(el->epoch_day >= 1.0 && el->epoch_day < 367.0) ||
        !format_exp_field(el->nddot_rev_day3, nddot) ||
        !format_exp_field(el->bstar_per_er, bstar))
        return ORB_ERANGE;
    encode_catnum(el->norad_id, cat);
    format_designator(el->intl_designator, desig);
    format_angle(el->inclination_rad, 0, inc);
    format_angle(el->raan_rad, 360.0, raan);
    format_angle(el->arg_perigee_rad, 360.0, argp);
    format_angle(el->mean_anomaly_rad, 360.0, ma);
    snprintf(ndot, sizeof ndot, "%.8f", fabs(el->ndot_rev_day2)); /* "0.00061014" */
    char c = el->classification ? el->classification : 'U';
    char buf[128];
    format_epoch(el, epoch);
    snprintf(buf, sizeof buf, "1 %s%c %s %s %c%s %s %s 0 %4ld0", cat,
             c, desig, epoch,
             el->ndot_rev_day2 < 0 ? '-' : ' ', ndot + 1, nddot, bstar,
             el->element_set_no % 10000);
    memcpy(line1, buf, 69);
    add_checksum(line1);
    snprintf(buf, sizeof buf, "2 %s %s %s %07ld %s %s %11.8f%5ld0", cat, inc,
             raan, (long)e7, argp, ma, el->mean_motion_rev_day,
             el->rev_at_epoch % 100000);
    memcpy(line2, buf, 69);
    add_checksum(line2);
    return ORB_OK;
}
