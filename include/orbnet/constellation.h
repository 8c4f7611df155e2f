/* constellation.h: the satellites of a scenario (element-set files after
 * selection, then Walker shells) with an identity for each: shell, plane
 * and slot, given for Walker shells and inferred for real element sets. */
#ifndef ORBNET_CONSTELLATION_H
#define ORBNET_CONSTELLATION_H

#include <stddef.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/scenario.h"
#include "orbnet/timeutil.h"

#define ORB_SHELL_UNASSIGNED (-1)

/* One shell: a Walker shell from the scenario, or one inferred from
 * element sets (satellites of similar inclination and mean altitude). */
typedef struct orb_shell_info {
    char name[64];          /* Walker: the section name; inferred: mean
                               inclination and altitude, "53.16deg-540km" */
    int is_walker;
    size_t count;           /* satellites in the shell */
    double altitude_km;     /* Walker: as requested; inferred: mean over the
                               members of a(Kozai n) - 6378.137 km (the
                               census definition) */
    double inclination_rad; /* Walker: as given; inferred: mean of members */
    int planes;             /* Walker: P; inferred: planes found */
    int sats_per_plane;     /* Walker: S; inferred: the largest plane's size */
    int phasing;            /* Walker: F; inferred: 0 */
} orb_shell_info_t;

/* The constellation.  Satellite i is cat->sats[i] everywhere in orbnet
 * (links, routes, outputs); the identity arrays have cat->count entries.
 * Within a shell, planes are numbered 0.. in increasing RAAN (at the
 * reference time; for inferred shells plane 0 is the first after the widest
 * RAAN gap) and slots 0.. in increasing argument of latitude from the
 * ascending node.  Shells are ordered by inclination, then altitude
 * (inferred ones first, then the Walker shells in scenario order).  Unassigned satellites (orbit raising, deorbiting,
 * shells below min_shell_size) have shell, plane and slot -1; they stay in
 * the network (ground links, nearest:K and file ISLs) but have no +Grid
 * links.  Everything is owned by the constellation. */
typedef struct orb_constellation {
    orb_catalog_t *cat;
    int *shell;             /* index into shells[], or ORB_SHELL_UNASSIGNED */
    int *plane;             /* plane within the shell, -1 when unassigned */
    int *slot;              /* slot within the plane, -1 when unassigned */
    double *raan_ref_rad;   /* RAAN at `reference`, J2 secular drift applied */
    double *u_ref_rad;      /* argument of latitude at `reference`, ditto */
    orb_time_t reference;   /* common instant of the two arrays above: the
                               scenario start (or the latest epoch when built
                               from a bare catalogue) */
    orb_shell_info_t *shells;
    size_t shell_count;
    size_t unassigned_count;
    /* members of each plane ordered by slot: for shell k and plane p the
       satellites are members[plane_start[shell_plane0[k] + p] ..
       plane_start[shell_plane0[k] + p + 1]) */
    size_t *members;        /* satellite indices, cat->count - unassigned */
    size_t *plane_start;    /* total planes + 1 entries */
    size_t *shell_plane0;   /* shell_count entries: first global plane id */
} orb_constellation_t;

/* Settings of the identity inference (defaults from
 * orb_infer_params_default).  Altitude means a(Kozai n) - 6378.137 km.
 * Satellites are grouped by inclination (bins of incl_bin_rad centred on
 * multiples of it, as the census does).  Within a group, and then within
 * each inclination peak, values are histogrammed (inclination in bins of
 * incl_peak_bin_rad, altitude in bins of alt_bin_km); every bin holding at
 * least peak_min satellites that lies more than the window from a stronger
 * peak seeds a cluster, which takes the satellites within the window
 * (incl_window_rad, alt_window_km) of it, the nearest peak when two could.
 * The rest (orbit raising, deorbiting) are unassigned, as are clusters with
 * fewer than min_shell_size satellites.  Planes split where sorted RAANs
 * (at the reference time) leave a gap wider than raan_gap_rad. */
