/* test_assign.c: assignment policies, epoch reselection and handover
 * reasons, and the predicted end of visibility against spherical geometry. */
#include <criterion/criterion.h>
#include <math.h>

#include "orbnet/assign.h"

#define DEG ORB_DEG

static orb_gsl_t link_(int32_t sat, double el_deg, double range_km)
{
    orb_gsl_t l = {sat, (float)sin(el_deg * DEG), range_km};
    return l;
}

Test(assign, policies_pick)
{
    orb_gsl_t l[3] = {link_(3, 40, 700), link_(7, 60, 800), link_(9, 30, 650)};
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_MAX_ELEVATION, l, 3, NULL, NULL, 0), 7);
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_NEAREST, l, 3, NULL, NULL, 0), 9);
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_MAX_ELEVATION, l, 0, NULL, NULL, 0), -1);
    /* ties go to the lower satellite index */
    orb_gsl_t t[2] = {link_(5, 50, 700), link_(2, 50, 700)};
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_MAX_ELEVATION, t, 2, NULL, NULL, 0), 2);
}

Test(assign, reselect_only_at_epochs_or_when_lost)
{
    orb_gsl_t a[2] = {link_(1, 40, 700), link_(2, 60, 600)};
    int32_t s = -1;
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 0, a, 2, NULL, NULL, 0, &s),
                 ORB_HO_ACQUIRE);
    cr_assert_eq(s, 2);
    /* satellite 1 becomes higher, but no epoch: keep 2 */
    orb_gsl_t b[2] = {link_(1, 70, 600), link_(2, 50, 650)};
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 0, b, 2, NULL, NULL, 0, &s),
                 ORB_HO_NONE);
    cr_assert_eq(s, 2);
    /* at the epoch: move to 1 */
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 1, b, 2, NULL, NULL, 0, &s),
                 ORB_HO_EPOCH);
    cr_assert_eq(s, 1);
    /* an epoch that picks the same satellite is no handover */
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 1, b, 2, NULL, NULL, 0, &s),
                 ORB_HO_NONE);
    /* 1 leaves the mask between epochs: lost, replaced at once */
    orb_gsl_t c[1] = {link_(2, 45, 700)};
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 0, c, 1, NULL, NULL, 0, &s),
                 ORB_HO_LOST);
    cr_assert_eq(s, 2);
    /* nothing visible: lost, none */
    cr_assert_eq(orb_assign_step(ORB_ASSIGN_MAX_ELEVATION, 0, c, 0, NULL, NULL, 0, &s),
                 ORB_HO_LOST);
    cr_assert_eq(s, -1);
    cr_assert_str_eq(orb_handover_reason_name(ORB_HO_EPOCH), "epoch");
}

/* A satellite overhead an equatorial site, moving east on a circle of
 * radius r at speed v: it sets below elevation e when the central angle
 * reaches acos(R cos e / r) - e, i.e. after that angle / (v / r). */
Test(assign, visibility_end_matches_spherical_geometry)
{
    orb_topo_t site;
    orb_topo_init(&site, 0, 0, 0);
    double R = ORB_WGS84_A_KM, r = R + 550, v = 7.2;
    double pos[3] = {r, 0, 0}, vel[3] = {0, v, 0};
    for (double e_deg = 10; e_deg <= 40; e_deg += 15) {
        double e = e_deg * DEG;
        double lambda = acos(R * cos(e) / r) - e;
        double want = lambda / (v / r);
        double got = orb_assign_visible_for_s(&site, pos, vel, e, 3000);
        /* bisection to 20 / 2^5 s: within 0.35 s */
        cr_assert_float_eq(got, want, 0.35, "mask %g: got %g want %g", e_deg, got, want);
    }
    /* a satellite already below the mask: 0; one that never sets: the horizon */
    double low[3] = {R + 550, 3000, 0};
    cr_assert_eq(orb_assign_visible_for_s(&site, low, vel, 25 * DEG, 900), 0);
    double still[3] = {0, 0, 0};
    cr_assert_eq(orb_assign_visible_for_s(&site, pos, still, 25 * DEG, 900), 900);
}

Test(assign, longest_visible_prefers_the_rising_satellite)
{
    /* two satellites at the same elevation east and west of the site, both
       moving east: the western one is rising and stays longer */
    orb_topo_t site;
    orb_topo_init(&site, 0, 0, 0);
    double r = ORB_WGS84_A_KM + 550, a = 4 * DEG;
    double x[2] = {r * cos(a), r * cos(-a)}, y[2] = {r * sin(a), r * sin(-a)}, z[2] = {0, 0};
    double vx[2] = {-7.2 * sin(a), -7.2 * sin(-a)}, vy[2] = {7.2 * cos(a), 7.2 * cos(-a)};
    double vz[2] = {0, 0};
    orb_sat_motion_t m = {x, y, z, vx, vy, vz};
    orb_gsl_t l[2] = {link_(0, 60, 600), link_(1, 60, 600)};
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_LONGEST_VISIBLE, l, 2, &m, &site, 25 * DEG), 1);
    cr_assert_eq(orb_assign_pick(ORB_ASSIGN_MAX_ELEVATION, l, 2, &m, &site, 25 * DEG), 0);
}
