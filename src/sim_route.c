/* sim_route.c: routes at one instant: between two sites with the
 * scenario's rules (orbnet route), and all pairs of a set of sites over
 * laser links (benchmarks, the Hypatia comparison). */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/vec.h"
#include "sim_internal.h"

const char *orb_node_kind_name(orb_node_kind_t k)
{
    switch (k) {
    case ORB_NODE_SATELLITE: return "satellite";
    case ORB_NODE_TERMINAL: return "terminal";
    case ORB_NODE_GATEWAY: return "gateway";
    case ORB_NODE_POP: return "pop";
    }
    return "?";
}

void orb_route_result_free(orb_route_result_t *r)
{
    if (!r)
        return;
    orb__free(r->nodes);
    r->nodes = NULL;
    r->node_count = r->hop_count = 0;
}

/* Position and description of node v at this step. */
static void describe(const orb_sim_t *sim, const orb__step_t *w, int32_t v, orb_route_hop_t *h)
{
    memset(h, 0, sizeof *h);
    if ((size_t)v < sim->nsat) {
        double r[3] = {w->st->x_km[v], w->st->y_km[v], w->st->z_km[v]}, lat, lon;
        orb_ecef_to_geodetic(r, &lat, &lon, &h->alt_km);
        h->kind = ORB_NODE_SATELLITE;
        h->index = v;
        h->lat_deg = lat / ORB_DEG;
        h->lon_deg = lon / ORB_DEG;
        h->name = orb__node_name(sim, v);
        return;
    }
    size_t s = (size_t)v - sim->nsat;
    const orb_ground_t *g = sim->gnd;
    h->kind = g->role[s] == ORB_SITE_GATEWAY ? ORB_NODE_GATEWAY
              : g->role[s] == ORB_SITE_POP   ? ORB_NODE_POP
                                             : ORB_NODE_TERMINAL;
    h->index = (long)s;
    h->lat_deg = g->lat_rad[s] / ORB_DEG;
    h->lon_deg = g->lon_rad[s] / ORB_DEG;
    h->alt_km = g->alt_km[s];
    h->name = g->name[s];
}

static void node_pos(const orb_sim_t *sim, const orb__step_t *w, int32_t v, double r[3])
{
    if ((size_t)v < sim->nsat) {
        r[0] = w->st->x_km[v];
        r[1] = w->st->y_km[v];
        r[2] = w->st->z_km[v];
    } else {
        memcpy(r, sim->gnd->topo[(size_t)v - sim->nsat].r_ecef_km, 3 * sizeof(double));
    }
}

/* Length and delay of the link a -> b: fibre between a PoP and a gateway,
 * straight line otherwise. */
static void link_of(const orb_sim_t *sim, const orb__step_t *w, int32_t a, int32_t b,
                    orb_route_hop_t *h)
{
    int sa = (size_t)a >= sim->nsat, sb = (size_t)b >= sim->nsat;
    if (sa && sb) {
        size_t i = (size_t)a - sim->nsat, j = (size_t)b - sim->nsat;
        const orb_ground_t *g = sim->gnd;
        h->delay_ms = orb_ground_fiber_ms(g, i, j, sim->sc->fiber_factor);
        h->length_km = h->delay_ms / 1000.0 * ORB_FIBER_KM_S;
        return;
    }
    double ra[3], rb[3];
    node_pos(sim, w, a, ra);
    node_pos(sim, w, b, rb);
    h->length_km = orb_vec_dist(ra, rb);
    h->delay_ms = orb_link_delay_ms(h->length_km);
}

/* Entry links of a source site: a terminal's policy pick (any: all), a
 * gateway's antenna satellites (its graph edges). */
static double best_from(const orb_sim_t *sim, orb__step_t *w, size_t src, int32_t *first)
{
    *first = -1;
    int32_t node = orb_graph_site_node(w->g, src);
    double best = INFINITY;
    if (sim->gnd->role[src] == ORB_SITE_GATEWAY) {
        for (int32_t e = w->g->start[node]; e < w->g->start[node + 1]; e++) {
            double d = w->g->delay_ms[e] + w->rw->dist_ms[w->g->to[e]];
            if (d < best) {
                best = d;
                *first = w->g->to[e];
            }
        }
        return best;
    }
    size_t n;
    const orb_gsl_t *l = orb__site_links(w, src, &n);
    if (sim->sc->assignment == ORB_ASSIGN_ANY) {
        long k = orb_route_best_entry(w->rw, l, n, &best);
        if (k >= 0 && !isinf(best))
            *first = l[k].sat;
        return best;
    }
    int32_t pick = orb__site_pick(sim, w, src);
    long k = pick >= 0 ? orb_assign_find(l, n, pick) : -1;
    if (k < 0)
        return INFINITY;
    *first = pick;
    return orb_link_delay_ms(l[k].range_km) + w->rw->dist_ms[pick];
}

static int fill_result(const orb_sim_t *sim, orb__step_t *w, size_t src, int32_t first,
                       double one_way, int reverse, orb_route_result_t *out)
{
    w->path[0] = orb_graph_site_node(w->g, src);
    size_t n = 1 + orb_route_path(w->rw, first, w->path + 1, w->g->node_count);
    if (reverse)
        for (size_t i = 0; i < n / 2; i++) {
            int32_t t = w->path[i];
            w->path[i] = w->path[n - 1 - i];
            w->path[n - 1 - i] = t;
        }
    out->nodes = orb__calloc(n, sizeof *out->nodes);
    if (!out->nodes)
        return ORB_ENOMEM;
    out->node_count = n;
    out->hop_count = n - 1;
    out->rtt_ms = 2 * one_way;
    for (size_t i = 0; i < n; i++) {
        describe(sim, w, w->path[i], &out->nodes[i]);
        if (i + 1 < n)
            link_of(sim, w, w->path[i], w->path[i + 1], &out->nodes[i]);
    }
    return ORB_OK;
}

