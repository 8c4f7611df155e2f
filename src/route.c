/* route.c: the step graph in CSR form and Dijkstra with an indexed binary
 * heap; all memory is kept between steps. */
#include "orbnet/route.h"

#include <math.h>
#include <string.h>

#include "alloc.h"

struct orb__edge {
    double delay_ms;
    int32_t to;
};

orb_graph_t *orb_graph_create(void)
{
    return orb__calloc(1, sizeof(orb_graph_t));
}

void orb_graph_destroy(orb_graph_t *g)
{
    if (!g)
        return;
    orb__free(g->start);
    orb__free(g->to);
    orb__free(g->delay_ms);
    orb__free(g->edges);
    orb__free(g->e_from);
    orb__free(g->e_to);
    orb__free(g->e_delay);
    orb__free(g);
}

static int add_edge(orb_graph_t *g, int32_t from, int32_t to, double delay_ms)
{
    if (g->e_count == g->e_cap) {
        size_t cap = g->e_cap ? 2 * g->e_cap : 1024;
        int32_t *f = orb__realloc(g->e_from, cap * sizeof *f);
        if (!f)
            return ORB_ENOMEM;
        g->e_from = f;
        int32_t *t = orb__realloc(g->e_to, cap * sizeof *t);
        if (!t)
            return ORB_ENOMEM;
        g->e_to = t;
        double *d = orb__realloc(g->e_delay, cap * sizeof *d);
        if (!d)
            return ORB_ENOMEM;
        g->e_delay = d;
        g->e_cap = cap;
    }
    g->e_from[g->e_count] = from;
    g->e_to[g->e_count] = to;
    g->e_delay[g->e_count] = delay_ms;
    g->e_count++;
    return ORB_OK;
}

/* Picks the `a` highest-elevation links of a gateway (ties to the lower
 * satellite index, which the run's order already gives) and adds
 * gateway -> satellite edges for them.  Small a: repeated selection. */
static int gateway_edges(orb_graph_t *g, int32_t node, const orb_gsl_t *l,
                         size_t n, int a)
{
    if (a <= 0 || (size_t)a >= n) {
        for (size_t k = 0; k < n; k++)
            if (add_edge(g, node, l[k].sat, orb_link_delay_ms(l[k].range_km)))
                return ORB_ENOMEM;
        return ORB_OK;
    }
    float last = INFINITY;
    int32_t last_sat = -1;
    for (int taken = 0; taken < a; taken++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++) {
            /* strictly after the previous pick in (elevation desc, sat asc) */
            if (l[k].sin_elevation > last ||
                (l[k].sin_elevation == last && l[k].sat <= last_sat))
                continue;
            if (best == n || l[k].sin_elevation > l[best].sin_elevation)
                best = k;
        }
        if (best == n)
            break;
        last = l[best].sin_elevation;
        last_sat = l[best].sat;
        if (add_edge(g, node, l[best].sat, orb_link_delay_ms(l[best].range_km)))
            return ORB_ENOMEM;
    }
    return ORB_OK;
}

static int collect_edges(orb_graph_t *g, const orb_graph_input_t *in)
{
    g->e_count = 0;
    if (in->isl)
        for (size_t k = 0; k < in->isl->count; k++) {
            double d = orb_link_delay_ms(in->isl->length_km[k]);
            if (add_edge(g, in->isl->a[k], in->isl->b[k], d) ||
                add_edge(g, in->isl->b[k], in->isl->a[k], d))
                return ORB_ENOMEM;
        }
    for (size_t k = 0; k < in->gateway_count; k++) {
        int32_t s = in->gateways[k];
        const orb_gsl_t *l = in->gsl->links + in->gsl->offset[s];
        size_t n = in->gsl->offset[s + 1] - in->gsl->offset[s];
        int a = in->antennas ? in->antennas[s] : 0;
        if (gateway_edges(g, orb_graph_site_node(g, (size_t)s), l, n, a))
            return ORB_ENOMEM;
    }
    for (size_t k = 0; k < in->fiber_count; k++) {
        const orb_fiber_t *f = &in->fibers[k];
        if (add_edge(g, orb_graph_site_node(g, (size_t)f->pop),
                     orb_graph_site_node(g, (size_t)f->gateway), f->delay_ms))
            return ORB_ENOMEM;
    }
    return ORB_OK;
}

