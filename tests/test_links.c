/* test_links.c: ground-satellite links (hand geometry, index against brute
 * force), Earth clearance, +Grid topology, nearest-K and ISL files. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "orbnet/links.h"

#define RE ORB_WGS84_A_KM
#define DEG ORB_DEG

static orb_sat_pos_t make_pos(size_t n, double *x, double *y, double *z)
{
    orb_sat_pos_t p = {n, x, y, z, NULL};
    return p;
}

/* Equatorial site at longitude 0: up is +x, so a satellite at
 * (RE + h, y, 0) has elevation atan(h / y) and range hypot(h, y). */
Test(gsl, hand_geometry_on_the_equator)
{
    orb_topo_t site;
    orb_topo_init(&site, 0, 0, 0);
    double x[4] = {RE + 550, RE + 500, RE + 500, RE + 500};
    double y[4] = {0, 500, 1000, 1100};
    double z[4] = {0, 0, 0, 0};
    orb_sat_pos_t pos = make_pos(4, x, y, z);
    orb_gsl_params_t p = {25 * DEG, 0};
    orb_sat_index_t *ix = orb_sat_index_create(4);
    orb_gsl_set_t *set = orb_gsl_set_create(1);
    cr_assert_eq(orb_sat_index_build(ix, &pos), ORB_OK);
    cr_assert_eq(orb_gsl_find_brute(&pos, &site, 1, &p, set), ORB_OK);
    /* atan(500/1000) = 26.57 deg is in, atan(500/1100) = 24.44 deg out */
    cr_assert_eq(set->offset[1], 3);
    cr_assert_eq(set->links[0].sat, 0);
    cr_assert_float_eq(set->links[0].range_km, 550.0, 1e-9);
    cr_assert_float_eq(set->links[0].sin_elevation, 1.0, 1e-6);
    cr_assert_float_eq(set->links[1].sin_elevation, sin(M_PI / 4), 1e-6);
    cr_assert_float_eq(set->links[2].range_km, hypot(500, 1000), 1e-9);
    /* a slant-range limit of 1000 km removes the 1118 km link */
    p.max_range_km = 1000;
    cr_assert_eq(orb_gsl_find(ix, &pos, &site, 1, &p, set), ORB_OK);
    cr_assert_eq(set->offset[1], 2);
    orb_gsl_set_destroy(set);
    orb_sat_index_destroy(ix);
}

static double urand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffffff) / 16777216.0;
}

static int cmp_sat(const void *x, const void *y)
{
    int32_t a = ((const orb_gsl_t *)x)->sat, b = ((const orb_gsl_t *)y)->sat;
    return (a > b) - (a < b);
}

/* The cell index must find exactly what testing every pair finds, for
 * sites everywhere (poles and the date line included) and masks low
 * enough to make the search cap wide. */
static void compare_with_brute(double mask_deg, double max_range_km)
{
    enum { NS = 3000, NG = 300 };
    static double x[NS], y[NS], z[NS];
    static orb_topo_t sites[NG];
    unsigned seed = 12345;
    for (int i = 0; i < NS; i++) {
        double u = 2 * urand(&seed) - 1, lon = 2 * M_PI * urand(&seed);
        double r = RE + 300 + 1000 * urand(&seed), c = sqrt(1 - u * u);
        x[i] = r * c * cos(lon);
        y[i] = r * c * sin(lon);
        z[i] = r * u;
    }
    for (int i = 0; i < NG; i++) {
        double lat = asin(2 * urand(&seed) - 1), lon = M_PI * (2 * urand(&seed) - 1);
        if (i == 0)
            lat = M_PI / 2;
        if (i == 1)
            lon = M_PI;
        orb_topo_init(&sites[i], lat, lon, 2 * urand(&seed));
    }
    orb_sat_pos_t pos = make_pos(NS, x, y, z);
    orb_gsl_params_t p = {mask_deg * DEG, max_range_km};
    orb_sat_index_t *ix = orb_sat_index_create(NS);
    orb_gsl_set_t *a = orb_gsl_set_create(NG), *b = orb_gsl_set_create(NG);
    cr_assert_eq(orb_sat_index_build(ix, &pos), ORB_OK);
    cr_assert_eq(orb_gsl_find(ix, &pos, sites, NG, &p, a), ORB_OK);
    cr_assert_eq(orb_gsl_find_brute(&pos, sites, NG, &p, b), ORB_OK);
    cr_assert_gt(b->offset[NG], (size_t)NG, "the test must exercise many links");
    for (int i = 0; i <= NG; i++)
        cr_assert_eq(a->offset[i], b->offset[i], "site %d", i);
    for (int i = 0; i < NG; i++) /* the index lists cell by cell */
        qsort(a->links + a->offset[i], a->offset[i + 1] - a->offset[i], sizeof *a->links,
              cmp_sat);
    for (size_t k = 0; k < b->offset[NG]; k++) {
        cr_assert_eq(a->links[k].sat, b->links[k].sat);
        cr_assert_eq(a->links[k].range_km, b->links[k].range_km);
    }
    orb_gsl_set_destroy(a);
    orb_gsl_set_destroy(b);
    orb_sat_index_destroy(ix);
}

