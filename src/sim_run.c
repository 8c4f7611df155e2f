/* sim_run.c: the step loop of a run: chunks of steps in parallel (OpenMP),
 * each replaying from the last scheduling epoch before it, rows written in
 * step order, metrics and summary.json at the end. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/output.h"
#include "sim_internal.h"

/* Rows in memory per chunk stay near this (the chunk length is chosen
 * from the scenario alone, never from the thread count). */
#define ROWS_PER_CHUNK 200000
#define MIN_CHUNK 8
#define MAX_CHUNK 600

typedef struct buf {
    char *p;
    size_t len, cap;
} buf_t;

typedef struct term_result {
    double rtt_ms;          /* INFINITY: no path */
    int32_t sat, gateway, pop;
    size_t nodes;           /* path length, terminal first */
    size_t path_at;         /* where the path starts in the lane's pool */
} term_result_t;

/* Thread-local state of a chunk. */
typedef struct lane {
    orb__step_t *w;
    int32_t *serving;       /* per terminal */
    uint64_t *last_hash;
    unsigned char *had_path;
    orb_metrics_t *counts;  /* counters only */
    buf_t rows, ho, text;   /* rtt.csv rows, handovers.csv rows, scratch */
    orb_handover_event_t *events; /* this chunk's handovers */
    size_t event_count, event_cap;
    term_result_t *res;     /* this step's result per terminal */
    int32_t *pool;          /* their paths */
    size_t pool_len, pool_cap;
    char time_utc[40];
    int oom;
} lane_t;

typedef struct run_ctx {
    orb_sim_t *sim;
    orb_sim_result_t *out;  /* handovers and frames go here */
    long *frame_at;         /* per step: frame index or -1 */
    double box[4];          /* lat min, lat max, lon min, lon max (deg) for frames */
    orb_metrics_t *m;       /* shared RTT table */
    long *pop_of_site;      /* position in ground->pops, -1 for other sites */
    int rtt_rows, ho_rows;
    int time_decimals;
    volatile sig_atomic_t *stop;
    size_t steps_written;   /* rows of the first this many steps are out */
} run_ctx_t;