static int reserve_csr(orb_graph_t *g)
{
    if (g->node_count + 1 > g->node_cap) {
        int32_t *s = orb__realloc(g->start, (g->node_count + 1) * sizeof *s);
        if (!s)
            return ORB_ENOMEM;
        g->start = s;
        g->node_cap = g->node_count + 1;
    }
    if (g->e_count > g->edge_cap) {
        size_t cap = g->e_cap;
        int32_t *t = orb__realloc(g->to, cap * sizeof *t);
        if (!t)
            return ORB_ENOMEM;
        g->to = t;
        double *d = orb__realloc(g->delay_ms, cap * sizeof *d);
        if (!d)
            return ORB_ENOMEM;
        g->delay_ms = d;
        struct orb__edge *ed = orb__realloc(g->edges, cap * sizeof *ed);
        if (!ed)
            return ORB_ENOMEM;
        g->edges = ed;
        g->edge_cap = cap;
    }
    return ORB_OK;
}

int orb_graph_build(orb_graph_t *g, const orb_graph_input_t *in)
{
    g->sat_count = in->sat_count;
    g->site_count = in->site_count;
    g->node_count = in->sat_count + in->site_count;
    if (collect_edges(g, in) || reserve_csr(g))
        return ORB_ENOMEM;
    memset(g->start, 0, (g->node_count + 1) * sizeof *g->start);
    for (size_t e = 0; e < g->e_count; e++)
        g->start[g->e_from[e] + 1]++;
    for (size_t u = 0; u < g->node_count; u++)
        g->start[u + 1] += g->start[u];
    /* stable fill keeps each node's edges in insertion order */
    for (size_t e = 0; e < g->e_count; e++) {
        int32_t pos = g->start[g->e_from[e]]++;
        g->to[pos] = g->e_to[e];
        g->delay_ms[pos] = g->e_delay[e];
        g->edges[pos] = (struct orb__edge){g->e_delay[e], g->e_to[e]};
    }
    for (size_t u = g->node_count; u > 0; u--)
        g->start[u] = g->start[u - 1];
    g->start[0] = 0;
    g->edge_count = g->e_count;
    g->min_delay_ms = g->max_delay_ms = 0;
    for (size_t e = 0; e < g->e_count; e++) {
        double d = g->e_delay[e];
        if (e == 0 || d < g->min_delay_ms)
            g->min_delay_ms = d;
        if (d > g->max_delay_ms)
            g->max_delay_ms = d;
    }
    return ORB_OK;
}

/* ---- Dijkstra ---- */

orb_route_ws_t *orb_route_ws_create(size_t node_count)
{
    orb_route_ws_t *ws = orb__calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->node_cap = node_count;
    ws->dist_ms = orb__calloc(node_count + 1, sizeof *ws->dist_ms);
    ws->next = orb__calloc(node_count + 1, sizeof *ws->next);
    ws->heap = orb__calloc(node_count + 1, sizeof *ws->heap);
    ws->heap_pos = orb__calloc(node_count + 1, sizeof *ws->heap_pos);
    if (!ws->dist_ms || !ws->next || !ws->heap || !ws->heap_pos) {
        orb_route_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

void orb_route_ws_destroy(orb_route_ws_t *ws)
{
    if (!ws)
        return;
    orb__free(ws->dist_ms);
    orb__free(ws->next);
    orb__free(ws->heap);
    orb__free(ws->heap_pos);
    orb__free(ws->bucket);
    orb__free(ws->ent);
    orb__free(ws);
}

/* Heap order: smaller distance first, then smaller node number, so that
 * the result never depends on insertion history. */
static int before(const orb_route_ws_t *ws, int32_t a, int32_t b)
{
    double da = ws->dist_ms[a], db = ws->dist_ms[b];
    return da < db || (da == db && a < b);
}

static void heap_place(orb_route_ws_t *ws, size_t i, int32_t v)
{
    ws->heap[i] = v;
    ws->heap_pos[v] = (int32_t)i;
}

static void sift_up(orb_route_ws_t *ws, size_t i)
{
    int32_t v = ws->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(ws, v, ws->heap[p]))
            break;
        heap_place(ws, i, ws->heap[p]);
        i = p;
    }
    heap_place(ws, i, v);
}

