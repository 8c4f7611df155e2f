/* omm.c: Orbit Mean-elements Messages in CelesTrak's CSV and JSON forms:
 * both are mapped onto the same key table, validated field by field with the
 * same ranges as TLEs, and appended to a catalogue. */
#include "orbnet/omm.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define DEG2RAD (3.14159265358979323846 / 180.0)

enum omm_key {
    K_OBJECT_NAME, K_OBJECT_ID, K_EPOCH, K_MEAN_MOTION, K_ECCENTRICITY,
    K_INCLINATION, K_RA_OF_ASC_NODE, K_ARG_OF_PERICENTER, K_MEAN_ANOMALY,
    K_NORAD_CAT_ID, K_BSTAR, K_MEAN_MOTION_DOT, K_MEAN_MOTION_DDOT,
    K_REQUIRED, /* keys above are required, below optional */
    K_CLASSIFICATION_TYPE = K_REQUIRED, K_ELEMENT_SET_NO, K_REV_AT_EPOCH,
    K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY",
    "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY",
    "NORAD_CAT_ID", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
    "CLASSIFICATION_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"};

static int key_lookup(const char *s, size_t n)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strlen(key_names[k]) == n && memcmp(key_names[k], s, n) == 0)
            return k;
    return -1;
}

struct json_scan;

/* Where the value being set came from, for messages. */
typedef struct omm_pos {
    const char *file;
    long line;
    int column;
    long record; /* JSON record index (0-based), -1 for CSV */
    orb_error_t *err;
    const struct json_scan *scan; /* JSON: the record's start, to find keys */
} omm_pos_t;

static void json_find_key(const struct json_scan *at, const char *key,
                          long *line, int *column);

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int pos_error(const omm_pos_t *P, int code, int key, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = P->line;
    int column = P->column;
    if (P->scan && key >= 0) /* JSON keys are located only on error */
        json_find_key(P->scan, key_names[key], &line, &column);
    if (P->record >= 0)
        return orb_error_set(P->err, code, P->file, line, column,
                             key >= 0 ? key_names[key] : NULL,
                             "record %ld: %s", P->record + 1, msg);
    return orb_error_set(P->err, code, P->file, line, column,
                         key >= 0 ? key_names[key] : NULL, "%s", msg);
}

/* Trims blanks; n is updated. */
static const char *trim(const char *s, size_t *n)
{
    while (*n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        (*n)--;
    }
    while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
        (*n)--;
    return s;
}

/* Parses a decimal number written as text: only digits, sign, '.', and an
 * exponent are allowed, so "nan" and "inf" are syntax errors; overflow is a
 * range error. */
static int text_to_double(const omm_pos_t *P, int key, const char *s, size_t n,
                          double *out)
{
    char buf[64];
    s = trim(s, &n);
    int ok = n > 0 && n < sizeof buf;
    for (size_t i = 0; ok && i < n; i++)
        ok = strchr("0123456789+-.eE", s[i]) != NULL;
    if (ok) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        errno = 0;
        *out = strtod(buf, &end);
        ok = end == buf + n;
        if (ok && (!isfinite(*out) || errno == ERANGE) && fabs(*out) > 1.0)
            return pos_error(P, ORB_ERANGE, key, "number \"%s\" is too large",
                             buf);
    }
    if (!ok)
        return pos_error(P, ORB_ESYNTAX, key, "expected a finite number, found \"%.*s\"",
                         (int)(n < 40 ? n : 40), s);
    return ORB_OK;
}

