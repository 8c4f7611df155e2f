/* sim_report.c: the data of a finished run as the JSON object report.html
 * shows (schema in report.h), handed to orb_report_write. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "orbnet/report.h"
#include "sim_internal.h"

#define MAX_SERIES 2000

static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *pair(const char *k, const char *v)
{
    return json_pack("[ss]", k, v);
}

static json_t *params(const orb_sim_t *sim, const orb_sim_result_t *res)
{
    const orb_scenario_t *sc = sim->sc;
    char start[40], b[128];
    json_t *p = json_array();
    orb_time_format_iso(sc->start, 0, start, sizeof start);
    json_array_append_new(p, pair("scenario", sc->name));
    json_array_append_new(p, pair("start", start));
    snprintf(b, sizeof b, "%g s at %g s steps (%zu steps)", sc->duration_s, sc->step_s, res->steps);
    json_array_append_new(p, pair("duration", b));
    snprintf(b, sizeof b, "%zu (%zu shells, %zu unassigned)", sim->nsat, sim->con->shell_count,
             sim->con->unassigned_count);
    json_array_append_new(p, pair("satellites", b));
    snprintf(b, sizeof b, "%zu terminals, %zu gateways, %zu PoPs", sim->gnd->terminal_count,
             sim->gnd->gateway_count, sim->gnd->pop_count);
    json_array_append_new(p, pair("sites", b));
    snprintf(b, sizeof b, "%s, fibre factor %g", orb_route_mode_name(sc->mode), sc->fiber_factor);
    json_array_append_new(p, pair("routing", b));
    snprintf(b, sizeof b, "%s, max %g km, %d lasers", orb_isl_kind_name(sc->isl),
             sc->isl_max_range_km, sc->lasers_per_sat);
    json_array_append_new(p, pair("laser links", b));
    snprintf(b, sizeof b, "%s, epochs every %g s (offset %g s), mask %g deg",
             orb_assign_policy_name(sc->assignment), sc->epoch_s, sc->epoch_offset_s,
             sc->min_elevation_rad / ORB_DEG);
    json_array_append_new(p, pair("assignment", b));
    return p;
}

static json_t *sources(const orb_sim_t *sim)
{
    const orb_scenario_t *sc = sim->sc;
    json_t *a = json_array();
    for (size_t k = 0; k < sc->element_file_count; k++)
        json_array_append_new(a, json_string(sc->element_files[k].path));
    for (size_t k = 0; k < sc->site_file_count; k++)
        json_array_append_new(a, json_string(sc->site_files[k].path));
    return a;
}

static json_t *sites(const orb_sim_t *sim)
{
    const orb_ground_t *g = sim->gnd;
    json_t *a = json_array();
    for (size_t i = 0; i < g->count; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:f, s:f}", "name", g->name[i], "role",
                                           orb_site_role_name(g->role[i]), "lat",
                                           g->lat_rad[i] / ORB_DEG, "lon",
                                           g->lon_rad[i] / ORB_DEG));
    return a;
}

static json_t *terminals(const orb_sim_t *sim, const orb_sim_result_t *res)
{
    const orb_ground_t *g = sim->gnd;
    json_t *a = json_array();
    for (size_t q = 0; q < res->terminal_count; q++) {
        const orb_terminal_summary_t *s = &res->summary[q];
        json_t *r = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "min", num_or_null(s->rtt_min_ms),
                              "p50", num_or_null(s->rtt_p50_ms), "p95",
                              num_or_null(s->rtt_p95_ms), "p99", num_or_null(s->rtt_p99_ms),
                              "max", num_or_null(s->rtt_max_ms), "mean",
                              num_or_null(s->rtt_mean_ms));
        json_t *o = json_pack("{s:s, s:o, s:f, s:o, s:f, s:f, s:o}", "name",
                              g->name[g->terminals[q]], "pop",
                              s->pop >= 0 ? json_string(g->name[g->pops[s->pop]]) : json_null(),
                              "availability", s->availability, "rtt_ms", r,
                              "handovers_per_hour", s->handovers_per_hour,
                              "path_changes_per_hour", s->path_changes_per_hour, "mean_hops",
                              num_or_null(s->mean_hops));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *series(const orb_sim_t *sim, const orb_sim_result_t *res)
{
    size_t steps = res->steps, stride = (steps + MAX_SERIES - 1) / MAX_SERIES;
    if (stride == 0)
        stride = 1;
    json_t *t = json_array(), *rtt = json_array(), *ho = json_array();
    for (size_t k = 0; k < steps; k += stride)
        json_array_append_new(t, json_real((double)k * sim->sc->step_s));
    for (size_t q = 0; q < res->terminal_count; q++) {
        json_t *row = json_array();
        const float *v = res->metrics->rtt_ms + q * steps;
        for (size_t k = 0; k < steps; k += stride)
            json_array_append_new(row, num_or_null(v[k]));
        json_array_append_new(rtt, row);
        json_array_append_new(ho, json_array());
    }
    for (size_t e = 0; e < res->handover_count; e++) {
        const orb_handover_event_t *h = &res->handovers[e];
        if (h->from_sat >= 0 && h->to_sat >= 0)
            json_array_append_new(json_array_get(ho, h->terminal),
                                  json_real((double)h->step * sim->sc->step_s));
    }
    return json_pack("{s:o, s:o, s:o}", "t_s", t, "rtt_ms", rtt, "handovers", ho);
}

static json_t *frame(const orb_sim_t *sim, const orb_sim_result_t *res, const orb_sim_frame_t *f)
{
    char when[40];
    orb_time_format_iso(orb_scenario_step_time(sim->sc, f->step), 0, when, sizeof when);
    json_t *sats = json_array(), *paths = json_array();
    for (size_t i = 0; i < f->sat_count; i++)
        json_array_append_new(sats, json_pack("[f, f, I]", (double)f->sat_lat_deg[i],
                                              (double)f->sat_lon_deg[i],
                                              (json_int_t)f->sat_norad[i]));
    for (size_t q = 0; q < res->terminal_count; q++) {
        size_t a = f->path_start[q], b = f->path_start[q + 1];
        if (a == b) {
            json_array_append_new(paths, json_null());
            continue;
        }
        json_t *p = json_array();
        for (size_t k = a; k < b; k++)
            json_array_append_new(p, json_pack("[f, f]", (double)f->path_lat_deg[k],
                                               (double)f->path_lon_deg[k]));
        json_array_append_new(paths, p);
    }
    return json_pack("{s:f, s:s, s:o, s:o}", "t_s", (double)f->step * sim->sc->step_s,
                     "time_utc", when, "sats", sats, "paths", paths);
}

int orb_sim_write_report(const orb_sim_t *sim, const orb_sim_result_t *res,
                         const char *path, orb_error_t *err)
{
    char title[160], sub[160], start[40];
    snprintf(title, sizeof title, "orbnet: %s", sim->sc->name);
    orb_time_format_iso(sim->sc->start, 0, start, sizeof start);
    snprintf(sub, sizeof sub, "%s, %g s, %zu satellites, %zu terminals", start,
             sim->sc->duration_s, sim->nsat, res->terminal_count);
    json_t *frames = json_array();
    for (size_t k = 0; k < res->frame_count; k++)
        if (res->frames[k].path_start)
            json_array_append_new(frames, frame(sim, res, &res->frames[k]));
    json_t *root = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "title", title,
                             "subtitle", sub, "params", params(sim, res), "sources",
                             sources(sim), "sites", sites(sim), "terminals",
                             terminals(sim, res), "series", series(sim, res), "frames", frames);
    char *text = root ? json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(7)) : NULL;
    json_decref(root);
    if (!text)
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    int rc = orb_report_write(path, text, err);
    free(text);
    return rc;
}