Test(gsl, index_matches_brute_force_25deg) { compare_with_brute(25, 0); }
Test(gsl, index_matches_brute_force_low_mask) { compare_with_brute(0, 0); }
Test(gsl, index_matches_brute_force_range) { compare_with_brute(10, 1089.686); }

Test(gsl, dead_satellites_have_no_link)
{
    orb_topo_t site;
    orb_topo_init(&site, 0, 0, 0);
    double x[2] = {RE + 550, RE + 550}, y[2] = {0, 10}, z[2] = {0, 0};
    unsigned char alive[2] = {0, 1};
    orb_sat_pos_t pos = {2, x, y, z, alive};
    orb_gsl_params_t p = {25 * DEG, 0};
    orb_sat_index_t *ix = orb_sat_index_create(2);
    orb_gsl_set_t *set = orb_gsl_set_create(1);
    orb_sat_index_build(ix, &pos);
    orb_gsl_find(ix, &pos, &site, 1, &p, set);
    cr_assert_eq(set->offset[1], 1);
    cr_assert_eq(set->links[0].sat, 1);
    orb_gsl_set_destroy(set);
    orb_sat_index_destroy(ix);
}

/* Two points at radius r, +-theta from the x axis: the chord's closest
 * approach to Earth's centre is r cos(theta). */
Test(isl, earth_clearance)
{
    double r = RE + 550;
    double th_ok = acos((RE + 80 + 1) / r), th_bad = acos((RE + 80 - 1) / r);
    double a[3] = {r * cos(th_ok), r * sin(th_ok), 0}, b[3] = {r * cos(th_ok), -r * sin(th_ok), 0};
    cr_assert(orb_isl_clear_of_earth(a, b, 80));
    double c[3] = {r * cos(th_bad), r * sin(th_bad), 0}, d[3] = {r * cos(th_bad), -r * sin(th_bad), 0};
    cr_assert_not(orb_isl_clear_of_earth(c, d, 80));
    cr_assert(orb_isl_clear_of_earth(c, d, 0));
    double e[3] = {r, 0, 0}, f[3] = {-r, 0, 0};
    cr_assert_not(orb_isl_clear_of_earth(e, f, 0));
}

/* A Walker shell of P planes x S slots, indexed p * S + s. */
static void walker_ident(int P, int S, int *shell, int *plane, int *slot)
{
    for (int p = 0; p < P; p++)
        for (int s = 0; s < S; s++) {
            shell[p * S + s] = 0;
            plane[p * S + s] = p;
            slot[p * S + s] = s;
        }
}

static int has_pair(const orb_isl_set_t *set, int a, int b)
{
    for (size_t k = 0; k < set->count; k++)
        if ((set->a[k] == a && set->b[k] == b) || (set->a[k] == b && set->b[k] == a))
            return 1;
    return 0;
}

Test(isl, plus_grid_walker)
{
    enum { P = 4, S = 5, N = P * S };
    int shell[N], plane[N], slot[N], deg[N] = {0};
    walker_ident(P, S, shell, plane, slot);
    orb_isl_set_t *set = orb_isl_set_create();
    cr_assert_eq(orb_isl_plus_grid(N, shell, plane, slot, NULL, 4, set), ORB_OK);
    cr_assert_eq(set->count, 2 * N); /* every satellite has 4 lasers */
    for (size_t k = 0; k < set->count; k++) {
        deg[set->a[k]]++;
        deg[set->b[k]]++;
    }
    for (int i = 0; i < N; i++)
        cr_assert_eq(deg[i], 4);
    for (int p = 0; p < P; p++)
        for (int s = 0; s < S; s++) {
            int i = p * S + s;
            cr_assert(has_pair(set, i, p * S + (s + 1) % S));
            cr_assert(has_pair(set, i, ((p + 1) % P) * S + s));
        }
    cr_assert_not(has_pair(set, 0, 2));
    orb_isl_set_destroy(set);
}

