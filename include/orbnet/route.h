/* route.h: the routing graph of one step in compressed sparse rows and
 * shortest paths by latency (Dijkstra with a bucket queue or a heap, run from
 * each destination), with workspaces reused from step to step. */
#ifndef ORBNET_ROUTE_H
#define ORBNET_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "orbnet/links.h"

/* Nodes: satellites 0 .. sat_count-1, then sites sat_count .. +site_count.
 * Edges are directed the way Dijkstra expands from a destination: an edge
 * u -> v with delay d means "traffic at v may go to u, taking d ms".  The
 * step's graph holds laser links (both ways), gateway -> satellite for each
 * satellite a gateway's antennas hold, and PoP -> gateway fibre.  There is
 * no satellite -> gateway and no terminal edge, so ground sites never relay:
 * a gateway is entered only from its PoP side, and terminals appear only as
 * path ends (seeds and sources). */
typedef struct orb_graph {
    size_t sat_count, site_count, node_count;
    size_t edge_count;
    double min_delay_ms, max_delay_ms; /* over edges (0 when none) */
    int32_t *start;     /* node_count + 1: edges of u are [start[u], start[u+1]) */
    int32_t *to;
    double *delay_ms;
    struct orb__edge *edges; /* the same edges interleaved, for the search */
    size_t edge_cap, node_cap;
    /* scratch for building: unsorted edges */
    int32_t *e_from, *e_to;
    double *e_delay;
    size_t e_count, e_cap;
} orb_graph_t;

/* One PoP-gateway fibre leg (site indices, not node numbers). */
typedef struct orb_fiber {
    int32_t pop, gateway;
    double delay_ms;
} orb_fiber_t;

/* What the graph of one step is made of.  gsl are the candidate ground
 * links of every site (site-indexed); only gateways' are used, and of each
 * gateway at most antennas[site] satellites (the highest in elevation, ties
 * to the lower index; antennas NULL or <= 0 means all visible).  isl may be
 * NULL (bent pipe: no laser links).  Fibre legs are added as PoP -> gateway
 * edges; a gateway listed in gateway_down (may be NULL) gets no edge. */
typedef struct orb_graph_input {
    size_t sat_count, site_count;
    const orb_isl_set_t *isl;
    const orb_gsl_set_t *gsl;
    const int32_t *gateways;   /* gateway site indices */
    size_t gateway_count;
    const int *antennas;       /* per site */
    const orb_fiber_t *fibers;
    size_t fiber_count;
} orb_graph_input_t;

/* Allocates an empty graph; NULL when out of memory. */
orb_graph_t *orb_graph_create(void);
void orb_graph_destroy(orb_graph_t *g);

/* (Re)builds g for one step.  Memory is linear in satellites + links and is
 * reused: after the first steps no allocation happens.  Returns ORB_OK or
 * ORB_ENOMEM. */
int orb_graph_build(orb_graph_t *g, const orb_graph_input_t *in);

/* Node number of site i. */
static inline int32_t orb_graph_site_node(const orb_graph_t *g, size_t site)
{
    return (int32_t)(g->sat_count + site);
}

/* A starting point of a search: node with its delay to the destination and
 * the next node on the way there (-1 for the destination itself). */
typedef struct orb_seed {
    int32_t node;
    int32_t next;
    double delay_ms;
} orb_seed_t;

/* Dijkstra's results and scratch, sized for a node count. */
typedef struct orb_route_ws {
    size_t node_cap;
    double *dist_ms;  /* one-way delay from each node to the destination, INFINITY if none */
    int32_t *next;    /* next node toward the destination; -1 at a seed's end */
    int32_t *heap;
    int32_t *heap_pos;/* position in heap, -1 when not queued */
    /* bucket queue (private): lists of (node, distance) entries */
    int32_t *bucket;
    size_t bucket_cap;
    struct orb__bq_entry *ent;
    size_t ent_cap;
} orb_route_ws_t;

orb_route_ws_t *orb_route_ws_create(size_t node_count);
void orb_route_ws_destroy(orb_route_ws_t *ws);

/* Shortest one-way delays from every node to the destination described by
 * the seeds (several seeds give "the nearest of them").  When the graph's
 * edge delays are within a factor 4096 of each other it runs as a bucket
 * queue of width (a hair under) the smallest edge delay: nodes in one
 * bucket cannot improve each other, so they settle in any order and the
 * distances are exact (Dial's idea with wide buckets); otherwise with an
 * indexed binary heap.  Ties between equally short paths are broken
 * deterministically (only the input decides).  Workspace arrays grow on
 * first use and are then reused.  Returns ORB_OK, ORB_ENOMEM, or ORB_EINVAL
 * when the workspace is too small or a seed is out of range. */
int orb_route_dijkstra(const orb_graph_t *g, const orb_seed_t *seeds,
                       size_t seed_count, orb_route_ws_t *ws);

/* Follows next[] from node `from` and writes the nodes (from first) into
 * nodes[0..max).  Returns the number of nodes on the path, 0 when from is
 * unreachable; never more than max (a longer path is cut, which cannot
 * happen with max >= node count). */
size_t orb_route_path(const orb_route_ws_t *ws, int32_t from, int32_t *nodes, size_t max);

/* The best way in for a site that reaches the network through candidate
 * links links[0..n): min over them of link delay + dist_ms[sat].  Returns
 * the index in links of the best one (ties to the first) or -1 when none
 * reaches the destination; *delay_ms gets the one-way total. */
long orb_route_best_entry(const orb_route_ws_t *ws, const orb_gsl_t *links,
                          size_t n, double *delay_ms);

/* One-way delay (ms) of a link of length_km at the speed of light. */
static inline double orb_link_delay_ms(double length_km)
{
    return length_km / ORB_C_KM_S * 1000.0;
}

#endif
