/* sim.c: building a simulation from a scenario (satellites, sites, laser
 * candidates, fibre, faults) and the network of one step. */
#include "sim_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

/* ---- creation ---- */

static int init_faults(orb_sim_t *sim, orb_error_t *err)
{
    sim->sat_dead = orb__calloc(sim->nsat + 1, 1);
    sim->site_down = orb__calloc(sim->nsite + 1, 1);
    if (!sim->sat_dead || !sim->site_down)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    int rc = orb_constellation_fault_mask(sim->con, sim->sc, sim->sat_dead, err);
    if (rc)
        return rc;
    return orb_ground_fault_mask(sim->gnd, sim->sc, sim->site_down, err);
}

static int init_isl(orb_sim_t *sim, orb_error_t *err)
{
    const orb_scenario_t *sc = sim->sc;
    const orb_constellation_t *c = sim->con;
    sim->islp = (orb_isl_params_t){sc->isl, sc->isl_k, sc->isl_max_range_km,
                                   sc->lasers_per_sat, sc->grazing_height_km};
    sim->isl_cand = orb_isl_set_create();
    if (!sim->isl_cand)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (sc->isl == ORB_ISL_FILE) {
        long *norad = orb__calloc(sim->nsat + 1, sizeof *norad);
        if (!norad)
            return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t i = 0; i < sim->nsat; i++)
            norad[i] = c->cat->sats[i].norad_id;
        int rc = orb_isl_load_file(sc->isl_file.path, norad, sim->nsat, sim->isl_cand, err);
        orb__free(norad);
        return rc;
    }
    if (sc->isl != ORB_ISL_PLUS_GRID)
        return ORB_OK;
    /* Walker shells pair by slot number, inferred shells by the nearest
       argument of latitude (NaN marks "by slot") */
    double *u = orb__calloc(sim->nsat + 1, sizeof *u);
    if (!u)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < sim->nsat; i++) {
        int s = c->shell[i];
        u[i] = (s >= 0 && c->shells[s].is_walker) || !c->u_ref_rad ? NAN : c->u_ref_rad[i];
    }
    int rc = orb_isl_plus_grid(sim->nsat, c->shell, c->plane, c->slot, u,
                               sc->lasers_per_sat, sim->isl_cand);
    orb__free(u);
    return rc ? orb_error_set(err, rc, NULL, 0, 0, NULL, "out of memory") : ORB_OK;
}

static int init_ground(orb_sim_t *sim, orb_error_t *err)
{
    const orb_ground_t *g = sim->gnd;
    sim->gateways = orb__calloc(g->gateway_count + 1, sizeof *sim->gateways);
    sim->antennas = orb__calloc(sim->nsite + 1, sizeof *sim->antennas);
    sim->fibers = orb__calloc(g->gateway_count * g->pop_count + 1, sizeof *sim->fibers);
    if (!sim->gateways || !sim->antennas || !sim->fibers)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < sim->nsite; i++)
        sim->antennas[i] = g->antennas[i];
    for (size_t k = 0; k < g->gateway_count; k++) {
        size_t gw = g->gateways[k];
        if (sim->site_down[gw])
            continue;
        sim->gateways[sim->gateway_count++] = (int32_t)gw;
        for (size_t p = 0; p < g->pop_count; p++)
            sim->fibers[sim->fiber_count++] = (orb_fiber_t){
                (int32_t)g->pops[p], (int32_t)gw,
                orb_ground_fiber_ms(g, g->pops[p], gw, sim->sc->fiber_factor)};
    }
    return ORB_OK;
}

