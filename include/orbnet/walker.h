/* walker.h: Walker-delta (and star) shells turned into SGP4 element sets,
 * with the mean motion chosen so that the satellites really fly at the
 * requested altitude under SGP4. */
#ifndef ORBNET_WALKER_H
#define ORBNET_WALKER_H

#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/timeutil.h"

/* One Walker shell i:T/P/F.  Satellite (plane p, slot s), p in [0, planes),
 * s in [0, sats_per_plane), has
 *   RAAN               = raan0_rad + p * raan_spread_rad / planes
 *   argument of lat. u = 2 pi s / S + 2 pi F p / (P S)
 * on a circular orbit (eccentricity 0, argument of perigee 0, mean anomaly
 * u), no drag.  raan_spread_rad is 2 pi for a Walker delta, pi for a star. */
typedef struct orb_walker_shell {
    char name[64];           /* shell name ("[shell NAME]"); satellites are
                                named "NAME-p-s" (0-based plane and slot;
                                NAME cut to 36 characters there) */
    double altitude_km;      /* wanted mean altitude: the orbit mean of
                                |r_TEME| - 6378.137 km under SGP4 (WGS-72) */
    double inclination_rad;  /* (0, pi) */
    int planes;              /* P >= 1 */
    int sats_per_plane;      /* S >= 1 */
    int phasing;             /* F in [0, P) */
    double raan_spread_rad;  /* (0, 2 pi]; 2 pi delta, pi star */
    double raan0_rad;        /* RAAN of plane 0 */
    orb_time_t epoch;        /* element epoch (UTC) */
    long first_norad_id;     /* catalogue number of (0, 0); then plane-major:
                                id = first + p * S + s.  1..999999 */
} orb_walker_shell_t;

/* Checks every field's range (planes, sats_per_plane >= 1, 0 <= F < P,
 * altitude in [150, 40000] km, inclination in (0, 180) deg, spread in
 * (0, 360] deg, ids within 1..999999).  Returns ORB_OK or ORB_ERANGE with
 * *err naming the field (file/line left empty for the caller to fill). */
int orb_walker_check(const orb_walker_shell_t *shell, orb_error_t *err);

/* The Kozai mean motion (rev/day) that makes a circular orbit at this
 * inclination fly at mean altitude altitude_km under SGP4 (WGS-72): starts
 * from Kepler's law and corrects the semi-major axis by the measured
 * altitude error (one orbit sampled at 720 points) until it is below 1 m.
 * The orbit is flown from 2000-01-01: without drag the near-Earth result
 * does not depend on the epoch (above about 5,900 km SGP4 switches to its
 * deep-space branch, whose lunar-solar terms do, slightly).
 * Returns ORB_OK, ORB_ERANGE (altitude outside [150, 40000] km or
 * inclination outside (0, pi)), or the SGP4 status if SGP4 refuses. */
int orb_walker_mean_motion(double altitude_km, double inclination_rad,
                           double *n_rev_day);

/* The orbit-mean altitude (|r| - 6378.137 km, sampled at 720 points over
 * one period from the epoch) of an element set under SGP4 (WGS-72).
 * Used to derive and to check Walker shells.  Returns ORB_OK or the SGP4
 * status. */
int orb_walker_mean_altitude(const orb_elements_t *el, double *alt_km);

/* Appends the planes * sats_per_plane element sets of shell to cat, plane
 * by plane, slot by slot (so the satellite (p, s) is at index
 * cat->count_before + p * S + s).  Returns ORB_OK, ORB_ERANGE (bad shell,
 * *err names the field), ORB_ENOMEM (cat unchanged), or an SGP4 status. */
int orb_walker_generate(const orb_walker_shell_t *shell, orb_catalog_t *cat,
                        orb_error_t *err);

#endif