/* Checks one numeric value against its key's range and stores it. */
static int set_number(const omm_pos_t *P, int key, double v, orb_elements_t *el)
{
    double lo = -INFINITY, hi = INFINITY;
    int hi_open = 0, lo_open = 0;
    switch (key) {
    case K_ECCENTRICITY: lo = 0, hi = 1, hi_open = 1; break;
    case K_INCLINATION: lo = 0, hi = 180; break;
    case K_RA_OF_ASC_NODE: case K_ARG_OF_PERICENTER: case K_MEAN_ANOMALY:
        lo = 0, hi = 360, hi_open = 1; break;
    case K_MEAN_MOTION: lo = 0, lo_open = 1; break;
    default: break;
    }
    if (!isfinite(v))
        return pos_error(P, ORB_ESYNTAX, key, "expected a finite number");
    if (v < lo || v > hi || (lo_open && v == lo) || (hi_open && v == hi))
        return pos_error(P, ORB_ERANGE, key, "%.10g is outside %c%g, %g%c", v,
                         lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
    switch (key) {
    case K_MEAN_MOTION: el->mean_motion_rev_day = v; break;
    case K_ECCENTRICITY: el->eccentricity = v; break;
    case K_INCLINATION: el->inclination_rad = v * DEG2RAD; break;
    case K_RA_OF_ASC_NODE: el->raan_rad = v * DEG2RAD; break;
    case K_ARG_OF_PERICENTER: el->arg_perigee_rad = v * DEG2RAD; break;
    case K_MEAN_ANOMALY: el->mean_anomaly_rad = v * DEG2RAD; break;
    case K_BSTAR: el->bstar_per_er = v; break;
    case K_MEAN_MOTION_DOT: el->ndot_rev_day2 = v; break;
    case K_MEAN_MOTION_DDOT: el->nddot_rev_day3 = v; break;
    default: break;
    }
    return ORB_OK;
}

/* Integer keys: catalogue number 1..999999, element set and revolution
 * numbers >= 0. */
static int set_integer(const omm_pos_t *P, int key, double v, orb_elements_t *el)
{
    double hi = key == K_NORAD_CAT_ID ? 999999 : 1e15;
    double lo = key == K_NORAD_CAT_ID ? 1 : 0;
    if (v != floor(v))
        return pos_error(P, ORB_ESYNTAX, key, "expected a whole number, found %.10g", v);
    if (v < lo || v > hi)
        return pos_error(P, ORB_ERANGE, key, "%.10g is outside [%g, %g]", v, lo, hi);
    long *dst = key == K_NORAD_CAT_ID ? &el->norad_id
              : key == K_ELEMENT_SET_NO ? &el->element_set_no : &el->rev_at_epoch;
    *dst = (long)v;
    return ORB_OK;
}

static int set_epoch(const omm_pos_t *P, const char *s, size_t n,
                     orb_elements_t *el)
{
    char buf[48];
    s = trim(s, &n);
    if (n == 0 || n >= sizeof buf)
        return pos_error(P, ORB_ESYNTAX, K_EPOCH,
                         "expected a UTC time like 2026-06-20T09:43:48.440064");
    memcpy(buf, s, n);
    buf[n] = '\0';
    int rc = orb_time_parse_iso(buf, &el->epoch);
    if (rc != ORB_OK)
        return pos_error(P, rc, K_EPOCH,
                         "expected a UTC time like 2026-06-20T09:43:48.440064, found \"%s\"",
                         buf);
    int y, mo, d, h, mi;
    double sec;
    orb_time_to_calendar(el->epoch, &y, &mo, &d, &h, &mi, &sec);
    orb_time_t jan1 = orb_time_from_calendar(y, 1, 1, 0, 0, 0.0);
    el->epoch_year = y;
    el->epoch_day = 1.0 + (el->epoch.jd - jan1.jd) + (el->epoch.fr - jan1.fr);
    return ORB_OK;
}

static int set_string(const omm_pos_t *P, int key, const char *s, size_t n,
                      orb_elements_t *el)
{
    s = trim(s, &n);
    char *dst = key == K_OBJECT_NAME ? el->name : el->intl_designator;
    size_t cap = key == K_OBJECT_NAME ? sizeof el->name : sizeof el->intl_designator;
    if (key == K_CLASSIFICATION_TYPE) {
        if (n != 1 || (s[0] != 'U' && s[0] != 'C' && s[0] != 'S'))
            return pos_error(P, ORB_ESYNTAX, key, "expected U, C or S, found \"%.*s\"",
                             (int)(n < 20 ? n : 20), s);
        el->classification = s[0];
        return ORB_OK;
    }
    if (n >= cap) { /* cut, but not inside a UTF-8 sequence */
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return ORB_OK;
}

static int is_string_key(int key)
{
    return key == K_OBJECT_NAME || key == K_OBJECT_ID ||
           key == K_CLASSIFICATION_TYPE;
}

static int is_integer_key(int key)
{
    return key == K_NORAD_CAT_ID || key == K_ELEMENT_SET_NO ||
           key == K_REV_AT_EPOCH;
}

/* Sets a key from its text (CSV cells and JSON strings). */
static int set_text(const omm_pos_t *P, int key, const char *s, size_t n,
                    orb_elements_t *el)
{
    if (is_string_key(key))
        return set_string(P, key, s, n, el);
    if (key == K_EPOCH)
        return set_epoch(P, s, n, el);
    double v = 0.0;
    int rc = text_to_double(P, key, s, n, &v);
    if (rc != ORB_OK)
        return rc;
    return is_integer_key(key) ? set_integer(P, key, v, el)
                               : set_number(P, key, v, el);
}

static void elements_init(orb_elements_t *el, long line)
{
    memset(el, 0, sizeof *el);
    el->classification = 'U';
    el->source_line = line;
}

/* ---- CSV ---- */

#define CSV_MAX_COLUMNS 64

typedef struct csv_cell {
    const char *s;
    size_t n;
    int column; /* 1-based character column of the cell */
} csv_cell_t;

/* Splits one line into cells (double-quoted cells may hold commas; "" is a
 * quote, kept as is).  Returns the number of cells, or -1 for more than
 * CSV_MAX_COLUMNS or an unterminated quote. */
static int csv_split(const char *s, size_t n, csv_cell_t *cells)
{
    int count = 0;
    size_t i = 0;
    for (;;) {
        if (count == CSV_MAX_COLUMNS)
            return -1;
        csv_cell_t *c = &cells[count++];
        c->column = (int)i + 1;
        if (i < n && s[i] == '"') {
            size_t j = i + 1;
            while (j < n && !(s[j] == '"' && (j + 1 >= n || s[j + 1] != '"')))
                j += s[j] == '"' ? 2 : 1;
            if (j >= n)
                return -1;
            c->s = s + i + 1;
            c->n = j - i - 1;
            i = j + 1;
        } else {
            const char *comma = memchr(s + i, ',', n - i);
            size_t end = comma ? (size_t)(comma - s) : n;
            c->s = s + i;
            c->n = end - i;
            i = end;
        }
        if (i >= n)
            return count;
        if (s[i] != ',')
            return -1;
        i++;
    }
}

typedef struct csv_reader {
    const char *buf;
    size_t len, pos;
    long lineno;
} csv_reader_t;

/* Next non-blank line (CR stripped); 0 at the end. */
static int csv_next_line(csv_reader_t *r, const char **s, size_t *n)
{
    while (r->pos < r->len) {
        const char *p = r->buf + r->pos;
        const char *nl = memchr(p, '\n', r->len - r->pos);
        size_t k = nl ? (size_t)(nl - p) : r->len - r->pos;
        r->pos += k + (nl != NULL);
        r->lineno++;
        size_t t = k;
        trim(p, &t);
        if (t == 0)
            continue;
        *s = p;
        *n = k > 0 && p[k - 1] == '\r' ? k - 1 : k;
        return 1;
    }
    return 0;
}

/* Maps header cells to keys; every required key must be present once. */
static int csv_header(const omm_pos_t *P, const char *s, size_t n, int *map,
                      int *ncols)
{
    csv_cell_t cells[CSV_MAX_COLUMNS];
    int seen[K_COUNT] = {0};
    int count = csv_split(s, n, cells);
    if (count < 0)
        return pos_error(P, ORB_ESYNTAX, -1,
                         "malformed CSV header (unterminated quote or more than %d columns)",
                         CSV_MAX_COLUMNS);
    for (int i = 0; i < count; i++) {
        size_t k = cells[i].n;
        const char *name = trim(cells[i].s, &k);
        map[i] = key_lookup(name, k);
        if (map[i] >= 0 && seen[map[i]]++) {
            omm_pos_t at = *P;
            at.column = cells[i].column;
            return pos_error(&at, ORB_ESYNTAX, map[i], "column appears twice in the header");
        }
    }
    for (int k = 0; k < K_REQUIRED; k++)
        if (!seen[k])
            return pos_error(P, ORB_ESYNTAX, k,
                             "required column %s is missing from the CSV header",
                             key_names[k]);
    *ncols = count;
    return ORB_OK;
}

static int csv_row(const omm_pos_t *P, const char *s, size_t n, const int *map,
                   int ncols, orb_elements_t *el)
{
    csv_cell_t cells[CSV_MAX_COLUMNS];
    int count = csv_split(s, n, cells);
    if (count != ncols)
        return pos_error(P, ORB_ESYNTAX, -1,
                         count < 0 ? "malformed CSV row (unterminated quote)"
                                   : "row has %d cells but the header has %d",
                         count, ncols);
    elements_init(el, P->line);
    for (int i = 0; i < count; i++) {
        if (map[i] < 0)
            continue;
        omm_pos_t at = *P;
        at.column = cells[i].column;
        int rc = set_text(&at, map[i], cells[i].s, cells[i].n, el);
        if (rc != ORB_OK)
            return rc;
    }
    return ORB_OK;
}

int orb_omm_parse_csv(const char *buf, size_t len, const char *filename,
                      orb_catalog_t *cat, orb_error_t *err)
{
    size_t start = cat->count;
    csv_reader_t r = {buf, len, 0, 0};
    omm_pos_t P = {filename, 0, 0, -1, err, NULL};
    int map[CSV_MAX_COLUMNS], ncols = 0, rc = ORB_OK;
    const char *s;
    size_t n;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    if (!csv_next_line(&r, &s, &n))
        return orb_error_set(err, ORB_EEMPTY, filename, 0, 0, NULL,
                             "no OMM records found (the input is empty)");
    P.line = r.lineno;
    if ((rc = csv_header(&P, s, n, map, &ncols)) != ORB_OK)
        return rc;
    while (rc == ORB_OK && csv_next_line(&r, &s, &n)) {
        orb_elements_t el;
        P.line = r.lineno;
        P.column = 1;
        rc = csv_row(&P, s, n, map, ncols, &el);
        if (rc == ORB_OK && orb_catalog_add(cat, &el) != ORB_OK)
            rc = orb_error_set(err, ORB_ENOMEM, filename, P.line, 0, NULL,
                               "out of memory after %zu records", cat->count - start);
    }
    if (rc == ORB_OK && cat->count == start)
        rc = orb_error_set(err, ORB_EEMPTY, filename, P.line, 0, NULL,
                           "the CSV header is not followed by any record");
    if (rc != ORB_OK)
        cat->count = start;
    return rc;
}

/* ---- JSON ---- */

/* A forward-only scan of the JSON text that finds where each record (an
 * element of the top-level array, or the top-level object) starts: jansson
 * keeps no positions.  Records are visited in order, so a whole load reads
 * the text once. */
typedef struct json_scan {
    const char *buf;
    size_t len, pos, line_start;
    long line, rec;
    int depth, in_str, in_array, expect;
} json_scan_t;

/* Moves s to the first character of record `index` (not below the last
 * one found).  Returns 0 when there is no such record. */
static int json_scan_to(json_scan_t *s, long index)
{
    for (; s->pos < s->len; s->pos++) {
        char c = s->buf[s->pos];
        if (c == '\n') {
            s->line++;
            s->line_start = s->pos + 1;
            continue;
        }
        if (s->in_str) {
            if (c == '\\')
                s->pos++;
            else if (c == '"')
                s->in_str = 0;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        int starts = s->expect || (s->depth == 0 && c == '{' && s->rec < 0);
        s->expect = 0;
        if (starts && ++s->rec == index)
            return 1; /* the next call handles this character normally */
        if (c == '"')
            s->in_str = 1;
        else if ((c == '{' || c == '[') && ++s->depth == 1 && c == '[')
            s->in_array = s->expect = 1;
        else if (c == '}' || c == ']')
            s->depth--;
        else if (c == ',' && s->depth == 1 && s->in_array)
            s->expect = 1;
    }
    return 0;
}

/* True when the string starting at buf[i] is "key" followed by a colon. */
static int key_at(const char *buf, size_t len, size_t i, const char *key,
                  size_t klen)
{
    if (i + klen + 2 > len || memcmp(buf + i + 1, key, klen) != 0 ||
        buf[i + 1 + klen] != '"')
        return 0;
    size_t j = i + klen + 2;
    while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\r' ||
                       buf[j] == '\n'))
        j++;
    return j < len && buf[j] == ':';
}

/* Line and column of key in the record that starts at *at (unchanged when
 * the record has no such key). */
static void json_find_key(const json_scan_t *at, const char *key, long *line,
                          int *column)
{
    json_scan_t s = *at;
    size_t klen = strlen(key);
    int depth = 0, in_str = 0;
    for (; s.pos < s.len; s.pos++) {
        char c = s.buf[s.pos];
        if (c == '\n') {
            s.line++;
            s.line_start = s.pos + 1;
        } else if (in_str) {
            if (c == '\\')
                s.pos++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            if (depth == 1 && key_at(s.buf, s.len, s.pos, key, klen)) {
                *line = s.line;
                *column = (int)(s.pos - s.line_start) + 1;
                return;
            }
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth <= 0) {
            return;
        }
    }
}

/* Set when an allocation for jansson fails: jansson does not always report
 * that as json_error_out_of_memory (a failed string buffer shows up as a
 * syntax error, or even as a document with characters missing), so the
 * parser asks this flag instead. */
static _Thread_local int json_alloc_failed;

static void *json_alloc(size_t n)
{
    void *p = orb__malloc(n);
    if (!p)
        json_alloc_failed = 1;
    return p;
}

/* Stores one value of a record: numbers may be JSON numbers or strings. */
static int json_value(const omm_pos_t *at, int k, json_t *v, orb_elements_t *el)
{
    if (!v)
        return pos_error(at, ORB_ESYNTAX, k, "required key %s is missing",
                         key_names[k]);
    if (json_is_string(v))
        return set_text(at, k, json_string_value(v), json_string_length(v), el);
    if (json_is_null(v) && k == K_OBJECT_NAME)
        return ORB_OK;
    if (json_is_number(v) && !is_string_key(k) && k != K_EPOCH)
        return is_integer_key(k) ? set_integer(at, k, json_number_value(v), el)
                                 : set_number(at, k, json_number_value(v), el);
    return pos_error(at, ORB_ESYNTAX, k, "expected a %s",
                     is_string_key(k) || k == K_EPOCH
                         ? "string" : "number or a string holding one");
}

static int json_record(const omm_pos_t *P, json_t *obj, orb_elements_t *el)
{
    if (!json_is_object(obj))
        return pos_error(P, ORB_ESYNTAX, -1, "expected an object with OMM keys");
    elements_init(el, P->line);
    for (int k = 0; k < K_COUNT; k++) {
        json_t *v = json_object_get(obj, key_names[k]);
        if (!v && k >= K_REQUIRED)
            continue;
        int rc = json_value(P, k, v, el);
        if (rc != ORB_OK)
            return rc;
    }
    return ORB_OK;
}

static int json_add_all(const char *buf, size_t len, const char *filename,
                        json_t *root, orb_catalog_t *cat, orb_error_t *err)
{
    json_scan_t scan = {buf, len, 0, 0, 1, -1, 0, 0, 0, 0};
    omm_pos_t P = {filename, 0, 0, 0, err, &scan};
    size_t n = json_is_array(root) ? json_array_size(root) : 1;
    if (!json_is_array(root) && !json_is_object(root))
        return orb_error_set(err, ORB_ESYNTAX, filename, 1, 1, NULL,
                             "expected an array of OMM objects or one object");
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_is_array(root) ? json_array_get(root, i) : root;
        orb_elements_t el;
        P.record = (long)i;
        P.line = 0;
        P.column = 0;
        if (json_scan_to(&scan, P.record)) {
            P.line = scan.line;
            P.column = (int)(scan.pos - scan.line_start) + 1;
        }
        int rc = json_record(&P, obj, &el);
        if (rc == ORB_OK && orb_catalog_add(cat, &el) != ORB_OK)
            rc = orb_error_set(err, ORB_ENOMEM, filename, el.source_line, 0, NULL,
                               "out of memory after %zu records", i);
        if (rc != ORB_OK)
            return rc;
    }
    if (n == 0)
        return orb_error_set(err, ORB_EEMPTY, filename, 1, 0, NULL,
                             "the JSON array holds no OMM records");
    return ORB_OK;
}