int orb_sim_route(orb_sim_t *sim, size_t from_site, size_t to_site, orb_time_t t,
                  orb_route_result_t *out, orb_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->rtt_ms = INFINITY;
    const orb_ground_t *g = sim->gnd;
    if (from_site >= g->count || to_site >= g->count || from_site == to_site)
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, NULL,
                             "the two ends of a route must be two different sites");
    int reverse = g->role[from_site] == ORB_SITE_POP;
    if (reverse && g->role[to_site] == ORB_SITE_POP)
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, NULL,
                             "both ends are PoPs: they are joined by fibre, not by satellites");
    size_t src = reverse ? to_site : from_site, dst = reverse ? from_site : to_site;
    orb__step_t *w = orb__step_create(sim);
    int rc = w ? orb__step_build(sim, w, t) : ORB_ENOMEM;
    long ns = rc ? -1 : orb__seed_site(sim, w, dst, sim->sc->assignment == ORB_ASSIGN_ANY);
    if (ns < 0 || orb_route_dijkstra(w->g, w->seeds, (size_t)ns, w->rw)) {
        orb__step_destroy(w);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    int32_t first;
    double one_way = best_from(sim, w, src, &first);
    rc = ORB_OK;
    if (!isinf(one_way) && first >= 0)
        rc = fill_result(sim, w, src, first, one_way, reverse, out);
    orb__step_destroy(w);
    return rc ? orb_error_set(err, rc, NULL, 0, 0, NULL, "out of memory") : ORB_OK;
}

/* One thread's search workspace for orb_sim_all_pairs. */
struct orb__pair_lane {
    orb_route_ws_t *rw;
    orb_seed_t *seeds;
    size_t seed_cap;
};

void orb__pair_lanes_free(orb_sim_t *sim)
{
    for (size_t k = 0; k < sim->lane_count; k++) {
        orb_route_ws_destroy(sim->lanes[k].rw);
        orb__free(sim->lanes[k].seeds);
    }
    orb__free(sim->lanes);
    sim->lanes = NULL;
    sim->lane_count = 0;
}

static int pair_lanes(orb_sim_t *sim, size_t n)
{
    if (sim->lane_count >= n)
        return ORB_OK;
    orb__pair_lanes_free(sim);
    sim->lanes = orb__calloc(n, sizeof *sim->lanes);
    if (!sim->lanes)
        return ORB_ENOMEM;
    sim->lane_count = n;
    for (size_t k = 0; k < n; k++)
        if (!(sim->lanes[k].rw = orb_route_ws_create(sim->nsat + sim->nsite)))
            return ORB_ENOMEM;
    return ORB_OK;
}

/* Seeds toward site dest entering through any satellite it sees (a PoP or
 * gateway: itself). Returns the count, -1 when out of memory. */
static long pair_seeds(const orb_sim_t *sim, const orb__step_t *w, struct orb__pair_lane *p,
                       size_t dest)
{
    size_t n;
    const orb_gsl_t *l = orb__site_links(w, dest, &n);
    if (orb__grow((void **)&p->seeds, &p->seed_cap, n + 1, sizeof *p->seeds))
        return -1;
    int32_t node = orb_graph_site_node(w->g, dest);
    if (sim->gnd->role[dest] != ORB_SITE_TERMINAL) {
        p->seeds[0] = (orb_seed_t){node, -1, 0};
        return 1;
    }
    for (size_t q = 0; q < n; q++)
        p->seeds[q] = (orb_seed_t){l[q].sat, node, orb_link_delay_ms(l[q].range_km)};
    return (long)n;
}

/* Column j: the RTTs from every site to site j. */
static int pair_column(const orb_sim_t *sim, const orb__step_t *w, struct orb__pair_lane *p,
                       const size_t *sites, size_t n, size_t j, double *rtt_ms)
{
    long ns = pair_seeds(sim, w, p, sites[j]);
    if (ns < 0 || orb_route_dijkstra(w->g, p->seeds, (size_t)ns, p->rw))
        return ORB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t nl;
        const orb_gsl_t *l = orb__site_links(w, sites[i], &nl);
        double d;
        orb_route_best_entry(p->rw, l, nl, &d);
        rtt_ms[i * n + j] = i == j ? 0 : 2 * d;
    }
    return ORB_OK;
}

int orb_sim_all_pairs(orb_sim_t *sim, const size_t *sites, size_t n, orb_time_t t,
                      double *rtt_ms)
{
    if (!sim->scratch && !(sim->scratch = orb__step_create(sim)))
        return ORB_ENOMEM;
    orb__step_t *w = sim->scratch;
    int threads = omp_get_max_threads();
    if (orb__step_build(sim, w, t) || pair_lanes(sim, (size_t)threads))
        return ORB_ENOMEM;
    int rc = ORB_OK;
    /* the searches only read the step's graph: one column per thread */
#pragma omp parallel for schedule(dynamic, 4) num_threads(threads)
    for (long j = 0; j < (long)n; j++) {
        struct orb__pair_lane *p = &sim->lanes[omp_get_thread_num()];
        if (pair_column(sim, w, p, sites, n, (size_t)j, rtt_ms)) {
#pragma omp atomic write
            rc = ORB_ENOMEM;
        }
    }
    return rc;
}
