/* sim_internal.h: the simulation's shared state and the per-thread step
 * workspace, used by sim.c (building steps), sim_run.c (the step loop) and
 * sim_route.c (single-instant routes). */
#ifndef ORBNET_SRC_SIM_INTERNAL_H
#define ORBNET_SRC_SIM_INTERNAL_H

#include <stdint.h>

#include "orbnet/assign.h"
#include "orbnet/links.h"
#include "orbnet/route.h"
#include "orbnet/sgp4.h"
#include "orbnet/sim.h"

/* Terminals routed to one destination: a PoP (pop >= 0) or the nearest
 * PoP (pop = -1). */
typedef struct orb__dest_group {
    long pop;
    size_t *terms;  /* positions in ground->terminals */
    size_t count;
} orb__dest_group_t;

struct orb_sim {
    const orb_scenario_t *sc;
    orb_constellation_t *con;
    orb_ground_t *gnd;
    orb_sgp4_batch_t *batch;
    size_t nsat, nsite;
    unsigned char *sat_dead;    /* [faults] */
    unsigned char *site_down;
    orb_isl_set_t *isl_cand;    /* +Grid or file candidates */
    orb_fiber_t *fibers;
    size_t fiber_count;
    int32_t *gateways;          /* live gateway site indices */
    size_t gateway_count;
    int *antennas;              /* per site */
    orb_gsl_params_t gsl;
    orb_isl_params_t islp;
    int need_velocity;          /* longest-visible needs Earth-fixed velocities */
    orb__dest_group_t *groups;
    size_t group_count;
    char (*sat_label)[24];      /* catalogue number text, for unnamed satellites */
    struct orb__step *scratch;  /* orb_sim_all_pairs' workspace, kept */
    struct orb__pair_lane *lanes; /* orb_sim_all_pairs' per-thread searches */
    size_t lane_count;
};

/* Everything one thread needs for a step; allocated once, reused. */
typedef struct orb__step {
    orb_states_t *st;           /* TEME, then rotated in place to Earth-fixed */
    unsigned char *alive;
    orb_sat_pos_t pos;
    orb_sat_motion_t motion;
    orb_sat_index_t *ix;
    orb_gsl_set_t *gsl;
    orb_isl_set_t *isl;
    orb_isl_nearest_ws_t *near;
    orb_graph_t *g;
    orb_route_ws_t *rw;
    orb_seed_t *seeds;
    size_t seed_cap;
    int32_t *path;              /* node_count + 1 */
    unsigned char *usable;      /* per satellite: has a laser or gateway link */
} orb__step_t;

orb__step_t *orb__step_create(const orb_sim_t *sim);
void orb__step_destroy(orb__step_t *w);

/* Builds the network at instant t: propagation, Earth-fixed positions,
 * ground links (down sites removed), laser links, graph; then removes from
 * the terminals' candidate links the satellites that can carry nothing this
 * step (no laser link and no gateway holding them).  Returns ORB_OK or
 * ORB_ENOMEM. */
int orb__step_build(const orb_sim_t *sim, orb__step_t *w, orb_time_t t);

/* The satellite a site enters through by the policy at this step (no
 * history): -1 when it sees none. */
int32_t orb__site_pick(const orb_sim_t *sim, const orb__step_t *w, size_t site);

/* Candidate links of site i at this step. */
static inline const orb_gsl_t *orb__site_links(const orb__step_t *w, size_t site, size_t *n)
{
    *n = w->gsl->offset[site + 1] - w->gsl->offset[site];
    return w->gsl->links + w->gsl->offset[site];
}

/* Seeds a search toward site `dest` (PoP: the PoP; gateway: the gateway;
 * terminal: its satellites, all when `any`, else the policy's pick).
 * Returns the seed count (0: unreachable) or -1 when out of memory. */
long orb__seed_site(const orb_sim_t *sim, orb__step_t *w, size_t dest, int any);

/* Frees orb_sim_all_pairs' per-thread workspaces (sim_route.c). */
void orb__pair_lanes_free(orb_sim_t *sim);

/* Name of node v (satellite or site). */
const char *orb__node_name(const orb_sim_t *sim, int32_t v);

#endif