/* jansson builds the whole document in memory (about 50 bytes a number,
 * 250 an object), so a small file of many tiny values could take
 * gigabytes.  A real catalogue of 60,000 objects has about 1.1 million
 * values; these limits leave room and keep memory near 100 MB. */
#define JSON_MAX_OBJECTS 200000
#define JSON_MAX_VALUES 2000000

/* Counts objects and values (separators and openings outside strings) in
 * one pass; refuses the input before jansson sees it when either exceeds
 * its limit. */
static int json_size_check(const char *buf, size_t len, const char *filename,
                           orb_error_t *err)
{
    size_t objects = 0, values = 0, line_start = 0;
    long line = 1;
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\n') {
            line++;
            line_start = i + 1;
        }
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"')
            in_string = 1;
        else if (c == '{')
            objects++, values++;
        else if (c == ',' || c == '[')
            values++;
        if (objects > JSON_MAX_OBJECTS)
            return orb_error_set(err, ORB_ETOOBIG, filename, line,
                                 (int)(i - line_start + 1), NULL,
                                 "more than %d JSON objects: not an element-set "
                                 "file orbnet can hold", JSON_MAX_OBJECTS);
        if (values > JSON_MAX_VALUES)
            return orb_error_set(err, ORB_ETOOBIG, filename, line,
                                 (int)(i - line_start + 1), NULL,
                                 "more than %d JSON values: not an element-set "
                                 "file orbnet can hold", JSON_MAX_VALUES);
    }
    return ORB_OK;
}

