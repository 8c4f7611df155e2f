/* passes.h: when a satellite is above a ground site's elevation mask: rise
 * (AOS), culmination (TCA) and set (LOS) times found by root-finding on
 * SGP4 positions. */
#ifndef ORBNET_PASSES_H
#define ORBNET_PASSES_H

#include <stddef.h>

#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"

/* Coarse sampling step of the search (s).  Every local maximum of
 * elevation is caught from a sign change of the elevation rate between
 * two samples, so even a pass lasting one second is found; what the step
 * must stay below is the time between consecutive extrema of elevation
 * (a maximum and the next minimum), about half an orbit for LEO. */
#define ORB_PASSES_STEP_S 60.0

/* Root-finding tolerance on AOS, TCA and LOS (s).  TCA, the zero of the
 * elevation rate from SGP4's velocity, is within ~2 ms of the maximum of
 * elevation from SGP4's positions. */
#define ORB_PASSES_TOL_S 1e-3

/* Longest search window accepted (s): 31 days. */
#define ORB_PASSES_MAX_DURATION_S (31.0 * 86400.0)

/* One pass over the site.  Times are UTC. */
typedef struct orb_pass {
    orb_time_t aos;            /* elevation rises through the mask */
    orb_time_t tca;            /* highest elevation within [aos, los] */
    orb_time_t los;            /* elevation falls through the mask */
    double max_elevation_rad;  /* elevation at tca */
    double tca_range_km;       /* distance at tca */
    double aos_azimuth_rad;    /* azimuths at aos, tca, los, [0, 2 pi) */
    double tca_azimuth_rad;
    double los_azimuth_rad;
    int aos_clipped;           /* 1: already above the mask at the window start; aos = start */
    int los_clipped;           /* 1: still above the mask at the window end; los = end */
} orb_pass_t;

/* Finds every pass of sat over site in the window [start, start +
 * duration_s] with elevation above min_elevation_rad (geometric, no
 * refraction), in time order.
 *
 * Method: elevation and its rate (from the SGP4 velocity) are sampled every
 * ORB_PASSES_STEP_S; each sign change of the rate is refined by Brent's
 * method to an extremum, and between consecutive extrema (where elevation
 * is monotonic) a crossing of the mask is refined by Brent's method to
 * ORB_PASSES_TOL_S.  A pass with several maxima (rare, high orbits) reports
 * the highest as its TCA.  A pass in progress at the start of the window
 * gets aos = start and aos_clipped = 1, one in progress at the end gets
 * los = end and los_clipped = 1; its TCA is the highest point inside the
 * window (possibly an end of it).
 *
 * UT1 = UTC + dut1_s turns the Earth (0 when unknown: |UT1-UTC| < 0.9 s
 * moves the ground track by under 0.5 km, AOS/LOS by up to ~0.5 s and the
 * maximum elevation by up to ~0.03 deg).
 *
 * On success returns ORB_OK with *passes a heap array of *count passes,
 * freed with orb_passes_free (*passes is NULL when *count is 0).  Returns
 * ORB_EINVAL for a NULL argument, a duration that is not in (0,
 * ORB_PASSES_MAX_DURATION_S], a mask outside [-pi/2, pi/2] or a dut1_s
 * outside [-1, 1]; ORB_ENOMEM;
 * or the orb_sgp4_status of SGP4 failing at some instant of the window
 * (decayed satellite...), with *err (may be NULL) naming the instant.  On
 * failure *passes is NULL and *count 0. */
int orb_passes_find(const orb_sgp4_t *sat, const orb_topo_t *site, orb_time_t start,
                    double duration_s, double min_elevation_rad, double dut1_s,
                    orb_pass_t **passes, size_t *count, orb_error_t *err);

/* Frees an array returned by orb_passes_find.  NULL is a no-op. */
void orb_passes_free(orb_pass_t *passes);

#endif