/* Groups terminals by destination: each configured PoP, then "nearest". */
static int init_groups(orb_sim_t *sim, orb_error_t *err)
{
    const orb_ground_t *g = sim->gnd;
    sim->groups = orb__calloc(g->pop_count + 1, sizeof *sim->groups);
    if (!sim->groups)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t q = 0; q <= g->pop_count; q++) {
        long pop = q < g->pop_count ? (long)g->pops[q] : -1;
        orb__dest_group_t *d = &sim->groups[sim->group_count];
        d->pop = pop;
        d->terms = orb__calloc(g->terminal_count + 1, sizeof *d->terms);
        if (!d->terms)
            return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t k = 0; k < g->terminal_count; k++)
            if (g->pop[g->terminals[k]] == pop)
                d->terms[d->count++] = k;
        if (d->count > 0)
            sim->group_count++;
        else
            orb__free(d->terms);
    }
    return ORB_OK;
}

static int init_sats(orb_sim_t *sim, orb_error_t *err)
{
    if (orb_sgp4_batch_create(sim->con->cat, ORB_WGS72, &sim->batch, NULL))
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    sim->sat_label = orb__calloc(sim->nsat + 1, sizeof *sim->sat_label);
    if (!sim->sat_label)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < sim->nsat; i++)
        snprintf(sim->sat_label[i], sizeof sim->sat_label[i], "%ld",
                 sim->con->cat->sats[i].norad_id);
    return ORB_OK;
}