Test(isl, plus_grid_nearest_argument_of_latitude)
{
    /* two planes of 3; plane 1 is rotated so that its slot 0 sits next to
       plane 0's slot 2 (120 deg spacing, offsets 0 and 230 deg) */
    int shell[6] = {0, 0, 0, 0, 0, 0}, plane[6] = {0, 0, 0, 1, 1, 1}, slot[6] = {0, 1, 2, 0, 1, 2};
    double u[6];
    for (int s = 0; s < 3; s++) {
        u[s] = s * 120 * DEG;
        u[3 + s] = fmod((230 + s * 120) * DEG, 2 * M_PI);
    }
    orb_isl_set_t *set = orb_isl_set_create();
    cr_assert_eq(orb_isl_plus_grid(6, shell, plane, slot, u, 0, set), ORB_OK);
    cr_assert(has_pair(set, 2, 3)); /* 240 vs 230 */
    cr_assert(has_pair(set, 0, 4)); /* 0 vs 350 */
    cr_assert(has_pair(set, 1, 5)); /* 120 vs 110 */
    cr_assert_not(has_pair(set, 0, 3));
    cr_assert_eq(set->count, 3 + 3 + 3); /* two rings, one set of cross links */
    orb_isl_set_destroy(set);
}

Test(isl, laser_count_caps_links)
{
    enum { P = 4, S = 5, N = P * S };
    int shell[N], plane[N], slot[N];
    walker_ident(P, S, shell, plane, slot);
    orb_isl_set_t *set = orb_isl_set_create();
    cr_assert_eq(orb_isl_plus_grid(N, shell, plane, slot, NULL, 2, set), ORB_OK);
    cr_assert_eq(set->count, N); /* only the in-plane rings fit */
    orb_isl_set_destroy(set);
}

Test(isl, filter_range_and_dead)
{
    double x[3] = {RE + 550, RE + 550, -(RE + 550)}, y[3] = {0, 1000, 0}, z[3] = {0, 0, 0};
    unsigned char alive[3] = {1, 1, 1};
    orb_sat_pos_t pos = {3, x, y, z, alive};
    orb_isl_set_t *cand = orb_isl_set_create(), *out = orb_isl_set_create();
    orb_isl_set_add(cand, 0, 1, 0);
    orb_isl_set_add(cand, 0, 2, 0);
    orb_isl_params_t p = {ORB_ISL_PLUS_GRID, 0, 5000, 4, 80};
    cr_assert_eq(orb_isl_filter(cand, &pos, &p, out), ORB_OK);
    cr_assert_eq(out->count, 1); /* 0-2 crosses Earth */
    cr_assert_float_eq(out->length_km[0], 1000.0, 1e-9);
    p.max_range_km = 999;
    orb_isl_filter(cand, &pos, &p, out);
    cr_assert_eq(out->count, 0);
    p.max_range_km = 0;
    alive[1] = 0;
    orb_isl_filter(cand, &pos, &p, out);
    cr_assert_eq(out->count, 0);
    orb_isl_set_destroy(cand);
    orb_isl_set_destroy(out);
}

/* The same greedy rule written the slow way: all pairs within range and
 * clear, each satellite's k nearest proposed, shortest first. */
