/* test_route.c: hand-solved paths (two satellites, a terminal, a gateway and
 * a PoP; bent pipe), gateway antenna limits, and Dijkstra against
 * Bellman-Ford on a +Grid Walker shell. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "orbnet/assign.h"
#include "orbnet/route.h"
#include "orbnet/vec.h"

#define RE ORB_WGS84_A_KM
#define DEG ORB_DEG
#define C ORB_C_KM_S

/* Sites on the equator: 0 terminal (lon 0), 1 gateway (lon 10), 2 PoP.
 * Satellites at 550 km: 0 above the terminal, 1 above the gateway. */
typedef struct hand {
    double x[2], y[2], z[2];
    orb_topo_t sites[3];
    orb_gsl_set_t *gsl;
    orb_isl_set_t *isl;
    orb_graph_t *g;
    orb_route_ws_t *ws;
} hand_t;

static void hand_setup(hand_t *h, double lon1_deg)
{
    double r = RE + 550;
    h->x[0] = r; h->y[0] = 0; h->z[0] = 0;
    h->x[1] = r * cos(lon1_deg * DEG); h->y[1] = r * sin(lon1_deg * DEG); h->z[1] = 0;
    orb_topo_init(&h->sites[0], 0, 0, 0);
    orb_topo_init(&h->sites[1], 0, 10 * DEG, 0);
    orb_topo_init(&h->sites[2], 0, 12 * DEG, 0);
    orb_sat_pos_t pos = {2, h->x, h->y, h->z, NULL};
    orb_gsl_params_t p = {25 * DEG, 0};
    h->gsl = orb_gsl_set_create(3);
    cr_assert_eq(orb_gsl_find_brute(&pos, h->sites, 3, &p, h->gsl), ORB_OK);
    orb_isl_set_t *cand = orb_isl_set_create();
    orb_isl_set_add(cand, 0, 1, 0);
    orb_isl_params_t ip = {ORB_ISL_PLUS_GRID, 0, 5000, 4, 80};
    h->isl = orb_isl_set_create();
    cr_assert_eq(orb_isl_filter(cand, &pos, &ip, h->isl), ORB_OK);
    orb_isl_set_destroy(cand);
    h->g = orb_graph_create();
    h->ws = orb_route_ws_create(5);
}

static void hand_teardown(hand_t *h)
{
    orb_gsl_set_destroy(h->gsl);
    orb_isl_set_destroy(h->isl);
    orb_graph_destroy(h->g);
    orb_route_ws_destroy(h->ws);
}

static double hand_rtt(hand_t *h, int laser, double fiber_ms, int32_t *nodes, size_t *nn)
{
    int32_t gw[1] = {1};
    int ant[3] = {1, 8, 0};
    orb_fiber_t f = {2, 1, fiber_ms};
    orb_graph_input_t in = {2, 3, laser ? h->isl : NULL, h->gsl, gw, 1, ant, &f, 1};
    cr_assert_eq(orb_graph_build(h->g, &in), ORB_OK);
    orb_seed_t seed = {orb_graph_site_node(h->g, 2), -1, 0};
    cr_assert_eq(orb_route_dijkstra(h->g, &seed, 1, h->ws), ORB_OK);
    /* the terminal's serving satellite is satellite 0 */
    const orb_gsl_t *l = h->gsl->links + h->gsl->offset[0];
    long k = orb_assign_find(l, h->gsl->offset[1], 0);
    cr_assert_geq(k, 0);
    double one_way = orb_link_delay_ms(l[k].range_km) + h->ws->dist_ms[0];
    *nn = orb_route_path(h->ws, 0, nodes, 8);
    return 2 * one_way;
}

Test(route, two_satellites_terminal_gateway_pop)
{
    hand_t h;
    hand_setup(&h, 10);
    double fiber_ms = 0.123;
    int32_t nodes[8];
    size_t nn;
    double rtt = hand_rtt(&h, 1, fiber_ms, nodes, &nn);
    /* on paper: 550 km up, a chord of 10 degrees at radius RE + 550,
       550 km down, then the fibre, all twice */
    double chord = 2 * (RE + 550) * sin(5 * DEG);
    double want = 2 * ((550 + chord + 550) / C * 1000 + fiber_ms);
    cr_assert_float_eq(rtt, want, 1e-9, "rtt %.9f want %.9f", rtt, want);
    /* path from the serving satellite: sat 0 > sat 1 > gateway > PoP */
    cr_assert_eq(nn, 4);
    cr_assert_eq(nodes[0], 0);
    cr_assert_eq(nodes[1], 1);
    cr_assert_eq(nodes[2], orb_graph_site_node(h.g, 1));
    cr_assert_eq(nodes[3], orb_graph_site_node(h.g, 2));
    /* never below the straight-line light time terminal -> PoP */
    double straight = 2 * RE * sin(6 * DEG);
    cr_assert_gt(rtt, 2 * straight / C * 1000);
    hand_teardown(&h);
}

