/* elements.h: mean orbital elements of one satellite (from a TLE, an OMM
 * record or a Walker shell) and catalogues of them, with a loader that
 * recognises the file format by its content. */
#ifndef ORBNET_ELEMENTS_H
#define ORBNET_ELEMENTS_H

#include <stddef.h>

#include "orbnet/err.h"
#include "orbnet/timeutil.h"

/* Largest input file any loader accepts.  A full public catalogue in 3LE is
 * about 5 MB and in OMM JSON about 10 MB; bigger files are refused at once
 * with ORB_ETOOBIG rather than read into memory. */
#define ORB_MAX_INPUT_BYTES (64L * 1024 * 1024)

/* SGP4 mean elements (Kozai mean motion, TEME of epoch), angles in radians. */
typedef struct orb_elements {
    long norad_id;              /* 1..999999; Alpha-5 "A0534" is 100534 */
    char name[64];              /* name line / OBJECT_NAME, trimmed; may be "" */
    char intl_designator[16];   /* "19074B" (TLE) or "2019-074B" (OMM) */
    char classification;        /* 'U', 'C', 'S' */
    orb_time_t epoch;           /* UTC */
    int epoch_year;             /* four-digit year of the epoch */
    double epoch_day;           /* fractional day of year, 1.0 = Jan 1 00:00 */
    double ndot_rev_day2;       /* first derivative of mean motion / 2 */
    double nddot_rev_day3;      /* second derivative of mean motion / 6 */
    double bstar_per_er;        /* B* drag term, 1/earth radii */
    double inclination_rad;     /* [0, pi] */
    double raan_rad;            /* right ascension of ascending node [0, 2pi) */
    double eccentricity;        /* [0, 1) */
    double arg_perigee_rad;     /* [0, 2pi) */
    double mean_anomaly_rad;    /* [0, 2pi) */
    double mean_motion_rev_day; /* > 0, Kozai mean motion */
    long element_set_no;
    long rev_at_epoch;
    long source_line;           /* line in the source file where the record starts */
} orb_elements_t;

/* A growable array of element sets.  The catalogue owns its array. */
typedef struct orb_catalog {
    orb_elements_t *sats;
    size_t count;
    size_t capacity;
} orb_catalog_t;

/* Allocates an empty catalogue; NULL when out of memory. */
orb_catalog_t *orb_catalog_create(void);

/* Frees the catalogue and its array.  NULL is a no-op. */
void orb_catalog_destroy(orb_catalog_t *cat);

/* Appends a copy of *el.  Returns ORB_OK or ORB_ENOMEM (catalogue unchanged). */
int orb_catalog_add(orb_catalog_t *cat, const orb_elements_t *el);

/* Index of the first satellite with this catalogue number, or -1. */
long orb_catalog_find(const orb_catalog_t *cat, long norad_id);

/* Reads a whole file into a NUL-terminated heap buffer (freed with
 * orb_buffer_free), refusing files over ORB_MAX_INPUT_BYTES (ORB_ETOOBIG),
 * unreadable files (ORB_EIO) and files containing NUL bytes (ORB_ESYNTAX,
 * "binary file").  Errors name the file in *err. */
int orb_file_read(const char *path, char **data, size_t *len, orb_error_t *err);
void orb_buffer_free(char *data);

/* Loads an element-set file of any supported kind into cat, appending:
 * TLE/3LE text, OMM CSV (header starting OBJECT_NAME or containing
 * NORAD_CAT_ID) or OMM JSON (starts with '[' or '{').  On failure returns a
 * negative status, fills *err with file, line and field, and leaves cat with
 * the records it had before the call. */
int orb_catalog_load(const char *path, orb_catalog_t *cat, orb_error_t *err);

#endif
