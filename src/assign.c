/* assign.c: terminal-to-satellite assignment policies and the per-step
 * state update with its handover reasons. */
#include "orbnet/assign.h"

#include <math.h>

#include "orbnet/vec.h"

#define COARSE_STEP_S 20.0
#define FINE_ITER 5 /* bisection of a 20 s interval to 0.6 s */

const char *orb_handover_reason_name(orb_handover_reason_t r)
{
    switch (r) {
    case ORB_HO_ACQUIRE: return "acquire";
    case ORB_HO_EPOCH: return "epoch";
    case ORB_HO_LOST: return "lost";
    case ORB_HO_ROUTE: return "route";
    default: return "none";
    }
}

/* Position after tau seconds on the circle through r with velocity v
 * (rotation about r x v at rate |v| / |r|, radius |r|). */
static void circle_at(const double r[3], const double v[3], double rr, double w,
                      double tau, double out[3])
{
    double c = cos(w * tau), s = sin(w * tau);
    double vn = orb_vec_norm(v);
    for (int k = 0; k < 3; k++)
        out[k] = c * r[k] + s * rr * v[k] / vn;
}

static int above(const orb_topo_t *site, const double p[3], double sin_mask)
{
    double d[3];
    orb_vec_sub(p, site->r_ecef_km, d);
    return orb_vec_dot(d, site->up) >= sin_mask * orb_vec_norm(d);
}

double orb_assign_visible_for_s(const orb_topo_t *site, const double r_km[3],
                                const double v_km_s[3], double min_elevation_rad,
                                double horizon_s)
{
    double sin_mask = sin(min_elevation_rad);
    if (!above(site, r_km, sin_mask))
        return 0;
    double rr = orb_vec_norm(r_km), vn = orb_vec_norm(v_km_s);
    if (!(vn > 0) || !(rr > 0))
        return horizon_s;
    /* keep the velocity's component across r only: a circle needs v _|_ r */
    double rv = orb_vec_dot(r_km, v_km_s) / (rr * rr);
    double vt[3] = {v_km_s[0] - rv * r_km[0], v_km_s[1] - rv * r_km[1],
                    v_km_s[2] - rv * r_km[2]};
    double w = orb_vec_norm(vt) / rr;
    double p[3], lo = 0, hi = -1;
    for (double tau = COARSE_STEP_S; tau <= horizon_s; tau += COARSE_STEP_S) {
        circle_at(r_km, vt, rr, w, tau, p);
        if (!above(site, p, sin_mask)) {
            hi = tau;
            break;
        }
        lo = tau;
    }
    if (hi < 0)
        return horizon_s;
    for (int i = 0; i < FINE_ITER; i++) {
        double mid = 0.5 * (lo + hi);
        circle_at(r_km, vt, rr, w, mid, p);
        if (above(site, p, sin_mask))
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Score of a candidate under the policy: larger is better. */
static double score(orb_assign_policy_t policy, const orb_gsl_t *c,
                    const orb_sat_motion_t *m, const orb_topo_t *site, double mask)
{
    switch (policy) {
    case ORB_ASSIGN_NEAREST:
        return -c->range_km;
    case ORB_ASSIGN_LONGEST_VISIBLE:
        if (m && site) {
            int32_t i = c->sat;
            double r[3] = {m->x_km[i], m->y_km[i], m->z_km[i]};
            double v[3] = {m->vx_km_s[i], m->vy_km_s[i], m->vz_km_s[i]};
            /* elevation as a fraction of a second breaks ties between
               passes predicted to end in the same bisection interval */
            return orb_assign_visible_for_s(site, r, v, mask, 1200.0) +
                   1e-3 * c->sin_elevation;
        }
        return c->sin_elevation;
    default:
        return c->sin_elevation;
    }
}

int32_t orb_assign_pick(orb_assign_policy_t policy, const orb_gsl_t *l, size_t n,
                        const orb_sat_motion_t *motion, const orb_topo_t *site,
                        double min_elevation_rad)
{
    return orb_assign_pick_routable(policy, l, n, motion, site, min_elevation_rad, NULL);
}

int32_t orb_assign_pick_routable(orb_assign_policy_t policy, const orb_gsl_t *l, size_t n,
                                 const orb_sat_motion_t *motion, const orb_topo_t *site,
                                 double min_elevation_rad, const double *dist_ms)
{
    int32_t best = -1;
    double bs = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        if (dist_ms && isinf(dist_ms[l[k].sat]))
            continue;
        double s = score(policy, &l[k], motion, site, min_elevation_rad);
        if (s > bs || (s == bs && l[k].sat < best)) {
            bs = s;
            best = l[k].sat;
        }
    }
    return best;
}

long orb_assign_find(const orb_gsl_t *l, size_t n, int32_t sat)
{
    for (size_t k = 0; k < n; k++)
        if (l[k].sat == sat)
            return (long)k;
    return -1;
}

orb_handover_reason_t orb_assign_step(orb_assign_policy_t policy, int is_epoch,
                                      const orb_gsl_t *l, size_t n,
                                      const orb_sat_motion_t *motion,
                                      const orb_topo_t *site,
                                      double min_elevation_rad, int32_t *serving)
{
    int32_t old = *serving;
    int held = old >= 0 && orb_assign_find(l, n, old) >= 0;
    if (held && !is_epoch)
        return ORB_HO_NONE;
    int32_t pick = orb_assign_pick(policy, l, n, motion, site, min_elevation_rad);
    *serving = pick;
    if (pick == old)
        return ORB_HO_NONE;
    if (old < 0)
        return ORB_HO_ACQUIRE;
    if (!held)
        return ORB_HO_LOST;
    return ORB_HO_EPOCH;
}