typedef struct orb_infer_params {
    double incl_bin_rad;      /* default 0.5 deg */
    double incl_peak_bin_rad; /* default 0.02 deg */
    double incl_window_rad;   /* default 0.05 deg */
    double alt_bin_km;        /* default 2 km */
    double alt_window_km;     /* default 4 km */
    int peak_min;             /* default 30 */
    double raan_gap_rad;      /* default 1.5 deg */
    int min_shell_size;       /* default 30 */
} orb_infer_params_t;

orb_infer_params_t orb_infer_params_default(void);

/* Builds the constellation of a scenario: loads every element-set file
 * (orb_catalog_load), keeps the satellites matching the selection (name
 * glob, inclination and altitude bands), infers their identity at
 * sc->start, then appends each [shell] (orb_walker_generate) with its
 * exact identity.  Duplicate catalogue numbers across files are
 * ORB_ESYNTAX naming the second file and line.  ORB_EEMPTY (naming the
 * INI) when no satellite is left.  *out is NULL on failure; file errors
 * keep the element file's name and line in *err. */
int orb_constellation_build(const orb_scenario_t *sc, orb_constellation_t **out,
                            orb_error_t *err);

/* Wraps an existing catalogue (ownership passes to the constellation, also
 * on failure) and infers identities for all of its satellites at instant
 * ref with params p (NULL = defaults).  For tests and tools.  Returns
 * ORB_OK or ORB_ENOMEM. */
int orb_constellation_from_catalog(orb_catalog_t *cat, orb_time_t ref,
                                   const orb_infer_params_t *p,
                                   orb_constellation_t **out);

/* Frees c, its catalogue and arrays.  NULL is a no-op. */
void orb_constellation_destroy(orb_constellation_t *c);

/* Number of satellites (c->cat->count). */
size_t orb_constellation_count(const orb_constellation_t *c);

/* The satellites of plane `plane` of shell `shell`, ordered by slot:
 * returns their number and sets *sats to the first (pointer into c, valid
 * until destroy).  0 and *sats = NULL when the shell or plane is out of
 * range. */
size_t orb_constellation_plane(const orb_constellation_t *c, int shell,
                               int plane, const size_t **sats);

/* The +Grid neighbour of satellite i: dplane = 0 gives the satellite
 * dslot places further along its own plane (wrapping); dplane = +1 / -1 the
 * satellite in the next / previous plane of its shell (planes wrap), at
 * the same slot number for Walker shells (Hypatia's convention) and for
 * inferred shells at the nearest argument of latitude at the reference
 * time, then moved dslot places.  Returns the satellite index, or -1 when
 * i is unassigned, the shell has one plane (dplane != 0), or the target is
 * i itself. */
long orb_constellation_neighbor(const orb_constellation_t *c, size_t i,
                                int dplane, int dslot);

/* Writes a table of the shells (name, satellites, altitude km, inclination
 * deg, planes, sats/plane) and the unassigned count into buf of size n,
 * always NUL-terminated (truncated if too small).  Returns the length the
 * full text needs, like snprintf. */
size_t orb_constellation_report(const orb_constellation_t *c, char *buf, size_t n);

/* Satellites taken out by the scenario's [faults]: dead[i] = 1 for every
 * catalogue number in dead_sats (ORB_ENOTFOUND naming the INI line when a
 * number is not in the constellation), and for dead_fraction > 0 each other
 * satellite whose hash u = (splitmix64(norad_id ^ seed) >> 11) / 2^53 is below
 * dead_fraction (u uses the top 53 bits; independent of order and thread
 * count); else 0.  dead has
 * orb_constellation_count(c) entries. */
int orb_constellation_fault_mask(const orb_constellation_t *c,
                                 const orb_scenario_t *sc, unsigned char *dead,
                                 orb_error_t *err);

#endif