static int brute_nearest(size_t n, const double *x, const double *y, const double *z,
                         int k, double range, int *used, int32_t *pa, int32_t *pb)
{
    int np = 0;
    double *pl = calloc(n * (size_t)k, sizeof *pl);
    for (size_t i = 0; i < n; i++) {
        int32_t bi[16];
        double bd[16];
        int m = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double a[3] = {x[i], y[i], z[i]}, b[3] = {x[j], y[j], z[j]};
            double d = sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                            (a[2] - b[2]) * (a[2] - b[2]));
            if (d > range || !orb_isl_clear_of_earth(a, b, 80))
                continue;
            if (m == k && bd[k - 1] <= d)
                continue; /* j ascends, so ties keep the lower index */
            int q = m < k ? m++ : k - 1;
            bi[q] = (int32_t)j;
            bd[q] = d;
            for (; q > 0 && bd[q - 1] > bd[q]; q--) {
                double td = bd[q]; bd[q] = bd[q - 1]; bd[q - 1] = td;
                int32_t ti = bi[q]; bi[q] = bi[q - 1]; bi[q - 1] = ti;
            }
        }
        for (int q = 0; q < m; q++) {
            pa[np] = (int32_t)i < bi[q] ? (int32_t)i : bi[q];
            pb[np] = (int32_t)i < bi[q] ? bi[q] : (int32_t)i;
            pl[np] = bd[q];
            np++;
        }
    }
    /* selection sort by (length, a, b), then greedy */
    for (int i = 0; i < np; i++)
        for (int j = i + 1; j < np; j++)
            if (pl[j] < pl[i] || (pl[j] == pl[i] && (pa[j] < pa[i] || (pa[j] == pa[i] && pb[j] < pb[i])))) {
                double t = pl[i]; pl[i] = pl[j]; pl[j] = t;
                int32_t u = pa[i]; pa[i] = pa[j]; pa[j] = u;
                u = pb[i]; pb[i] = pb[j]; pb[j] = u;
            }
    int out = 0;
    for (int i = 0; i < np; i++) {
        if (i > 0 && pa[i] == pa[i - 1] && pb[i] == pb[i - 1])
            continue;
        if (used[pa[i]] >= k || used[pb[i]] >= k)
            continue;
        used[pa[i]]++;
        used[pb[i]]++;
        pa[out] = pa[i];
        pb[out] = pb[i];
        out++;
    }
    free(pl);
    return out;
}

Test(isl, nearest_k_matches_brute_force)
{
    enum { N = 400, K = 3 };
    static double x[N], y[N], z[N];
    static int32_t pa[N * K], pb[N * K];
    static int used[N];
    unsigned seed = 99;
    for (int i = 0; i < N; i++) {
        double u = 2 * urand(&seed) - 1, lon = 2 * M_PI * urand(&seed), r = RE + 550;
        double c = sqrt(1 - u * u);
        x[i] = r * c * cos(lon);
        y[i] = r * c * sin(lon);
        z[i] = r * u;
    }
    orb_sat_pos_t pos = make_pos(N, x, y, z);
    orb_isl_params_t p = {ORB_ISL_NEAREST, K, 2500, 0, 80};
    orb_isl_nearest_ws_t *ws = orb_isl_nearest_ws_create(N);
    orb_isl_set_t *out = orb_isl_set_create();
    cr_assert_eq(orb_isl_nearest(ws, &pos, &p, out), ORB_OK);
    int n = brute_nearest(N, x, y, z, K, 2500, used, pa, pb);
    cr_assert_gt(n, N / 2);
    cr_assert_eq(out->count, (size_t)n);
    for (int i = 0; i < n; i++) {
        cr_assert_eq(out->a[i], pa[i]);
        cr_assert_eq(out->b[i], pb[i]);
    }
    orb_isl_set_destroy(out);
    orb_isl_nearest_ws_destroy(ws);
}

Test(isl, file_pairs)
{
    long norad[4] = {44713, 44714, 44715, 44716};
    orb_isl_set_t *set = orb_isl_set_create();
    orb_error_t err;
    cr_assert_eq(orb_isl_load_file("tests/data/net/isl_pairs.txt", norad, 4, set, &err), ORB_OK,
                 "%s", err.message);
    cr_assert_eq(set->count, 3);
    cr_assert_eq(set->a[0], 0);
    cr_assert_eq(set->b[0], 1);
    cr_assert_eq(set->a[2], 3);
    cr_assert_eq(set->b[2], 0);
    orb_isl_set_destroy(set);
}

Test(isl, file_errors_name_the_line)
{
    long norad[2] = {1, 2};
    orb_isl_set_t *set = orb_isl_set_create();
    orb_error_t err;
    cr_assert_eq(orb_isl_load_file("tests/data/net/isl_bad.txt", norad, 2, set, &err),
                 ORB_ENOTFOUND);
    cr_assert_eq(err.line, 3);
    cr_assert_str_eq(err.file, "tests/data/net/isl_bad.txt");
    orb_isl_set_destroy(set);
}
