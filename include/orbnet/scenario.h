/* scenario.h: the scenario INI file (docs/scenario.md) read into one
 * structure with every setting and its default.  Parsing only: building the
 * constellation and the ground segment is in constellation.h / ground.h. */
#ifndef ORBNET_SCENARIO_H
#define ORBNET_SCENARIO_H

#include <stddef.h>

#include "orbnet/err.h"
#include "orbnet/timeutil.h"
#include "orbnet/walker.h"

/* Site roles (ground.h uses them; defined here because [ground] names them). */
typedef enum orb_site_role {
    ORB_SITE_TERMINAL = 0,
    ORB_SITE_GATEWAY = 1,
    ORB_SITE_POP = 2,
    ORB_SITE_FROM_FILE = -1 /* role taken from each row's role/kind column */
} orb_site_role_t;

typedef enum orb_isl_kind {
    ORB_ISL_NONE = 0,
    ORB_ISL_PLUS_GRID = 1,  /* in-plane next/previous + same slot in the adjacent planes */
    ORB_ISL_NEAREST = 2,    /* the isl_k nearest satellites within range */
    ORB_ISL_FILE = 3        /* explicit pairs of catalogue numbers from isl_file */
} orb_isl_kind_t;

typedef enum orb_assign_policy {
    ORB_ASSIGN_MAX_ELEVATION = 0,
    ORB_ASSIGN_NEAREST = 1,
    ORB_ASSIGN_LONGEST_VISIBLE = 2,
    ORB_ASSIGN_ANY = 3
} orb_assign_policy_t;

typedef enum orb_route_mode {
    ORB_ROUTE_LASER = 0,
    ORB_ROUTE_BENT_PIPE = 1
} orb_route_mode_t;

/* A file named in the scenario: path resolved against the INI's folder
 * (absolute paths kept), and the INI line that named it (for messages). */
typedef struct orb_scenario_file {
    char *path;
    long line;
    orb_site_role_t role; /* [ground] files only: the key it came from */
} orb_scenario_file_t;

/* A circular jamming zone: every site (terminal or gateway) within
 * radius_km (great circle) of the centre has no ground-satellite link. */
typedef struct orb_jam_zone {
    double lat_rad, lon_rad, radius_km;
    long line;
} orb_jam_zone_t;

/* Everything in the file.  Angles in radians, lengths in km, times in s.
 * The scenario owns every pointer in it; orb_scenario_destroy frees all. */
