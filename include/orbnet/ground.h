/* ground.h: the ground segment: user terminals, gateways and points of
 * presence (PoPs) read from CSV files, with Earth-fixed positions ready for
 * look angles, and the terrestrial fibre leg between a gateway and a PoP. */
#ifndef ORBNET_GROUND_H
#define ORBNET_GROUND_H

#include <stddef.h>

#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/scenario.h"

/* Mean Earth radius used for great-circle distances (IUGG R1). */
#define ORB_EARTH_MEAN_RADIUS_KM 6371.0088
/* Speed of light in fibre: 2/3 c. */
#define ORB_FIBER_KM_S (ORB_C_KM_S * 2.0 / 3.0)

/* Sites as structure-of-arrays; index i is the same site in every array.
 * The structure owns all arrays and strings. */
typedef struct orb_ground {
    size_t count, capacity;
    char **name;              /* unique, as in the file (trimmed) */
    double *lat_rad, *lon_rad;/* WGS-84 geodetic; lon in [-pi, pi] */
    double *alt_km;           /* height above the ellipsoid (alt_m / 1000; default 0) */
    orb_topo_t *topo;         /* Earth-fixed position and local frame (frames.h) */
    orb_site_role_t *role;    /* TERMINAL, GATEWAY or POP */
    int *antennas;            /* gateway: simultaneous satellite links (the
                                 row's antennas column, else the scenario's
                                 gateway_antennas); terminal 1; PoP 0 */
    long *pop;                /* terminal: index of its PoP site, or -1 for
                                 "the lowest-latency PoP"; others -1 */
    char **pop_name;          /* terminal: the pop column as written (NULL
                                 when empty), resolved into pop[] by
                                 orb_ground_resolve */
    char **source_file;       /* file and line each site came from */
    long *source_line;

    /* filled by orb_ground_resolve: site indices per role, ascending */
    size_t *terminals, terminal_count;
    size_t *gateways, gateway_count;
    size_t *pops, pop_count;
    /* private: hash index of names for orb_ground_find (open addressing,
       slots hold site index + 1; name_indexed sites are in it) */
    size_t *name_slots, name_slot_cap, name_indexed;
} orb_ground_t;

/* An empty ground segment; NULL when out of memory. */
orb_ground_t *orb_ground_create(void);
/* Frees g and everything in it.  NULL is a no-op. */
void orb_ground_destroy(orb_ground_t *g);

/* Appends one site (angles in radians).  name is copied; pop_name may be
 * NULL; file/line only label the site for later messages (file may be
 * NULL).  Returns ORB_OK, ORB_ERANGE (lat outside [-pi/2, pi/2], lon outside
 * [-pi, pi], NaN, antennas < 0), ORB_ESYNTAX (a name already used: *err
 * names both places) or ORB_ENOMEM. */
int orb_ground_add(orb_ground_t *g, const char *name, double lat_rad,
                   double lon_rad, double alt_km, orb_site_role_t role,
                   int antennas, const char *pop_name, const char *file,
                   long line, orb_error_t *err);

/* Reads a CSV file of sites and appends them.  The header row names the
 * columns, in any order, case-insensitive: name, lat, lon (degrees) are
 * required; alt_m (metres), antennas, pop are optional; role (or its synonym
 * kind: terminal | gateway | pop) is required when default_role is
 * ORB_SITE_FROM_FILE and otherwise overrides it when present and non-empty.
 * Other columns are ignored.  Fields may be double-quoted ("a, b", "" for a
 * quote).  Empty optional fields take defaults (alt 0, antennas
 * default_antennas for gateways).  Blank lines are skipped.  On error
 * returns ORB_EIO, ORB_ESYNTAX, ORB_ERANGE or ORB_ENOMEM with *err naming
 * file, line and field; g is then left with the sites it had before. */
int orb_ground_load_csv(orb_ground_t *g, const char *path,
                        orb_site_role_t default_role, int default_antennas,
                        orb_error_t *err);

/* Resolves every terminal's pop_name into pop[] (ORB_ENOTFOUND naming the
 * terminal's file and line when no PoP site has that name;
 * default_pop "" means lowest latency, otherwise the PoP for terminals
 * without one) and builds the per-role index lists.  Call after the last
 * add/load; calling again is allowed. */
int orb_ground_resolve(orb_ground_t *g, const char *default_pop, orb_error_t *err);

/* Loads every [ground] file of the scenario (role from the key the file was
 * named by) and resolves PoPs with sc->pop.  ORB_EEMPTY (naming the INI)
 * when the scenario has no terminal.  *out is NULL on failure. */
int orb_ground_build(const orb_scenario_t *sc, orb_ground_t **out, orb_error_t *err);

/* Index of the site with this exact name, or -1. */
long orb_ground_find(const orb_ground_t *g, const char *name);

/* Great-circle distance (km) on the sphere of radius
 * ORB_EARTH_MEAN_RADIUS_KM (haversine; exact for antipodes too). */
double orb_great_circle_km(double lat1_rad, double lon1_rad, double lat2_rad,
                           double lon2_rad);

/* One-way delay (ms) of the terrestrial fibre between sites a and b:
 * great-circle distance * fiber_factor / ORB_FIBER_KM_S. */
double orb_ground_fiber_ms(const orb_ground_t *g, size_t a, size_t b,
                           double fiber_factor);

/* Sites taken out by the scenario's [faults]: down[i] = 1 for each gateway
 * named in gateways_down (ORB_ENOTFOUND naming the INI line when a name is
 * not a gateway) and for every site inside a jam zone; else 0.  down has
 * g->count entries. */
int orb_ground_fault_mask(const orb_ground_t *g, const orb_scenario_t *sc,
                          unsigned char *down, orb_error_t *err);

#endif
