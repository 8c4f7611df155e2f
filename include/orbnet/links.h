/* links.h: the link set of one time step: ground-satellite candidate links
 * found through a latitude/longitude bin index of the satellites, and laser
 * inter-satellite links (+Grid, nearest-K, explicit pairs) with range,
 * laser-count and Earth-clearance limits.  Everything runs on plain arrays
 * (satellite positions Earth-fixed, structure of arrays). */
#ifndef ORBNET_LINKS_H
#define ORBNET_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/scenario.h"

/* Satellite positions of one step, Earth-fixed km.  alive (may be NULL: all
 * alive) marks satellites that propagated and have not failed; dead ones
 * take part in no link. */
typedef struct orb_sat_pos {
    size_t count;
    const double *x_km, *y_km, *z_km;
    const unsigned char *alive;
} orb_sat_pos_t;

/* ---- ground-satellite links ---- */

typedef struct orb_gsl_params {
    double min_elevation_rad; /* mask; default 25 degrees */
    double max_range_km;      /* slant-range limit, 0 = none */
} orb_gsl_params_t;

/* One candidate link from a site to a satellite it sees. */
typedef struct orb_gsl {
    int32_t sat;          /* satellite index */
    float sin_elevation;  /* sine of the elevation, for choosing (monotonic,
                             no asin needed); exact geometry is in range_km */
    double range_km;      /* slant range */
} orb_gsl_t;

/* The candidate links of every site at one step, site by site (CSR):
 * links[offset[i] .. offset[i+1]) belong to site i, in an order that
 * depends only on the positions (cell by cell; the brute-force finder
 * gives satellite order).  Owned by the set; reused from step to step. */
typedef struct orb_gsl_set {
    size_t site_count;
    size_t *offset;  /* site_count + 1 entries */
    orb_gsl_t *links;
    size_t capacity; /* allocated entries in links */
} orb_gsl_set_t;

/* An index of satellite positions by sub-satellite latitude/longitude cell,
 * rebuilt each step in O(satellites) without allocating. */
typedef struct orb_sat_index orb_sat_index_t;

/* Allocates an index for up to max_sats satellites.  NULL when out of
 * memory. */
orb_sat_index_t *orb_sat_index_create(size_t max_sats);
void orb_sat_index_destroy(orb_sat_index_t *ix);

/* Bins the live satellites of pos (pos->count <= max_sats).  Returns ORB_OK
 * or ORB_EINVAL when pos holds more satellites than the index was made for. */
int orb_sat_index_build(orb_sat_index_t *ix, const orb_sat_pos_t *pos);

/* Allocates an empty set for site_count sites; NULL when out of memory. */
orb_gsl_set_t *orb_gsl_set_create(size_t site_count);
void orb_gsl_set_destroy(orb_gsl_set_t *set);

/* Finds, for each of the site_count sites, every live satellite at or above
 * the elevation mask (geodetic horizon of the site) and within the range
 * limit, using ix (built from the same pos).  The set grows when needed
 * (rarely after the first steps).  Returns ORB_OK or ORB_ENOMEM. */
int orb_gsl_find(const orb_sat_index_t *ix, const orb_sat_pos_t *pos,
                 const orb_topo_t *sites, size_t site_count,
                 const orb_gsl_params_t *p, orb_gsl_set_t *out);

/* The same by testing every satellite against every site: slow, kept as a
 * reference for tests. */
int orb_gsl_find_brute(const orb_sat_pos_t *pos, const orb_topo_t *sites,
                       size_t site_count, const orb_gsl_params_t *p,
                       orb_gsl_set_t *out);

/* ---- inter-satellite (laser) links ---- */

/* orb_isl_kind_t (none, plus-grid, nearest, file) is in scenario.h. */

#define ORB_ISL_DEFAULT_GRAZING_KM 80.0

typedef struct orb_isl_params {
    orb_isl_kind_t kind;
    int k;                  /* for ORB_ISL_NEAREST */
    double max_range_km;    /* 0 = unlimited */
    int lasers_per_sat;     /* 0 = unlimited */
    double grazing_km;      /* the line of sight must clear Earth by this */
} orb_isl_params_t;

/* A list of satellite pairs (a < b not required).  For ISLs per step
 * length_km holds each link's length; for candidate lists it may be unused. */
typedef struct orb_isl_set {
    size_t count, capacity;
    int32_t *a, *b;
    double *length_km;
} orb_isl_set_t;

orb_isl_set_t *orb_isl_set_create(void);
void orb_isl_set_destroy(orb_isl_set_t *s);
/* Appends one pair (length 0).  Returns ORB_OK or ORB_ENOMEM. */
int orb_isl_set_add(orb_isl_set_t *s, int32_t a, int32_t b, double length_km);

/* +Grid candidate pairs, built once: for each satellite, the next one in its
 * plane (slot order, ring) and the "same-slot" one in the next plane of its
 * shell (planes in index order, ring).  With arglat_rad == NULL the same
 * slot number is used (Walker shells, as Hypatia does); otherwise the
 * satellite of the next plane whose argument of latitude (at a common
 * reference time) is nearest: shells inferred from real element sets, where
 * slot numbers do not line up.  A NaN arglat_rad[i] means "match satellite i
 * by slot" (Walker shells mixed with inferred ones).
 * Satellites with shell < 0 are left out.  Each satellite appears in at
 * most lasers_per_sat pairs (0 = unlimited), pairs taken in build order.
 * Returns ORB_OK or ORB_ENOMEM. */
int orb_isl_plus_grid(size_t n, const int *shell, const int *plane,
                      const int *slot, const double *arglat_rad,
                      int lasers_per_sat, orb_isl_set_t *out);

/* Reads an ISL file (one pair of catalogue numbers per line, separated by
 * white space or a comma; '#' starts a comment) and maps the numbers to
 * satellite indices through norad[0..n).  Unknown numbers, a satellite
 * linked to itself, or malformed lines fail with ORB_ENOTFOUND /
 * ORB_ESYNTAX and the file and line in *err. */
int orb_isl_load_file(const char *path, const long *norad, size_t n,
                      orb_isl_set_t *out, orb_error_t *err);

/* True when the segment between two points clears a sphere of radius
 * ORB_WGS84_A_KM + grazing_km (a conservative Earth). */
int orb_isl_clear_of_earth(const double a_km[3], const double b_km[3],
                           double grazing_km);

/* The ISLs of one step from fixed candidates: keeps the pairs whose both
 * ends are alive, within range and clear of Earth, with their lengths, in
 * candidate order.  Returns ORB_OK or ORB_ENOMEM. */
int orb_isl_filter(const orb_isl_set_t *cand, const orb_sat_pos_t *pos,
                   const orb_isl_params_t *p, orb_isl_set_t *out);

/* Workspace for nearest-K ISLs (a 3-D cell grid); reused across steps. */
typedef struct orb_isl_nearest_ws orb_isl_nearest_ws_t;
orb_isl_nearest_ws_t *orb_isl_nearest_ws_create(size_t max_sats);
void orb_isl_nearest_ws_destroy(orb_isl_nearest_ws_t *ws);

/* Nearest-K ISLs of one step: each live satellite proposes its k nearest
 * neighbours within max_range_km (required > 0) with a clear line of sight;
 * the proposals are taken shortest first while both ends have a free laser
 * (lasers_per_sat, or k when 0).  Deterministic.  Returns ORB_OK,
 * ORB_EINVAL (no range or k < 1) or ORB_ENOMEM. */
int orb_isl_nearest(orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos,
                    const orb_isl_params_t *p, orb_isl_set_t *out);

#endif
