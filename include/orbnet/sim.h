/* sim.h: the step loop of a run: propagation, links, assignment, routing
 * and metrics for every step of a scenario, parallel over time with
 * results that do not depend on the thread count; single-instant routes
 * between two sites (orbnet route) and all-pairs RTTs (benchmarks). */
#ifndef ORBNET_SIM_H
#define ORBNET_SIM_H

#include <signal.h>
#include <stddef.h>

#include "orbnet/constellation.h"
#include "orbnet/err.h"
#include "orbnet/ground.h"
#include "orbnet/metrics.h"
#include "orbnet/scenario.h"

typedef struct orb_sim orb_sim_t;

/* Builds everything a run needs from a scenario: the constellation, the
 * ground segment, SGP4 state for every satellite, +Grid or file ISL
 * candidates, fibre legs and fault masks.  sc must outlive the sim.
 * Returns ORB_OK or the first input error (with file, line and field in
 * *err); *out is NULL on failure. */
int orb_sim_create(const orb_scenario_t *sc, orb_sim_t **out, orb_error_t *err);

/* The same from parts built elsewhere (tests, tools); the sim takes
 * ownership of c and g, also on failure. */
int orb_sim_create_from(const orb_scenario_t *sc, orb_constellation_t *c,
                        orb_ground_t *g, orb_sim_t **out, orb_error_t *err);

void orb_sim_destroy(orb_sim_t *sim);

const orb_constellation_t *orb_sim_constellation(const orb_sim_t *sim);
const orb_ground_t *orb_sim_ground(const orb_sim_t *sim);

typedef struct orb_sim_options {
    const char *out_dir;   /* where rtt.csv, handovers.csv and summary.json
                              go; NULL writes no file */
    int rtt_csv;           /* write rtt.csv (with out_dir) */
    int handovers_csv;     /* write handovers.csv (with out_dir) */
    int threads;           /* OpenMP threads; 0 = the OpenMP default */
    size_t chunk_steps;    /* steps per chunk; 0 = chosen from the scenario.
                              Results never depend on it (tests check that) */
    size_t frames;         /* snapshots to keep for a report (evenly spaced
                              steps, first and last included); 0 = none */
    /* called in step order from one thread at a time, may be NULL */
    void (*progress)(void *ud, size_t steps_done, size_t steps_total);
    void *progress_ud;
    /* when not NULL and set non-zero (e.g. by a signal handler), the run
       stops within a step or so with ORB_EINTERRUPTED and writes nothing */
    volatile sig_atomic_t *stop;
} orb_sim_options_t;

/* One handover (a row of handovers.csv). */
typedef struct orb_handover_event {
    size_t step;
    size_t terminal;       /* position in ground->terminals */
    int32_t from_sat, to_sat; /* -1: none */
    int reason;            /* orb_handover_reason_t (assign.h) */
} orb_handover_event_t;

/* A snapshot of one step for maps: the live satellites whose sub-satellite
 * point lies within the sites' bounding box widened by 15 degrees, and each
 * terminal's path (node positions; empty when it has none). */
typedef struct orb_sim_frame {
    size_t step;
    size_t sat_count;
    float *sat_lat_deg, *sat_lon_deg;
    long *sat_norad;
    size_t *path_start;    /* terminal_count + 1: path of terminal q is
                              points [path_start[q], path_start[q + 1]) */
    float *path_lat_deg, *path_lon_deg;
} orb_sim_frame_t;

/* What a run measured.  Owned by the caller: orb_sim_result_destroy. */
typedef struct orb_sim_result {
    size_t steps, terminal_count;
    orb_metrics_t *metrics;
    orb_terminal_summary_t *summary; /* per terminal (ground->terminals order) */
    double wall_time_s;
    orb_handover_event_t *handovers; /* in step order, as in handovers.csv */
    size_t handover_count, handover_cap;
    orb_sim_frame_t *frames;         /* opt->frames of them (fewer if fewer steps) */
    size_t frame_count;
} orb_sim_result_t;