static void buf_put(lane_t *L, buf_t *b, const char *s, size_t n)
{
    if (orb__grow((void **)&b->p, &b->cap, b->len + n + 1, 1)) {
        L->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_str(lane_t *L, buf_t *b, const char *s)
{
    buf_put(L, b, s, strlen(s));
}

/* A text as one CSV field. */
static void buf_field(lane_t *L, buf_t *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_str(L, b, s);
        return;
    }
    buf_put(L, b, "\"", 1);
    for (const char *q = strchr(s, '"'); q; s = q + 1, q = strchr(s, '"')) {
        buf_put(L, b, s, (size_t)(q - s) + 1);
        buf_put(L, b, "\"", 1); /* a quote is doubled */
    }
    buf_str(L, b, s);
    buf_put(L, b, "\"", 1);
}

static const char *sat_name(const orb_sim_t *sim, int32_t s)
{
    return s >= 0 ? orb__node_name(sim, s) : "";
}

static void write_handover(const run_ctx_t *x, lane_t *L, size_t q, int32_t from, int32_t to,
                           orb_handover_reason_t why)
{
    const orb_sim_t *sim = x->sim;
    buf_t *b = &L->ho;
    buf_str(L, b, L->time_utc);
    buf_str(L, b, ",");
    buf_field(L, b, sim->gnd->name[sim->gnd->terminals[q]]);
    buf_str(L, b, ",");
    buf_field(L, b, sat_name(sim, from));
    buf_str(L, b, ",");
    buf_field(L, b, sat_name(sim, to));
    buf_str(L, b, ",");
    buf_str(L, b, orb_handover_reason_name(why));
    buf_str(L, b, "\n");
}

/* The path of a terminal, nodes joined by '>', as one CSV field. */
static void write_path(const orb_sim_t *sim, lane_t *L, const int32_t *nodes, size_t n)
{
    buf_t *tmp = &L->text; /* reused: no allocation per row */
    tmp->len = 0;
    for (size_t k = 0; k < n; k++) {
        if (k)
            buf_put(L, tmp, ">", 1);
        buf_str(L, tmp, orb__node_name(sim, nodes[k]));
    }
    buf_put(L, tmp, "", 1);
    if (!L->oom)
        buf_field(L, &L->rows, tmp->p);
}


static void write_row(const run_ctx_t *x, lane_t *L, size_t q, const term_result_t *r)
{
    const orb_sim_t *sim = x->sim;
    buf_t *b = &L->rows;
    char num[64];
    buf_str(L, b, L->time_utc);
    buf_str(L, b, ",");
    buf_field(L, b, sim->gnd->name[sim->gnd->terminals[q]]);
    buf_str(L, b, ",");
    if (r->pop >= 0)
        buf_field(L, b, orb__node_name(sim, r->pop));
    if (isinf(r->rtt_ms)) {
        buf_str(L, b, ",,,");
        buf_field(L, b, sat_name(sim, r->sat));
        buf_str(L, b, ",,\n");
        return;
    }
    snprintf(num, sizeof num, ",%.6f,%zu,", r->rtt_ms, r->nodes - 1);
    buf_str(L, b, num);
    buf_field(L, b, sat_name(sim, r->sat));
    buf_str(L, b, ",");
    if (r->gateway >= 0)
        buf_field(L, b, orb__node_name(sim, r->gateway));
    buf_str(L, b, ",");
    write_path(sim, L, L->pool + r->path_at, r->nodes);
    buf_str(L, b, "\n");
}

/* Seeds the search of a destination group: its PoP, or every PoP. */
static long seed_group(const orb_sim_t *sim, orb__step_t *w, const orb__dest_group_t *d)
{
    if (d->pop >= 0)
        return orb__seed_site(sim, w, (size_t)d->pop, 0);
    size_t n = sim->gnd->pop_count;
    if (orb__grow((void **)&w->seeds, &w->seed_cap, n + 1, sizeof *w->seeds))
        return -1;
    for (size_t p = 0; p < n; p++)
        w->seeds[p] = (orb_seed_t){orb_graph_site_node(w->g, sim->gnd->pops[p]), -1, 0};
    return (long)n;
}

/* The route of terminal q after the group's search. */
static term_result_t route_terminal(const orb_sim_t *sim, lane_t *L, size_t q)
{
    orb__step_t *w = L->w;
    size_t site = sim->gnd->terminals[q], n;
    const orb_gsl_t *l = orb__site_links(w, site, &n);
    term_result_t r = {INFINITY, L->serving[q], -1, -1, 0, 0};
    double one_way = INFINITY;
    long k = -1;
    if (sim->sc->assignment == ORB_ASSIGN_ANY)
        k = orb_route_best_entry(w->rw, l, n, &one_way);
    else if (r.sat >= 0 && (k = orb_assign_find(l, n, r.sat)) >= 0)
        one_way = orb_link_delay_ms(l[k].range_km) + w->rw->dist_ms[r.sat];
    if (sim->sc->assignment == ORB_ASSIGN_ANY) {
        r.sat = k >= 0 && !isinf(one_way) ? l[k].sat : -1;
    } else if (isinf(one_way)) {
        /* The scheduler knows the network: a terminal whose satellite has
         * no route to its destination (laser links changed since the
         * epoch) moves to the policy's pick among the satellites that have
         * one, instead of waiting for the next epoch.  run_step records
         * the change as a handover for reason "route". */
        int32_t alt = orb_assign_pick_routable(sim->sc->assignment, l, n, &w->motion,
                                               &sim->gnd->topo[site],
                                               sim->sc->min_elevation_rad, w->rw->dist_ms);
        if (alt >= 0 && (k = orb_assign_find(l, n, alt)) >= 0) {
            r.sat = alt;
            one_way = orb_link_delay_ms(l[k].range_km) + w->rw->dist_ms[alt];
        }
    }
    if (isinf(one_way))
        return r;
    r.rtt_ms = 2 * one_way;
    w->path[0] = orb_graph_site_node(w->g, site);
    r.nodes = 1 + orb_route_path(w->rw, r.sat, w->path + 1, w->g->node_count);
    if (orb__grow((void **)&L->pool, &L->pool_cap, L->pool_len + r.nodes, sizeof *L->pool)) {
        L->oom = 1;
        r.rtt_ms = INFINITY;
        return r;
    }
    r.path_at = L->pool_len;
    memcpy(L->pool + L->pool_len, w->path, r.nodes * sizeof *w->path);
    L->pool_len += r.nodes;
    for (size_t v = 1; v < r.nodes; v++) {
        int32_t node = w->path[v];
        if ((size_t)node < sim->nsat)
            continue;
        orb_site_role_t role = sim->gnd->role[(size_t)node - sim->nsat];
        if (role == ORB_SITE_GATEWAY)
            r.gateway = node;
        else if (role == ORB_SITE_POP)
            r.pop = node;
    }
    return r;
}

/* Counters and rows of one terminal at one step. */
static void record(const run_ctx_t *x, lane_t *L, size_t step, size_t q,
                   const term_result_t *r, int rec)
{
    int has = !isinf(r->rtt_ms);
    uint64_t h = has ? orb_path_hash(L->pool + r->path_at, r->nodes) : 0;
    if (rec) {
        orb_metrics_t *c = L->counts;
        if (has) {
            x->m->rtt_ms[q * x->m->step_count + step] = (float)r->rtt_ms;
            c->with_path[q]++;
            c->hops_sum[q] += (long)(r->nodes - 1);
            long p = r->pop >= 0 ? x->pop_of_site[(size_t)r->pop - x->sim->nsat] : -1;
            if (p >= 0)
                c->pop_steps[q * c->pop_count + (size_t)p]++;
            if (L->had_path[q] && h != L->last_hash[q])
                c->path_changes[q]++;
        }
        if (x->rtt_rows)
            write_row(x, L, q, r);
    }
    L->had_path[q] = (unsigned char)has;
    L->last_hash[q] = h;
}

static void note_handover(const run_ctx_t *x, lane_t *L, size_t step, size_t q,
                          int32_t from, int32_t to, orb_handover_reason_t why, int rec)
{
    if (!rec || why == ORB_HO_NONE || step == 0)
        return;
    if (from >= 0 && to >= 0)
        L->counts->handovers[q]++;
    if (orb__grow((void **)&L->events, &L->event_cap, L->event_count + 1, sizeof *L->events))
        L->oom = 1;
    else
        L->events[L->event_count++] = (orb_handover_event_t){step, q, from, to, (int)why};
    if (x->ho_rows)
        write_handover(x, L, q, from, to, why);
}

static void assign_all(const run_ctx_t *x, lane_t *L, size_t step, int rec)
{
    const orb_sim_t *sim = x->sim;
    if (sim->sc->assignment == ORB_ASSIGN_ANY)
        return;
    int epoch = orb_scenario_is_epoch(sim->sc, step);
    for (size_t q = 0; q < sim->gnd->terminal_count; q++) {
        size_t site = sim->gnd->terminals[q], n;
        const orb_gsl_t *l = orb__site_links(L->w, site, &n);
        int32_t old = L->serving[q];
        orb_handover_reason_t why =
            orb_assign_step(sim->sc->assignment, epoch, l, n, &L->w->motion,
                            &sim->gnd->topo[site], sim->sc->min_elevation_rad, &L->serving[q]);
        note_handover(x, L, step, q, old, L->serving[q], why, rec);
    }
}

/* ---- frames for reports ---- */

static void node_latlon(const orb_sim_t *sim, const orb__step_t *w, int32_t v, float *lat,
                        float *lon)
{
    if ((size_t)v >= sim->nsat) {
        size_t s = (size_t)v - sim->nsat;
        *lat = (float)(sim->gnd->lat_rad[s] / ORB_DEG);
        *lon = (float)(sim->gnd->lon_rad[s] / ORB_DEG);
        return;
    }
    double r[3] = {w->st->x_km[v], w->st->y_km[v], w->st->z_km[v]}, la, lo, h;
    orb_ecef_to_geodetic(r, &la, &lo, &h);
    *lat = (float)(la / ORB_DEG);
    *lon = (float)(lo / ORB_DEG);
}

static int frame_sats(const run_ctx_t *x, const orb__step_t *w, orb_sim_frame_t *f)
{
    const orb_sim_t *sim = x->sim;
    size_t n = sim->nsat + 1;
    f->sat_lat_deg = orb__calloc(n, sizeof(float));
    f->sat_lon_deg = orb__calloc(n, sizeof(float));
    f->sat_norad = orb__calloc(n, sizeof(long));
    if (!f->sat_lat_deg || !f->sat_lon_deg || !f->sat_norad)
        return ORB_ENOMEM;
    for (size_t i = 0; i < sim->nsat; i++) {
        if (!w->alive[i])
            continue;
        float la, lo;
        node_latlon(sim, w, (int32_t)i, &la, &lo);
        if (la < x->box[0] || la > x->box[1] || lo < x->box[2] || lo > x->box[3])
            continue;
        f->sat_lat_deg[f->sat_count] = la;
        f->sat_lon_deg[f->sat_count] = lo;
        f->sat_norad[f->sat_count++] = sim->con->cat->sats[i].norad_id;
    }
    return ORB_OK;
}

/* Keeps step's satellites over the region and every terminal's path. */
static int capture_frame(const run_ctx_t *x, const lane_t *L, orb_sim_frame_t *f, size_t step)
{
    const orb_sim_t *sim = x->sim;
    size_t nt = sim->gnd->terminal_count;
    f->step = step;
    f->path_start = orb__calloc(nt + 1, sizeof *f->path_start);
    f->path_lat_deg = orb__calloc(L->pool_len + 1, sizeof(float));
    f->path_lon_deg = orb__calloc(L->pool_len + 1, sizeof(float));
    if (!f->path_start || !f->path_lat_deg || !f->path_lon_deg || frame_sats(x, L->w, f))
        return ORB_ENOMEM;
    size_t n = 0;
    for (size_t q = 0; q < nt; q++) {
        f->path_start[q] = n;
        const term_result_t *r = &L->res[q];
        if (isinf(r->rtt_ms))
            continue;
        for (size_t k = 0; k < r->nodes; k++, n++)
            node_latlon(sim, L->w, L->pool[r->path_at + k], &f->path_lat_deg[n],
                        &f->path_lon_deg[n]);
    }
    f->path_start[nt] = n;
    return ORB_OK;
}

/* One step: network, assignment, a search per destination group, rows. */
static int run_step(const run_ctx_t *x, lane_t *L, size_t step, int rec)
{
    const orb_sim_t *sim = x->sim;
    orb_time_t t = orb_scenario_step_time(sim->sc, step);
    orb_time_format_iso(t, x->time_decimals, L->time_utc, sizeof L->time_utc);
    if (orb__step_build(sim, L->w, t))
        return ORB_ENOMEM;
    assign_all(x, L, step, rec);
    /* rows go out in terminal order, so results wait in a per-step table */
    L->pool_len = 0;
    for (size_t gi = 0; gi < sim->group_count; gi++) {
        const orb__dest_group_t *d = &sim->groups[gi];
        long ns = seed_group(sim, L->w, d);
        if (ns < 0 || orb_route_dijkstra(L->w->g, L->w->seeds, (size_t)ns, L->w->rw))
            return ORB_ENOMEM;
        for (size_t k = 0; k < d->count; k++)
            L->res[d->terms[k]] = route_terminal(sim, L, d->terms[k]);
    }
    for (size_t q = 0; q < sim->gnd->terminal_count; q++) {
        const term_result_t *r = &L->res[q];
        if (sim->sc->assignment == ORB_ASSIGN_ANY) {
            int32_t old = L->serving[q];
            L->serving[q] = r->sat;
            orb_handover_reason_t why = old == r->sat ? ORB_HO_NONE
                                        : old < 0     ? ORB_HO_ACQUIRE
                                        : r->sat < 0  ? ORB_HO_LOST
                                                      : ORB_HO_ROUTE;
            note_handover(x, L, step, q, old, r->sat, why, rec);
        } else if (r->sat != L->serving[q]) {
            note_handover(x, L, step, q, L->serving[q], r->sat, ORB_HO_ROUTE, rec);
            L->serving[q] = r->sat;
        }
        record(x, L, step, q, r, rec);
    }
    if (rec && x->frame_at && x->frame_at[step] >= 0 &&
        capture_frame(x, L, &x->out->frames[x->frame_at[step]], step))
        L->oom = 1;
    return L->oom ? ORB_ENOMEM : ORB_OK;
}

/* ---- lanes, chunks and the loop ---- */

static void lane_free(lane_t *L)
{
    orb__step_destroy(L->w);
    orb__free(L->serving);
    orb__free(L->last_hash);
    orb__free(L->had_path);
    orb_metrics_destroy(L->counts);
    orb__free(L->rows.p);
    orb__free(L->ho.p);
    orb__free(L->text.p);
    orb__free(L->res);
    orb__free(L->pool);
    orb__free(L->events);
    memset(L, 0, sizeof *L);
}

static int lane_init(lane_t *L, const orb_sim_t *sim)
{
    memset(L, 0, sizeof *L);
    size_t nt = sim->gnd->terminal_count + 1;
    L->w = orb__step_create(sim);
    L->serving = orb__calloc(nt, sizeof *L->serving);
    L->last_hash = orb__calloc(nt, sizeof *L->last_hash);
    L->had_path = orb__calloc(nt, 1);
    L->res = orb__calloc(nt, sizeof *L->res);
    L->counts = orb_metrics_create(sim->gnd->terminal_count, 0, sim->gnd->pop_count);
    if (!L->w || !L->serving || !L->last_hash || !L->had_path || !L->res || !L->counts) {
        lane_free(L);
        return ORB_ENOMEM;
    }
    return ORB_OK;
}

/* Steps per chunk, from the scenario alone: long enough that replaying up
 * to one epoch period before each chunk costs little (at least ten
 * periods), short enough to spread a run over threads and to keep a
 * chunk's rows in memory. */
static size_t chunk_length(const orb_sim_t *sim, size_t steps)
{
    const orb_scenario_t *sc = sim->sc;
    size_t warm = sc->epoch_s > 0 ? (size_t)ceil(sc->epoch_s / sc->step_s) : 1;
    size_t lo = 10 * warm > MIN_CHUNK ? 10 * warm : MIN_CHUNK;
    size_t c = (steps + 63) / 64;
    if (c < lo)
        c = lo;
    if (c > MAX_CHUNK && MAX_CHUNK >= lo)
        c = MAX_CHUNK;
    size_t by_rows = ROWS_PER_CHUNK / (sim->gnd->terminal_count + 1);
    size_t floor_rows = 2 * warm > MIN_CHUNK ? 2 * warm : MIN_CHUNK;
    if (by_rows < floor_rows)
        by_rows = floor_rows;
    return c < by_rows ? c : by_rows;
}

/* The step a chunk starting at `a` replays from: the last epoch before a
 * (the state at a - 1 is then exact, handovers at a included). */
static size_t warm_start(const orb_scenario_t *sc, size_t a)
{
    if (a == 0)
        return 0;
    size_t e = a - 1;
    while (e > 0 && !orb_scenario_is_epoch(sc, e))
        e--;
    return e;
}

static int run_chunk(const run_ctx_t *x, lane_t *L, size_t a, size_t b)
{
    size_t nt = x->sim->gnd->terminal_count;
    for (size_t q = 0; q < nt; q++) {
        L->serving[q] = -1;
        L->had_path[q] = 0;
        L->last_hash[q] = 0;
    }
    L->rows.len = L->ho.len = 0;
    L->event_count = 0;
    for (size_t k = warm_start(x->sim->sc, a); k < b; k++) {
        if (x->stop && *x->stop)
            return ORB_EINTERRUPTED;
        if (run_step(x, L, k, k >= a))
            return ORB_ENOMEM;
    }
    return ORB_OK;
}

typedef struct run_files {
    orb_atomic_file_t rtt, ho;
    int have_rtt, have_ho;
} run_files_t;

static int open_files(const orb_sim_options_t *opt, run_files_t *f, orb_error_t *err)
{
    memset(f, 0, sizeof *f);
    if (!opt->out_dir)
        return ORB_OK;
    char path[4096];
    if (opt->rtt_csv) {
        snprintf(path, sizeof path, "%s/rtt.csv", opt->out_dir);
        int rc = orb_atomic_open(&f->rtt, path, err);
        if (rc)
            return rc;
        f->have_rtt = 1;
        fputs("time_utc,terminal,pop,rtt_ms,hops,serving_sat,gateway,path\n", f->rtt.f);
    }
    if (!opt->handovers_csv)
        return ORB_OK;
    snprintf(path, sizeof path, "%s/handovers.csv", opt->out_dir);
    int rc = orb_atomic_open(&f->ho, path, err);
    if (rc)
        return rc;
    f->have_ho = 1;
    fputs("time_utc,terminal,from_sat,to_sat,reason\n", f->ho.f);
    return ORB_OK;
}

/* Appends a chunk's handovers to the result (in chunk order). */
static int append_events(run_ctx_t *x, const lane_t *L)
{
    orb_sim_result_t *r = x->out;
    if (orb__grow((void **)&r->handovers, &r->handover_cap,
                  r->handover_count + L->event_count + 1, sizeof *r->handovers))
        return ORB_ENOMEM;
    if (L->event_count > 0)
        memcpy(r->handovers + r->handover_count, L->events,
               L->event_count * sizeof *L->events);
    r->handover_count += L->event_count;
    return ORB_OK;
}

static void flush_lane(run_files_t *f, const lane_t *L)
{
    if (f->have_rtt && L->rows.len)
        fwrite(L->rows.p, 1, L->rows.len, f->rtt.f);
    if (f->have_ho && L->ho.len)
        fwrite(L->ho.p, 1, L->ho.len, f->ho.f);
}

static void close_files(run_files_t *f, int ok, int *rc, orb_error_t *err)
{
    if (f->have_rtt) {
        if (ok && !*rc)
            *rc = orb_atomic_commit(&f->rtt, err);
        else
            orb_atomic_abort(&f->rtt);
    }
    if (f->have_ho) {
        if (ok && !*rc)
            *rc = orb_atomic_commit(&f->ho, err);
        else
            orb_atomic_abort(&f->ho);
    }
}

/* Runs every chunk; rows reach the files in step order. */
static int run_chunks(run_ctx_t *x, const orb_sim_options_t *opt, run_files_t *f)
{
    size_t steps = x->m->step_count;
    size_t clen = opt->chunk_steps ? opt->chunk_steps : chunk_length(x->sim, steps);
    long nchunks = (long)((steps + clen - 1) / clen);
    int failed = 0; /* 0, or the first error: ORB_ENOMEM or ORB_EINTERRUPTED */
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
#pragma omp parallel num_threads(threads)
    {
        lane_t L;
        int bad = lane_init(&L, x->sim);
#pragma omp for ordered schedule(static, 1)
        for (long c = 0; c < nchunks; c++) {
            size_t a = (size_t)c * clen, b = a + clen < steps ? a + clen : steps;
            int rc = bad, stop;
#pragma omp atomic read
            stop = failed;
            if (!rc && !stop)
                rc = run_chunk(x, &L, a, b);
#pragma omp ordered
            {
                if (rc && !failed) {
#pragma omp atomic write
                    failed = rc;
                }
                if (!failed && append_events(x, &L)) {
#pragma omp atomic write
                    failed = ORB_ENOMEM;
                }
                if (!failed) {
                    flush_lane(f, &L);
                    x->steps_written = b;
                    if (opt->progress)
                        opt->progress(opt->progress_ud, b, steps);
                }
            }
        }
#pragma omp critical(orb_sim_merge)
        {
            if (!bad)
                orb_metrics_add_counts(x->m, L.counts);
        }
        if (bad) {
#pragma omp atomic write
            failed = ORB_ENOMEM;
        }
        lane_free(&L);
    }
    return failed;
}

static long *pop_positions(const orb_sim_t *sim)
{
    long *p = orb__calloc(sim->nsite + 1, sizeof *p);
    if (!p)
        return NULL;
    for (size_t i = 0; i < sim->nsite; i++)
        p[i] = -1;
    for (size_t k = 0; k < sim->gnd->pop_count; k++)
        p[sim->gnd->pops[k]] = (long)k;
    return p;
}

static void frame_free(orb_sim_frame_t *f)
{
    orb__free(f->sat_lat_deg);
    orb__free(f->sat_lon_deg);
    orb__free(f->sat_norad);
    orb__free(f->path_start);
    orb__free(f->path_lat_deg);
    orb__free(f->path_lon_deg);
}

void orb_sim_result_destroy(orb_sim_result_t *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->frame_count; k++)
        frame_free(&r->frames[k]);
    orb__free(r->frames);
    orb__free(r->handovers);
    orb_metrics_destroy(r->metrics);
    orb__free(r->summary);
    orb__free(r);
}