int orb_sim_create_from(const orb_scenario_t *sc, orb_constellation_t *c,
                        orb_ground_t *g, orb_sim_t **out, orb_error_t *err)
{
    *out = NULL;
    orb_sim_t *sim = orb__calloc(1, sizeof *sim);
    if (!sim) {
        orb_constellation_destroy(c);
        orb_ground_destroy(g);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    sim->sc = sc;
    sim->con = c;
    sim->gnd = g;
    sim->nsat = orb_constellation_count(c);
    sim->nsite = g->count;
    sim->gsl = (orb_gsl_params_t){sc->min_elevation_rad, sc->max_gsl_range_km};
    sim->need_velocity = sc->assignment == ORB_ASSIGN_LONGEST_VISIBLE;
    int rc = init_sats(sim, err);
    if (!rc)
        rc = init_faults(sim, err);
    if (!rc)
        rc = init_isl(sim, err);
    if (!rc)
        rc = init_ground(sim, err);
    if (!rc)
        rc = init_groups(sim, err);
    if (rc) {
        orb_sim_destroy(sim);
        return rc;
    }
    *out = sim;
    return ORB_OK;
}

int orb_sim_create(const orb_scenario_t *sc, orb_sim_t **out, orb_error_t *err)
{
    *out = NULL;
    orb_constellation_t *c = NULL;
    orb_ground_t *g = NULL;
    int rc = orb_constellation_build(sc, &c, err);
    if (rc)
        return rc;
    rc = orb_ground_build(sc, &g, err);
    if (rc) {
        orb_constellation_destroy(c);
        return rc;
    }
    return orb_sim_create_from(sc, c, g, out, err);
}

void orb_sim_destroy(orb_sim_t *sim)
{
    if (!sim)
        return;
    orb_sgp4_batch_destroy(sim->batch);
    orb_constellation_destroy(sim->con);
    orb_ground_destroy(sim->gnd);
    orb__free(sim->sat_dead);
    orb__free(sim->site_down);
    orb_isl_set_destroy(sim->isl_cand);
    orb__free(sim->fibers);
    orb__free(sim->gateways);
    orb__free(sim->antennas);
    for (size_t q = 0; q < sim->group_count; q++)
        orb__free(sim->groups[q].terms);
    orb__free(sim->groups);
    orb__free(sim->sat_label);
    orb__step_destroy(sim->scratch);
    orb__pair_lanes_free(sim);
    orb__free(sim);
}

const orb_constellation_t *orb_sim_constellation(const orb_sim_t *sim)
{
    return sim->con;
}

const orb_ground_t *orb_sim_ground(const orb_sim_t *sim)
{
    return sim->gnd;
}

const char *orb__node_name(const orb_sim_t *sim, int32_t v)
{
    if ((size_t)v < sim->nsat) {
        const char *n = sim->con->cat->sats[v].name;
        return n[0] ? n : sim->sat_label[v];
    }
    return sim->gnd->name[(size_t)v - sim->nsat];
}

/* ---- the step workspace ---- */

orb__step_t *orb__step_create(const orb_sim_t *sim)
{
    orb__step_t *w = orb__calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t nodes = sim->nsat + sim->nsite;
    w->st = orb_states_create(sim->nsat ? sim->nsat : 1);
    w->alive = orb__calloc(sim->nsat + 1, 1);
    w->ix = orb_sat_index_create(sim->nsat);
    w->gsl = orb_gsl_set_create(sim->nsite);
    w->isl = orb_isl_set_create();
    w->near = sim->sc->isl == ORB_ISL_NEAREST ? orb_isl_nearest_ws_create(sim->nsat) : NULL;
    w->g = orb_graph_create();
    w->rw = orb_route_ws_create(nodes);
    w->path = orb__calloc(nodes + 2, sizeof *w->path);
    w->usable = orb__calloc(sim->nsat + 1, 1);
    if (!w->usable || !w->st || !w->alive || !w->ix || !w->gsl || !w->isl || !w->g || !w->rw ||
        !w->path || (sim->sc->isl == ORB_ISL_NEAREST && !w->near)) {
        orb__step_destroy(w);
        return NULL;
    }
    w->pos = (orb_sat_pos_t){sim->nsat, w->st->x_km, w->st->y_km, w->st->z_km, w->alive};
    w->motion = (orb_sat_motion_t){w->st->x_km, w->st->y_km, w->st->z_km,
                                   w->st->vx_km_s, w->st->vy_km_s, w->st->vz_km_s};
    return w;
}

void orb__step_destroy(orb__step_t *w)
{
    if (!w)
        return;
    orb_states_destroy(w->st);
    orb__free(w->alive);
    orb_sat_index_destroy(w->ix);
    orb_gsl_set_destroy(w->gsl);
    orb_isl_set_destroy(w->isl);
    orb_isl_nearest_ws_destroy(w->near);
    orb_graph_destroy(w->g);
    orb_route_ws_destroy(w->rw);
    orb__free(w->seeds);
    orb__free(w->path);
    orb__free(w->usable);
    orb__free(w);
}

/* Propagates every satellite and rotates it into the Earth-fixed frame. */
static void propagate(const orb_sim_t *sim, orb__step_t *w, orb_time_t t)
{
    orb_states_t *st = w->st;
    orb_sgp4_batch_propagate(sim->batch, t, 0, sim->nsat, st);
    double gmst = orb_gmst_rad(t);
    for (size_t i = 0; i < sim->nsat; i++) {
        double r[3] = {st->x_km[i], st->y_km[i], st->z_km[i]};
        double v[3] = {st->vx_km_s[i], st->vy_km_s[i], st->vz_km_s[i]};
        orb_teme_to_ecef_gmst(r, sim->need_velocity ? v : NULL, gmst, r,
                              sim->need_velocity ? v : NULL);
        st->x_km[i] = r[0];
        st->y_km[i] = r[1];
        st->z_km[i] = r[2];
        if (sim->need_velocity) {
            st->vx_km_s[i] = v[0];
            st->vy_km_s[i] = v[1];
            st->vz_km_s[i] = v[2];
        }
        w->alive[i] = st->status[i] == ORB_OK && !sim->sat_dead[i];
    }
}

/* Empties the link runs of sites that are down (jammed, gateway off). */
static void drop_down_sites(const orb_sim_t *sim, orb_gsl_set_t *s)
{
    size_t n = 0;
    for (size_t i = 0; i < sim->nsite; i++) {
        size_t a = s->offset[i], b = s->offset[i + 1];
        s->offset[i] = n;
        if (sim->site_down[i])
            continue;
        if (b > a)
            memmove(s->links + n, s->links + a, (b - a) * sizeof *s->links);
        n += b - a;
    }
    s->offset[sim->nsite] = n;
}

/* A terminal gains nothing from a satellite with no laser link and no
 * gateway holding it (orbit raising, direct-to-cell, a shell without
 * lasers, bent pipe far from gateways): such satellites are no candidates. */
static void drop_useless_sats(const orb_sim_t *sim, orb__step_t *w)
{
    const orb_graph_t *g = w->g;
    for (size_t i = 0; i < sim->nsat; i++)
        w->usable[i] = g->start[i + 1] > g->start[i];
    for (size_t k = 0; k < sim->gateway_count; k++) {
        int32_t node = orb_graph_site_node(g, (size_t)sim->gateways[k]);
        for (int32_t e = g->start[node]; e < g->start[node + 1]; e++)
            w->usable[g->to[e]] = 1;
    }
    orb_gsl_set_t *s = w->gsl;
    size_t n = 0;
    for (size_t i = 0; i < sim->nsite; i++) {
        size_t a = s->offset[i], b = s->offset[i + 1];
        s->offset[i] = n;
        int terminal = sim->gnd->role[i] == ORB_SITE_TERMINAL;
        for (size_t k = a; k < b; k++)
            if (!terminal || w->usable[s->links[k].sat])
                s->links[n++] = s->links[k];
    }
    s->offset[sim->nsite] = n;
}

static int build_isl(const orb_sim_t *sim, orb__step_t *w)
{
    w->isl->count = 0;
    if (sim->sc->mode == ORB_ROUTE_BENT_PIPE || sim->sc->isl == ORB_ISL_NONE)
        return ORB_OK;
    if (sim->sc->isl == ORB_ISL_NEAREST)
        return orb_isl_nearest(w->near, &w->pos, &sim->islp, w->isl);
    return orb_isl_filter(sim->isl_cand, &w->pos, &sim->islp, w->isl);
}

int orb__step_build(const orb_sim_t *sim, orb__step_t *w, orb_time_t t)
{
    propagate(sim, w, t);
    if (orb_sat_index_build(w->ix, &w->pos) ||
        orb_gsl_find(w->ix, &w->pos, sim->gnd->topo, sim->nsite, &sim->gsl, w->gsl))
        return ORB_ENOMEM;
    drop_down_sites(sim, w->gsl);
    if (build_isl(sim, w))
        return ORB_ENOMEM;
    orb_graph_input_t in = {sim->nsat, sim->nsite,
                            sim->sc->mode == ORB_ROUTE_LASER ? w->isl : NULL,
                            w->gsl, sim->gateways, sim->gateway_count, sim->antennas,
                            sim->fibers, sim->fiber_count};
    if (orb_graph_build(w->g, &in))
        return ORB_ENOMEM;
    drop_useless_sats(sim, w);
    return ORB_OK;
}

int32_t orb__site_pick(const orb_sim_t *sim, const orb__step_t *w, size_t site)
{
    size_t n;
    const orb_gsl_t *l = orb__site_links(w, site, &n);
    return orb_assign_pick(sim->sc->assignment, l, n, &w->motion, &sim->gnd->topo[site],
                           sim->sc->min_elevation_rad);
}

static int reserve_seeds(orb__step_t *w, size_t n)
{
    return orb__grow((void **)&w->seeds, &w->seed_cap, n + 1, sizeof *w->seeds);
}

long orb__seed_site(const orb_sim_t *sim, orb__step_t *w, size_t dest, int any)
{
    int32_t node = orb_graph_site_node(w->g, dest);
    orb_site_role_t role = sim->gnd->role[dest];
    if (reserve_seeds(w, 1))
        return -1;
    if (role == ORB_SITE_POP || role == ORB_SITE_GATEWAY) {
        w->seeds[0] = (orb_seed_t){node, -1, 0};
        return 1;
    }
    size_t n;
    const orb_gsl_t *l = orb__site_links(w, dest, &n);
    if (reserve_seeds(w, n))
        return -1;
    int32_t pick = any ? -1 : orb__site_pick(sim, w, dest);
    long k = 0;
    for (size_t q = 0; q < n; q++)
        if (any || l[q].sat == pick)
            w->seeds[k++] = (orb_seed_t){l[q].sat, node, orb_link_delay_ms(l[q].range_km)};
    return k;
}