Test(route, bent_pipe_needs_one_satellite_seeing_both)
{
    hand_t h;
    hand_setup(&h, 10);
    int32_t nodes[8];
    size_t nn;
    double rtt = hand_rtt(&h, 0, 0.1, nodes, &nn);
    cr_assert(isinf(rtt), "no satellite sees both terminal and gateway");
    cr_assert_eq(nn, 0);
    hand_teardown(&h);

    /* satellite 1 at lon 5 sees both (elevation about 44 deg from each);
       satellite 0 above the terminal does not see the gateway */
    hand_setup(&h, 5);
    orb_gsl_t *l = h.gsl->links;
    cr_assert_eq(h.gsl->offset[1] - h.gsl->offset[0], 2);
    double rtt_b = hand_rtt(&h, 0, 0.1, nodes, &nn);
    cr_assert(isinf(rtt_b), "the serving satellite 0 does not see the gateway");
    /* routed through satellite 1 instead: slant ranges by the law of cosines */
    double r = RE + 550, g = 2 * r * RE * cos(5 * DEG);
    double slant = sqrt(r * r + RE * RE - g);
    cr_assert_float_eq(l[1].range_km, slant, 1e-6);
    cr_assert_float_eq(h.ws->dist_ms[1], slant / C * 1000 + 0.1, 1e-9);
    hand_teardown(&h);
}

Test(route, gateway_antennas_take_the_highest)
{
    /* a gateway at lon 0 sees three satellites; with one antenna only the
       one overhead is linked */
    double r = RE + 550;
    double x[3] = {r * cos(2 * DEG), r, r * cos(-3 * DEG)};
    double y[3] = {r * sin(2 * DEG), 0, r * sin(-3 * DEG)};
    double z[3] = {0, 0, 0};
    orb_topo_t site;
    orb_topo_init(&site, 0, 0, 0);
    orb_sat_pos_t pos = {3, x, y, z, NULL};
    orb_gsl_params_t p = {25 * DEG, 0};
    orb_gsl_set_t *gsl = orb_gsl_set_create(1);
    orb_gsl_find_brute(&pos, &site, 1, &p, gsl);
    cr_assert_eq(gsl->offset[1], 3);
    int32_t gw[1] = {0};
    int ant[1] = {1};
    orb_graph_t *g = orb_graph_create();
    orb_graph_input_t in = {3, 1, NULL, gsl, gw, 1, ant, NULL, 0};
    orb_graph_build(g, &in);
    cr_assert_eq(g->edge_count, 1);
    cr_assert_eq(g->to[0], 1);
    ant[0] = 2;
    orb_graph_build(g, &in);
    cr_assert_eq(g->edge_count, 2);
    cr_assert_eq(g->to[0], 1);
    cr_assert_eq(g->to[1], 0);
    orb_graph_destroy(g);
    orb_gsl_set_destroy(gsl);
}

/* A Walker shell (circular orbits, P planes of S satellites, plane p's
 * slots advanced by phase_rad * p / N) placed analytically, with its +Grid
 * laser links (4 per satellite, no range limit). */
enum { WALKER_MAX = 120 };
typedef struct walker {
    int n;
    double x[WALKER_MAX], y[WALKER_MAX], z[WALKER_MAX];
    orb_sat_pos_t pos;
    orb_isl_set_t *isl;
} walker_t;

static void walker_setup(walker_t *w, int P, int S, double r, double inc, double phase_rad)
{
    int N = P * S, shell[WALKER_MAX], plane[WALKER_MAX], slot[WALKER_MAX];
    cr_assert_leq(N, WALKER_MAX);
    for (int p = 0; p < P; p++)
        for (int s = 0; s < S; s++) {
            int i = p * S + s;
            double raan = 2 * M_PI * p / P, u = 2 * M_PI * s / S + phase_rad * p / N;
            w->x[i] = r * (cos(raan) * cos(u) - sin(raan) * sin(u) * cos(inc));
            w->y[i] = r * (sin(raan) * cos(u) + cos(raan) * sin(u) * cos(inc));
            w->z[i] = r * sin(u) * sin(inc);
            shell[i] = 0;
            plane[i] = p;
            slot[i] = s;
        }
    w->n = N;
    w->pos = (orb_sat_pos_t){(size_t)N, w->x, w->y, w->z, NULL};
    orb_isl_set_t *cand = orb_isl_set_create();
    w->isl = orb_isl_set_create();
    cr_assert_eq(orb_isl_plus_grid((size_t)N, shell, plane, slot, NULL, 4, cand), ORB_OK);
    orb_isl_params_t ip = {ORB_ISL_PLUS_GRID, 0, 0, 4, 80};
    orb_isl_filter(cand, &w->pos, &ip, w->isl);
    orb_isl_set_destroy(cand);
}

/* A Walker shell (circular orbits at 550 km, 53 deg, P x S, phasing 1)
 * placed analytically; +Grid links; Dijkstra from a satellite compared with
 * Bellman-Ford (an independent algorithm) over the same edges. */