static int summarize(orb_sim_t *sim, orb_sim_result_t *res)
{
    const orb_scenario_t *sc = sim->sc;
    size_t nt = sim->gnd->terminal_count;
    float *scratch = orb__calloc(res->steps + 1, sizeof *scratch);
    res->summary = orb__calloc(nt + 1, sizeof *res->summary);
    if (!scratch || !res->summary) {
        orb__free(scratch);
        return ORB_ENOMEM;
    }
    double observed_s = (double)res->steps * sc->step_s;
    for (size_t q = 0; q < nt; q++)
        res->summary[q] = orb_metrics_summarize(res->metrics, q, observed_s, scratch);
    orb__free(scratch);
    return ORB_OK;
}

static int write_summary(orb_sim_t *sim, const orb_sim_options_t *opt,
                         const orb_sim_result_t *res, int threads, orb_error_t *err)
{
    const orb_scenario_t *sc = sim->sc;
    const orb_ground_t *g = sim->gnd;
    size_t nt = g->terminal_count;
    const char **names = orb__calloc(nt + 1, sizeof *names);
    const char **pops = orb__calloc(nt + 1, sizeof *pops);
    if (!names || !pops) {
        orb__free(names);
        orb__free(pops);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t q = 0; q < nt; q++) {
        names[q] = g->name[g->terminals[q]];
        long p = res->summary[q].pop;
        pops[q] = p >= 0 ? g->name[g->pops[p]] : NULL;
    }
    char start[40], path[4096];
    orb_time_format_iso(sc->start, 0, start, sizeof start);
    orb_run_info_t info = {sc->name, start, sc->duration_s, sc->step_s, res->steps,
                           sim->nsat, sim->con->shells, sim->con->shell_count,
                           sim->con->unassigned_count, nt, g->gateway_count, g->pop_count,
                           orb_route_mode_name(sc->mode), orb_isl_kind_name(sc->isl),
                           orb_assign_policy_name(sc->assignment), threads,
                           res->wall_time_s};
    snprintf(path, sizeof path, "%s/summary.json", opt->out_dir);
    int rc = orb_output_summary(path, &info, names, pops, res->summary, nt, err);
    orb__free(names);
    orb__free(pops);
    return rc;
}

