/* omm.h: CCSDS Orbit Mean-elements Messages in CelesTrak's CSV and JSON
 * forms (six-digit catalogue numbers included). */
#ifndef ORBNET_OMM_H
#define ORBNET_OMM_H

#include <stddef.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"

/* Parses OMM CSV: a header row naming the columns (any order; OBJECT_NAME,
 * OBJECT_ID, EPOCH, MEAN_MOTION, ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE,
 * ARG_OF_PERICENTER, MEAN_ANOMALY, NORAD_CAT_ID, BSTAR, MEAN_MOTION_DOT,
 * MEAN_MOTION_DDOT required; CLASSIFICATION_TYPE, ELEMENT_SET_NO,
 * REV_AT_EPOCH optional; unknown columns ignored), then one row per
 * satellite.  Cells may be double-quoted.  EPOCH is ISO 8601 UTC with or
 * without "Z".  Values are range-checked as for TLEs (eccentricity in
 * [0, 1), NORAD_CAT_ID 1..999999, ...); NaN and infinities are rejected.
 * Appends to cat; on error cat is unchanged and *err names line and column. */
int orb_omm_parse_csv(const char *buf, size_t len, const char *filename,
                      orb_catalog_t *cat, orb_error_t *err);

/* Parses OMM JSON: an array of objects (or one object) with the keys above.
 * Numbers may be JSON numbers or strings.  On error *err names the record
 * (line of the record in the file) and the key. */
int orb_omm_parse_json(const char *buf, size_t len, const char *filename,
                       orb_catalog_t *cat, orb_error_t *err);

/* Loads an OMM file, CSV or JSON by its first non-blank character. */
int orb_omm_load(const char *path, orb_catalog_t *cat, orb_error_t *err);

#endif