Test(route, walker_plus_grid_matches_bellman_ford)
{
    enum { P = 12, S = 10, N = P * S };
    double r = RE + 550;
    static walker_t w;
    walker_setup(&w, P, S, r, 53 * DEG, 2 * M_PI);
    const double *x = w.x, *y = w.y, *z = w.z;
    orb_isl_set_t *isl = w.isl;
    cr_assert_eq(isl->count, 2 * N);
    orb_graph_t *g = orb_graph_create();
    orb_graph_input_t in = {N, 0, isl, NULL, NULL, 0, NULL, NULL, 0};
    cr_assert_eq(orb_graph_build(g, &in), ORB_OK);
    orb_route_ws_t *ws = orb_route_ws_create(N);
    orb_seed_t seed = {0, -1, 0};
    cr_assert_eq(orb_route_dijkstra(g, &seed, 1, ws), ORB_OK);
    static double bf[N];
    for (int i = 0; i < N; i++)
        bf[i] = INFINITY;
    bf[0] = 0;
    for (int it = 0; it < N; it++)
        for (size_t k = 0; k < isl->count; k++) {
            int a = isl->a[k], b = isl->b[k];
            double d = isl->length_km[k] / C * 1000;
            if (bf[a] + d < bf[b]) bf[b] = bf[a] + d;
            if (bf[b] + d < bf[a]) bf[a] = bf[b] + d;
        }
    for (int i = 0; i < N; i++)
        cr_assert_float_eq(ws->dist_ms[i], bf[i], 1e-9, "sat %d", i);
    /* in-plane: two slots along the ring are two chords of 36 degrees */
    double chord = 2 * r * sin(M_PI / S);
    cr_assert_float_eq(ws->dist_ms[2], 2 * chord / C * 1000, 1e-9);
    int32_t nodes[N];
    cr_assert_eq(orb_route_path(ws, 2, nodes, N), 3);
    cr_assert_eq(nodes[1], 1);
    /* every path's delay equals the sum of its link delays */
    for (int i = 1; i < N; i++) {
        size_t n = orb_route_path(ws, i, nodes, N);
        double sum = 0;
        for (size_t q = 0; q + 1 < n; q++) {
            double a[3] = {x[nodes[q]], y[nodes[q]], z[nodes[q]]};
            double b[3] = {x[nodes[q + 1]], y[nodes[q + 1]], z[nodes[q + 1]]};
            sum += orb_vec_dist(a, b) / C * 1000;
        }
        cr_assert_float_eq(sum, ws->dist_ms[i], 1e-9);
    }
    orb_route_ws_destroy(ws);
    orb_graph_destroy(g);
    orb_isl_set_destroy(isl);
}

/* A zero-delay fibre leg (a PoP on top of its gateway) makes the bucket
 * width zero, so the search falls back to the binary heap: both must give
 * the same distances. */
Test(route, heap_and_bucket_queue_agree)
{
    enum { P = 8, S = 9, N = P * S };
    static walker_t w;
    walker_setup(&w, P, S, ORB_WGS84_A_KM + 600, 60 * DEG, M_PI);
    orb_isl_set_t *isl = w.isl;
    orb_gsl_set_t *gsl = orb_gsl_set_create(2);
    orb_topo_t sites[2];
    orb_topo_init(&sites[0], 0, 0, 0);
    orb_topo_init(&sites[1], 0, 0, 0);
    orb_gsl_params_t gp = {10 * DEG, 0};
    orb_gsl_find_brute(&w.pos, sites, 2, &gp, gsl);
    int32_t gw[1] = {0};
    orb_fiber_t fz = {1, 0, 0.0}, fnz = {1, 0, 0.5};
    orb_graph_t *g = orb_graph_create();
    orb_route_ws_t *a = orb_route_ws_create(N + 2), *b = orb_route_ws_create(N + 2);
    orb_seed_t seeds[2] = {{5, -1, 0.7}, {40, -1, 1.3}};
    orb_graph_input_t in = {N, 2, isl, gsl, gw, 1, NULL, &fnz, 1};
    cr_assert_eq(orb_graph_build(g, &in), ORB_OK);
    cr_assert_gt(g->min_delay_ms, 0); /* bucket queue */
    cr_assert_eq(orb_route_dijkstra(g, seeds, 2, a), ORB_OK);
    in.fibers = &fz;
    cr_assert_eq(orb_graph_build(g, &in), ORB_OK);
    cr_assert_eq(g->min_delay_ms, 0); /* heap */
    cr_assert_eq(orb_route_dijkstra(g, seeds, 2, b), ORB_OK);
    for (int i = 0; i < N; i++) {
        cr_assert(isfinite(a->dist_ms[i]));
        cr_assert_float_eq(a->dist_ms[i], b->dist_ms[i], 1e-12, "sat %d", i);
    }
    orb_route_ws_destroy(a);
    orb_route_ws_destroy(b);
    orb_graph_destroy(g);
    orb_gsl_set_destroy(gsl);
    orb_isl_set_destroy(isl);
}