/* Chooses the frame steps (evenly spaced, first and last included) and
 * the region shown: the sites' bounding box widened by 15 degrees. */
static int plan_frames(run_ctx_t *x, size_t frames, size_t steps)
{
    if (frames == 0 || steps == 0)
        return ORB_OK;
    if (frames > steps)
        frames = steps;
    x->frame_at = orb__calloc(steps, sizeof *x->frame_at);
    x->out->frames = orb__calloc(frames, sizeof *x->out->frames);
    if (!x->frame_at || !x->out->frames)
        return ORB_ENOMEM;
    x->out->frame_count = frames;
    for (size_t k = 0; k < steps; k++)
        x->frame_at[k] = -1;
    for (size_t f = 0; f < frames; f++) {
        size_t k = frames == 1 ? 0 : (size_t)llround((double)f * (double)(steps - 1) /
                                                      (double)(frames - 1));
        x->frame_at[k] = (long)f;
    }
    const orb_ground_t *g = x->sim->gnd;
    double b[4] = {90, -90, 180, -180};
    for (size_t i = 0; i < g->count; i++) {
        double la = g->lat_rad[i] / ORB_DEG, lo = g->lon_rad[i] / ORB_DEG;
        b[0] = fmin(b[0], la);
        b[1] = fmax(b[1], la);
        b[2] = fmin(b[2], lo);
        b[3] = fmax(b[3], lo);
    }
    x->box[0] = b[0] - 15;
    x->box[1] = b[1] + 15;
    x->box[2] = b[3] - b[2] > 150 ? -180 : b[2] - 15;
    x->box[3] = b[3] - b[2] > 150 ? 180 : b[3] + 15;
    return ORB_OK;
}