static void sift_down(orb_route_ws_t *ws, size_t i, size_t n)
{
    int32_t v = ws->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(ws, ws->heap[c + 1], ws->heap[c]))
            c++;
        if (!before(ws, ws->heap[c], v))
            break;
        heap_place(ws, i, ws->heap[c]);
        i = c;
    }
    heap_place(ws, i, v);
}

/* Lowers v's distance to d (via next) and queues or re-sifts it. */
static void relax(orb_route_ws_t *ws, size_t *n, int32_t v, double d, int32_t next)
{
    ws->dist_ms[v] = d;
    ws->next[v] = next;
    if (ws->heap_pos[v] < 0) {
        heap_place(ws, *n, v);
        (*n)++;
    }
    sift_up(ws, (size_t)ws->heap_pos[v]);
}

static int heap_dijkstra(const orb_graph_t *g, const orb_seed_t *seeds,
                         size_t seed_count, orb_route_ws_t *ws)
{
    size_t nn = g->node_count;
    for (size_t v = 0; v < nn; v++)
        ws->heap_pos[v] = -1;
    size_t n = 0;
    for (size_t k = 0; k < seed_count; k++) {
        int32_t v = seeds[k].node;
        if (v < 0 || (size_t)v >= nn)
            return ORB_EINVAL;
        if (seeds[k].delay_ms < ws->dist_ms[v])
            relax(ws, &n, v, seeds[k].delay_ms, seeds[k].next);
    }
    while (n > 0) {
        int32_t u = ws->heap[0];
        ws->heap_pos[u] = -2; /* settled */
        n--;
        if (n > 0) {
            heap_place(ws, 0, ws->heap[n]);
            sift_down(ws, 0, n);
        }
        double du = ws->dist_ms[u];
        for (int32_t e = g->start[u]; e < g->start[u + 1]; e++) {
            int32_t v = g->to[e];
            double d = du + g->delay_ms[e];
            if (d < ws->dist_ms[v] && ws->heap_pos[v] != -2)
                relax(ws, &n, v, d, u);
        }
    }
    return ORB_OK;
}

/* ---- bucket queue ---- */

typedef struct bq {
    orb_route_ws_t *ws;
    double inv_width;
    size_t mask;    /* buckets in the ring - 1 (a power of two) */
    size_t used;    /* entries taken from the pool */
} bq_t;

struct orb__bq_entry {
    double d;
    int32_t v, next;
};

static int bq_reserve(orb_route_ws_t *ws, size_t nb, size_t entries)
{
    if (nb > ws->bucket_cap) {
        int32_t *b = orb__realloc(ws->bucket, nb * sizeof *b);
        if (!b)
            return ORB_ENOMEM;
        ws->bucket = b;
        ws->bucket_cap = nb;
    }
    if (entries > ws->ent_cap) {
        struct orb__bq_entry *e = orb__realloc(ws->ent, entries * sizeof *e);
        if (!e)
            return ORB_ENOMEM;
        ws->ent = e;
        ws->ent_cap = entries;
    }
    return ORB_OK;
}

static void bq_push(bq_t *q, int32_t v, double d)
{
    orb_route_ws_t *ws = q->ws;
    size_t b = (size_t)(d * q->inv_width) & q->mask;
    int32_t e = (int32_t)q->used++;
    ws->ent[e] = (struct orb__bq_entry){d, v, ws->bucket[b]};
    ws->bucket[b] = e;
}

/* Settles the entries of bucket b (and any that land in it meanwhile);
 * returns how many entries it took out. */
