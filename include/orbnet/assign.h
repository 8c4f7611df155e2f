/* assign.h: which satellite serves a terminal: policies (max-elevation,
 * nearest, longest-visible, any), reselection at scheduling epochs or when
 * the serving satellite leaves the mask, and the reason of each change. */
#ifndef ORBNET_ASSIGN_H
#define ORBNET_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "orbnet/links.h"
#include "orbnet/scenario.h"

/* Why the serving satellite changed. */
typedef enum orb_handover_reason {
    ORB_HO_NONE = 0,
    ORB_HO_ACQUIRE,  /* had none, now has one */
    ORB_HO_EPOCH,    /* reselected at a scheduling epoch */
    ORB_HO_LOST,     /* serving satellite left the mask (or failed) */
    ORB_HO_ROUTE     /* policy any: the best path starts at another satellite;
                        other policies: the held satellite has no route */
} orb_handover_reason_t;

const char *orb_handover_reason_name(orb_handover_reason_t r);

/* Satellite motion for longest-visible: Earth-fixed positions and
 * velocities (km, km/s) of every satellite at the step. */
typedef struct orb_sat_motion {
    const double *x_km, *y_km, *z_km;
    const double *vx_km_s, *vy_km_s, *vz_km_s;
} orb_sat_motion_t;

/* Seconds (from now, up to horizon_s) until the satellite at r, v
 * (Earth-fixed) drops below the mask of site, predicting its motion as a
 * circle about Earth's centre in the Earth-fixed frame (good to a few
 * seconds over a LEO pass, which is all that ranking passes needs).
 * Returns 0 when it is already below the mask. */
double orb_assign_visible_for_s(const orb_topo_t *site, const double r_km[3],
                                const double v_km_s[3], double min_elevation_rad,
                                double horizon_s);

/* The satellite the policy picks among candidate links l[0..n) of one
 * terminal: max-elevation: highest elevation; nearest: shortest range;
 * longest-visible: longest predicted remaining visibility (needs motion and
 * site; ties and failures fall back to elevation).  Ties go to the lower
 * satellite index.  ORB_ASSIGN_ANY picks like max-elevation (the caller
 * routes over every candidate instead).  Returns the satellite index, or -1
 * when n is 0. */
int32_t orb_assign_pick(orb_assign_policy_t policy, const orb_gsl_t *l, size_t n,
                        const orb_sat_motion_t *motion, const orb_topo_t *site,
                        double min_elevation_rad);

/* The same pick among the candidates that have a route: those whose
 * satellite's distance dist_ms[sat] to the destination is finite (dist_ms
 * NULL: every candidate).  -1 when none has a route. */
int32_t orb_assign_pick_routable(orb_assign_policy_t policy, const orb_gsl_t *l, size_t n,
                                 const orb_sat_motion_t *motion, const orb_topo_t *site,
                                 double min_elevation_rad, const double *dist_ms);

/* One step of one terminal's assignment.  *serving is the satellite held
 * (-1 none).  At an epoch (is_epoch) the policy's pick replaces it;
 * otherwise it is kept while it is still among the candidates, and
 * replaced by the pick when it is not (lost) or when there was none
 * (acquire).  Returns the reason of a change, ORB_HO_NONE when unchanged
 * (a reselection that picks the same satellite is no change).  The new
 * state depends only on the state before and this step's candidates, and
 * after an epoch not on the state before at all: runs split in time can
 * rebuild the state from the last epoch. */
orb_handover_reason_t orb_assign_step(orb_assign_policy_t policy, int is_epoch,
                                      const orb_gsl_t *l, size_t n,
                                      const orb_sat_motion_t *motion,
                                      const orb_topo_t *site,
                                      double min_elevation_rad, int32_t *serving);

/* Index in l[0..n) of the link to satellite sat, or -1. */
long orb_assign_find(const orb_gsl_t *l, size_t n, int32_t sat);

#endif