int orb_sim_run(orb_sim_t *sim, const orb_sim_options_t *opt,
                orb_sim_result_t **out, orb_error_t *err)
{
    *out = NULL;
    double t0 = omp_get_wtime();
    size_t steps = orb_scenario_step_count(sim->sc);
    orb_sim_result_t *res = orb__calloc(1, sizeof *res);
    run_ctx_t x = {sim, res, NULL, {0, 0, 0, 0}, NULL, pop_positions(sim), 0, 0, 0, opt->stop, 0};
    if (!res || !x.pop_of_site ||
        !(res->metrics = orb_metrics_create(sim->gnd->terminal_count, steps,
                                            sim->gnd->pop_count))) {
        orb__free(x.pop_of_site);
        orb_sim_result_destroy(res);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    res->steps = steps;
    res->terminal_count = sim->gnd->terminal_count;
    x.m = res->metrics;
    if (plan_frames(&x, opt->frames, steps)) {
        orb__free(x.pop_of_site);
        orb__free(x.frame_at);
        orb_sim_result_destroy(res);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    x.time_decimals = fmod(sim->sc->step_s, 1.0) == 0 ? 0 : 3;
    run_files_t f;
    int rc = open_files(opt, &f, err);
    x.rtt_rows = f.have_rtt;
    x.ho_rows = f.have_ho;
    int run_rc = rc ? ORB_OK : run_chunks(&x, opt, &f);
    if (run_rc == ORB_EINTERRUPTED)
        rc = orb_error_set(err, ORB_EINTERRUPTED, NULL, 0, 0, NULL,
                           "interrupted after step %zu of %zu; no results written",
                           x.steps_written, steps);
    else if (run_rc)
        rc = orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    close_files(&f, rc == ORB_OK, &rc, err);
    orb__free(x.pop_of_site);
    orb__free(x.frame_at);
    if (!rc && summarize(sim, res))
        rc = orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    res->wall_time_s = omp_get_wtime() - t0;
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (!rc && opt->out_dir)
        rc = write_summary(sim, opt, res, threads, err);
    if (rc) {
        orb_sim_result_destroy(res);
        return rc;
    }
    *out = res;
    return ORB_OK;
}