static size_t bq_settle(bq_t *q, const orb_graph_t *g, size_t b)
{
    orb_route_ws_t *ws = q->ws;
    size_t taken = 0;
    while (ws->bucket[b] >= 0) {
        int32_t e = ws->bucket[b];
        ws->bucket[b] = -1;
        for (; e >= 0; e = ws->ent[e].next) {
            taken++;
            int32_t u = ws->ent[e].v;
            double du = ws->ent[e].d;
            if (du != ws->dist_ms[u])
                continue; /* improved since: a newer entry exists */
            const struct orb__edge *ed = g->edges;
            for (int32_t k = g->start[u]; k < g->start[u + 1]; k++) {
                int32_t v = ed[k].to;
                double d = du + ed[k].delay_ms;
                if (d < ws->dist_ms[v]) {
                    ws->dist_ms[v] = d;
                    ws->next[v] = u;
                    bq_push(q, v, d);
                }
            }
        }
    }
    return taken;
}

static int bucket_dijkstra(const orb_graph_t *g, const orb_seed_t *seeds,
                           size_t seed_count, orb_route_ws_t *ws)
{
    double lo = INFINITY, hi = 0;
    for (size_t k = 0; k < seed_count; k++)
        if (isfinite(seeds[k].delay_ms)) {
            lo = fmin(lo, seeds[k].delay_ms);
            hi = fmax(hi, seeds[k].delay_ms);
        }
    if (!isfinite(lo))
        return ORB_OK;
    /* a hair under the smallest edge, so rounding never puts a node's
       successor into its own bucket */
    double width = g->min_delay_ms * (1 - 1e-9);
    size_t need = (size_t)((g->max_delay_ms + (hi - lo)) / width) + 3, nb = 1;
    while (nb < need)
        nb *= 2;
    bq_t q = {ws, 1.0 / width, nb - 1, 0};
    if (bq_reserve(ws, nb, seed_count + g->edge_count + 1))
        return ORB_ENOMEM;
    for (size_t b = 0; b < nb; b++)
        ws->bucket[b] = -1;
    for (size_t k = 0; k < seed_count; k++) {
        int32_t v = seeds[k].node;
        if (isfinite(seeds[k].delay_ms) && seeds[k].delay_ms < ws->dist_ms[v]) {
            ws->dist_ms[v] = seeds[k].delay_ms;
            ws->next[v] = seeds[k].next;
            bq_push(&q, v, seeds[k].delay_ms);
        }
    }
    size_t done = 0;
    for (size_t b = (size_t)(lo * q.inv_width); done < q.used; b++)
        done += bq_settle(&q, g, b & q.mask);
    return ORB_OK;
}

int orb_route_dijkstra(const orb_graph_t *g, const orb_seed_t *seeds,
                       size_t seed_count, orb_route_ws_t *ws)
{
    size_t nn = g->node_count;
    if (nn > ws->node_cap)
        return ORB_EINVAL;
    for (size_t k = 0; k < seed_count; k++)
        if (seeds[k].node < 0 || (size_t)seeds[k].node >= nn || !(seeds[k].delay_ms >= 0))
            return ORB_EINVAL;
    for (size_t v = 0; v < nn; v++) {
        ws->dist_ms[v] = INFINITY;
        ws->next[v] = -1;
    }
    if (g->edge_count > 0 && g->min_delay_ms > 0 &&
        g->min_delay_ms * 4096 >= g->max_delay_ms)
        return bucket_dijkstra(g, seeds, seed_count, ws);
    return heap_dijkstra(g, seeds, seed_count, ws);
}

size_t orb_route_path(const orb_route_ws_t *ws, int32_t from, int32_t *nodes, size_t max)
{
    if (from < 0 || (size_t)from >= ws->node_cap || isinf(ws->dist_ms[from]))
        return 0;
    size_t n = 0;
    for (int32_t v = from; v >= 0 && n < max; v = ws->next[v])
        nodes[n++] = v;
    return n;
}

long orb_route_best_entry(const orb_route_ws_t *ws, const orb_gsl_t *links,
                          size_t n, double *delay_ms)
{
    long best = -1;
    double bd = INFINITY;
    for (size_t k = 0; k < n; k++) {
        double d = orb_link_delay_ms(links[k].range_km) + ws->dist_ms[links[k].sat];
        if (d < bd) {
            bd = d;
            best = (long)k;
        }
    }
    *delay_ms = bd;
    return best;
}