typedef struct orb_scenario {
    char *ini_path;              /* as given to orb_scenario_load */
    char *ini_dir;               /* its folder ("." when none) */

    /* [scenario] */
    char name[64];               /* default: the INI file's base name without .ini */
    orb_time_t start;            /* required */
    double duration_s;           /* required, > 0 */
    double step_s;               /* default 1, > 0 and <= duration_s */

    /* [constellation] */
    orb_scenario_file_t *element_files; /* tle= and omm= files, in file order */
    size_t element_file_count;
    char name_pattern[128];      /* fnmatch(3) glob on the satellite name; "" = all */
    char name_exclude[128];      /* fnmatch(3) glob of names to drop; "" = none */
    double incl_min_rad, incl_max_rad;  /* selection band, default [0, pi] */
    double alt_min_km, alt_max_km;      /* a(Kozai n) - 6378.137; default [0, 1e9] */
    int min_shell_size;          /* inferred shells smaller than this are
                                    "unassigned" (shell -1); default 30.
                                    Below 30 it also lowers the peak size
                                    of orb_infer_params_t.peak_min */

    /* [shell NAME] sections, in file order */
    orb_walker_shell_t *shells;
    size_t shell_count;

    /* [ground] */
    orb_scenario_file_t *site_files; /* sites=/terminals=/gateways=/pops= */
    size_t site_file_count;
    int gateway_antennas;        /* antennas of a gateway whose row gives none; default 8 */

    /* [links] */
    double min_elevation_rad;    /* default 25 deg */
    double max_gsl_range_km;     /* 0 = no limit (default) */
    orb_isl_kind_t isl;          /* default plus-grid */
    int isl_k;                   /* nearest:K */
    orb_scenario_file_t isl_file;/* file:PATH (path NULL otherwise) */
    double isl_max_range_km;     /* default 5400 */
    int lasers_per_sat;          /* default 4 */
    double grazing_height_km;    /* default 80: no link passes below this */
    orb_assign_policy_t assignment; /* default max-elevation */
    double epoch_s;              /* default 15; 0 = reselect every step */
    double epoch_offset_s;       /* default 12: epochs at s = 12, 27, 42, 57 */

    /* [routing] */
    orb_route_mode_t mode;       /* default laser */
    double fiber_factor;         /* default 1.5: fibre route length / great circle */
    char pop[128];               /* PoP of terminals whose row names none:
                                    "" = the lowest-latency PoP (default) */

    /* [faults] (all default to none) */
    long *dead_sats;             /* catalogue numbers */
    long *dead_sat_lines;        /* INI line of each */
    size_t dead_sat_count;
    long dead_sats_line;         /* line of the first dead_sats key */
    double dead_fraction;        /* [0, 1): extra random failures, see constellation.h */
    unsigned long fault_seed;    /* default 1 */
    char **gateways_down;        /* site names */
    size_t gateway_down_count;
    long gateways_down_line;
    orb_jam_zone_t *jam_zones;   /* one per "jam =" line */
    size_t jam_zone_count;

    /* [output] */
    char *out_dir;               /* default "out", relative to the current directory */
    int csv;                     /* write the CSV series; default 1 */
    int rtt_csv;                 /* write rtt.csv; default 1 (needs csv) */
    int report;                  /* write report.html; default 1 */
} orb_scenario_t;

/* Fills *sc with every default (no files, no shells, start unset) and no
 * allocated memory.  Useful for building scenarios in code and tests. */
void orb_scenario_init(orb_scenario_t *sc);

/* Reads the INI file at path into a new scenario (*out, freed with
 * orb_scenario_destroy).  Unknown sections or keys and malformed values
 * (not a number, NaN/inf, unknown enum word) are ORB_ESYNTAX; values out of
 * range (duration <= 0, latitude > 90 deg, ...) are ORB_ERANGE; a missing
 * required key is ORB_ESYNTAX naming the section; a referenced file that
 * does not exist is ORB_ENOTFOUND.  *err then names the INI file, the line
 * and the key (field), and *out is NULL.  Referenced files are only checked
 * for existence here, not read.  ORB_EIO when the INI cannot be opened,
 * ORB_ENOMEM when out of memory. */
int orb_scenario_load(const char *path, orb_scenario_t **out, orb_error_t *err);

/* Frees a scenario from orb_scenario_load and everything in it.  NULL is a
 * no-op. */
void orb_scenario_destroy(orb_scenario_t *sc);

/* Frees what a caller-owned scenario points to (pointers must come from the
 * library, e.g. none after orb_scenario_init) and re-initialises it. */
void orb_scenario_clear(orb_scenario_t *sc);

/* Number of steps of the run: floor(duration_s / step_s + 1e-9) + 1 (the
 * start and every step up to and including the end). */
size_t orb_scenario_step_count(const orb_scenario_t *sc);

/* The UTC instant of step k (start + k * step_s). */
orb_time_t orb_scenario_step_time(const orb_scenario_t *sc, size_t k);

/* Whether a scheduling epoch falls in (t - step_s, t] for an instant t
 * seconds after start: epochs are the instants whose UTC second of day
 * s satisfies fmod(s - epoch_offset_s, epoch_s) == 0.  Always 1 when
 * epoch_s is 0.  Step 0 is always an epoch. */
int orb_scenario_is_epoch(const orb_scenario_t *sc, size_t step);

/* Words for enum values, as written in the INI ("plus-grid", ...). */
const char *orb_isl_kind_name(orb_isl_kind_t k);
const char *orb_assign_policy_name(orb_assign_policy_t p);
const char *orb_route_mode_name(orb_route_mode_t m);
const char *orb_site_role_name(orb_site_role_t r);

#endif