int orb_omm_parse_json(const char *buf, size_t len, const char *filename,
                       orb_catalog_t *cat, orb_error_t *err)
{
    int size_rc = json_size_check(buf, len, filename, err);
    if (size_rc != ORB_OK)
        return size_rc;
    size_t start = cat->count;
    json_error_t jerr;
    /* route jansson's allocations through orbnet's allocator, so that
     * allocation-failure tests cover them too */
    json_set_alloc_funcs(json_alloc, orb__free);
    json_alloc_failed = 0;
    size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_t *root = json_loadb(buf + bom, len - bom, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_alloc_failed || json_error_code(&jerr) == json_error_out_of_memory)
            return orb_error_set(err, ORB_ENOMEM, filename, 0, 0, NULL,
                                 "out of memory parsing JSON");
        int empty = json_error_code(&jerr) == json_error_premature_end_of_input &&
                    jerr.position <= 1;
        for (size_t i = 0; empty && i < len; i++)
            empty = buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t';
        if (empty)
            return orb_error_set(err, ORB_EEMPTY, filename, 0, 0, NULL,
                                 "no OMM records found (the input is empty)");
        return orb_error_set(err, ORB_ESYNTAX, filename, jerr.line, jerr.column,
                             NULL, "malformed JSON: %s", jerr.text);
    }
    if (json_alloc_failed) {
        /* jansson may drop characters when a buffer cannot grow and still
         * return a document: never trust one built under a failure */
        json_decref(root);
        return orb_error_set(err, ORB_ENOMEM, filename, 0, 0, NULL,
                             "out of memory parsing JSON");
    }
    int rc = json_add_all(buf, len, filename, root, cat, err);
    json_decref(root);
    if (rc != ORB_OK)
        cat->count = start;
    return rc;
}

int orb_omm_load(const char *path, orb_catalog_t *cat, orb_error_t *err)
{
    char *buf;
    size_t len;
    int rc = orb_file_read(path, &buf, &len, err);
    if (rc != ORB_OK)
        return rc;
    size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                       buf[i] == '\n'))
        i++;
    if (i < len && (buf[i] == '[' || buf[i] == '{'))
        rc = orb_omm_parse_json(buf, len, path, cat, err);
    else
        rc = orb_omm_parse_csv(buf, len, path, cat, err);
    orb_buffer_free(buf);
    return rc;
}