void orb_sim_result_destroy(orb_sim_result_t *r);

/* Runs every step of the scenario.  The time axis is cut into chunks whose
 * length depends only on the scenario; a chunk first replays the steps
 * since the last scheduling epoch before it (assignment state depends on
 * nothing older), so the output is byte for byte the same for any thread
 * count.  Files are written under temporary names and renamed when
 * complete; a run that fails or is stopped (opt->stop) leaves none.
 * Returns ORB_OK, ORB_ENOMEM, ORB_EIO (err names the file) or
 * ORB_EINTERRUPTED (err says after how many steps). */
int orb_sim_run(orb_sim_t *sim, const orb_sim_options_t *opt,
                orb_sim_result_t **out, orb_error_t *err);

/* Writes report.html (report.h) at path from a finished run: sites,
 * per-terminal figures, RTT series (at most 2,000 instants, evenly
 * thinned), handover instants, the run's frames (opt->frames) with the
 * satellites over the region and each terminal's path, parameters and data
 * files.  Returns ORB_OK, ORB_EIO (err names the file) or ORB_ENOMEM. */
int orb_sim_write_report(const orb_sim_t *sim, const orb_sim_result_t *res,
                         const char *path, orb_error_t *err);

/* ---- one instant ---- */

typedef enum orb_node_kind {
    ORB_NODE_SATELLITE = 0,
    ORB_NODE_TERMINAL,
    ORB_NODE_GATEWAY,
    ORB_NODE_POP
} orb_node_kind_t;

const char *orb_node_kind_name(orb_node_kind_t k);

/* One node of a route with the link that leaves it (0 on the last). */
typedef struct orb_route_hop {
    orb_node_kind_t kind;
    long index;            /* satellite index or site index */
    const char *name;      /* points into the sim */
    char label[24];        /* catalogue number for unnamed satellites */
    double lat_deg, lon_deg, alt_km;
    double length_km;      /* link to the next node: km of path (fibre: km of fibre) */
    double delay_ms;       /* one-way delay of that link */
} orb_route_hop_t;

typedef struct orb_route_result {
    double rtt_ms;         /* INFINITY when unreachable */
    size_t hop_count;      /* links on the path (nodes - 1), 0 when unreachable */
    orb_route_hop_t *nodes;/* hop_count + 1 entries; caller frees with orb_route_result_free */
    size_t node_count;
} orb_route_result_t;

void orb_route_result_free(orb_route_result_t *r);

/* The path between two sites at instant t with the scenario's rules:
 * terminals enter through the satellite the assignment policy picks at t
 * (policy any: any visible one), gateways through the satellites their
 * antennas hold, PoPs through gateways and fibre; in laser mode across
 * laser links, in bent-pipe mode over one satellite seeing both ends (or a
 * gateway for a PoP).  Ground sites never relay.  Paths are symmetric: a
 * PoP as the source is routed from the other end.  Returns ORB_OK (rtt
 * INFINITY when there is no path), ORB_EINVAL (from == to, or two PoPs),
 * ORB_ENOMEM. */
int orb_sim_route(orb_sim_t *sim, size_t from_site, size_t to_site, orb_time_t t,
                  orb_route_result_t *out, orb_error_t *err);

/* Round-trip times between every pair of the given sites at instant t,
 * each entering the network through any satellite it sees (Hypatia's rule)
 * and crossing laser links only; rtt_ms[i * n + j] (INFINITY when
 * unreachable, 0 on the diagonal).  For benchmarks and oracle checks.
 * The searches (one per destination) run on OpenMP's default number of
 * threads (omp_set_num_threads, OMP_NUM_THREADS); the result does not
 * depend on it.  Keeps its workspaces in sim between calls (no allocation
 * after the first), so two callers must not use the same sim at once.
 * Returns ORB_OK or ORB_ENOMEM. */
int orb_sim_all_pairs(orb_sim_t *sim, const size_t *sites, size_t n, orb_time_t t,
                      double *rtt_ms);

#endif
