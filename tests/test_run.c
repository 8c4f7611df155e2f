/* test_run.c: `orbnet run` and `orbnet route` as a user runs them ($ORBNET):
 * invariants on every row of rtt.csv checked against geometry recomputed
 * here, the JSON route, exit codes and messages. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "orbnet.h"

#define WALKER "tests/data/net/walker_ua.ini"

/* Runs `$ORBNET args` through the shell; stdout into *out (may be NULL),
 * stderr into *errout (may be NULL).  Returns the exit code. */
static int run_cmd(const char *args, char **out, char **errout)
{
    const char *orbnet = getenv("ORBNET");
    cr_assert_not_null(orbnet, "set ORBNET to the orbnet command (e.g. build/orbnet)");
    char o[64], e[64], cmd[2048];
    snprintf(o, sizeof o, "/tmp/orbnet_run_%d.out", (int)getpid());
    snprintf(e, sizeof e, "/tmp/orbnet_run_%d.err", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s", orbnet, args, o, e);
    int st = system(cmd);
    cr_assert(WIFEXITED(st));
    const char *files[2] = {o, e};
    char **dst[2] = {out, errout};
    for (int k = 0; k < 2; k++) {
        if (dst[k]) {
            FILE *f = fopen(files[k], "rb");
            size_t cap = 1 << 20, n = 0;
            char *p = malloc(cap);
            size_t r;
            while ((r = fread(p + n, 1, cap - n - 1, f)) > 0) {
                n += r;
                if (n + 1 >= cap)
                    p = realloc(p, cap *= 2);
            }
            p[n] = 0;
            fclose(f);
            *dst[k] = p;
        }
        remove(files[k]);
    }
    return WEXITSTATUS(st);
}

/* ---- the network recomputed here, step by step ---- */

typedef struct world {
    orb_scenario_t *sc;
    orb_constellation_t *con;
    orb_ground_t *gnd;
    orb_sgp4_batch_t *batch;
    orb_states_t *st;
    size_t n;
} world_t;

static void world_init(world_t *w, const char *ini)
{
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(ini, &w->sc, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_constellation_build(w->sc, &w->con, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_ground_build(w->sc, &w->gnd, &err), ORB_OK, "%s", err.message);
    w->n = orb_constellation_count(w->con);
    cr_assert_eq(orb_sgp4_batch_create(w->con->cat, ORB_WGS72, &w->batch, NULL), ORB_OK);
    w->st = orb_states_create(w->n);
}

static void world_free(world_t *w)
{
    orb_states_destroy(w->st);
    orb_sgp4_batch_destroy(w->batch);
    orb_ground_destroy(w->gnd);
    orb_constellation_destroy(w->con);
    orb_scenario_destroy(w->sc);
}

static void world_at(world_t *w, orb_time_t t)
{
    orb_sgp4_batch_propagate(w->batch, t, 0, w->n, w->st);
    double gmst = orb_gmst_rad(t);
    for (size_t i = 0; i < w->n; i++) {
        double r[3] = {w->st->x_km[i], w->st->y_km[i], w->st->z_km[i]};
        orb_teme_to_ecef_gmst(r, NULL, gmst, r, NULL);
        w->st->x_km[i] = r[0];
        w->st->y_km[i] = r[1];
        w->st->z_km[i] = r[2];
    }
}

/* A node of a path: satellite index (site -1) or site index (sat -1). */
typedef struct node {
    long sat, site;
    double r[3];
} node_t;

static node_t find_node(const world_t *w, const char *name)
{
    node_t nd = {-1, -1, {0, 0, 0}};
    nd.site = orb_ground_find(w->gnd, name);
    if (nd.site >= 0) {
        memcpy(nd.r, w->gnd->topo[nd.site].r_ecef_km, sizeof nd.r);
        return nd;
    }
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->con->cat->sats[i].name, name)) {
            nd.sat = (long)i;
            nd.r[0] = w->st->x_km[i];
            nd.r[1] = w->st->y_km[i];
            nd.r[2] = w->st->z_km[i];
            return nd;
        }
    cr_assert_fail("unknown node %s", name);
    return nd;
}

/* "Nearest argument of latitude in the next plane" is not symmetric, so a
 * +Grid link may be b's pick rather than a's: ask both ends. */
static int is_plus_grid_pair(const world_t *w, long a, long b)
{
    static const int d[4][2] = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
    for (int k = 0; k < 4; k++)
        if (orb_constellation_neighbor(w->con, (size_t)a, d[k][0], d[k][1]) == b ||
            orb_constellation_neighbor(w->con, (size_t)b, d[k][0], d[k][1]) == a)
            return 1;
    return 0;
}

/* Checks one link of a path and returns its one-way delay (ms). */
static double check_link(const world_t *w, const node_t *a, const node_t *b, const char *row)
{
    const orb_scenario_t *sc = w->sc;
    double len = orb_vec_dist(a->r, b->r);
    if (a->site >= 0 && b->site >= 0) {
        cr_assert_eq(w->gnd->role[a->site], ORB_SITE_GATEWAY, "%s", row);
        cr_assert_eq(w->gnd->role[b->site], ORB_SITE_POP, "%s", row);
        return orb_ground_fiber_ms(w->gnd, (size_t)a->site, (size_t)b->site, sc->fiber_factor);
    }
    if (a->sat >= 0 && b->sat >= 0) {
        cr_assert(is_plus_grid_pair(w, a->sat, b->sat), "not a +Grid pair: %s", row);
        cr_assert_leq(len, sc->isl_max_range_km, "%s", row);
        cr_assert(orb_isl_clear_of_earth(a->r, b->r, sc->grazing_height_km), "%s", row);
    } else {
        const node_t *g = a->site >= 0 ? a : b, *s = a->site >= 0 ? b : a;
        double el = orb_topo_elevation(&w->gnd->topo[g->site], s->r);
        cr_assert_geq(el, sc->min_elevation_rad - 1e-9, "below the mask: %s", row);
    }
    return len / ORB_C_KM_S * 1000;
}

/* Splits a CSV line without quotes (the fixture's names have none). */
static int split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static void check_row(const world_t *w, char *line, long *with_path)
{
    char row[4096];
    snprintf(row, sizeof row, "%s", line);
    char *f[8];
    cr_assert_eq(split(line, f, 8), 8, "%s", row);
    if (!f[3][0]) {
        cr_assert_str_empty(f[7], "%s", row);
        return;
    }
    (*with_path)++;
    double rtt = atof(f[3]);
    char *names[64];
    int nn = 0;
    for (char *tok = strtok(f[7], ">"); tok; tok = strtok(NULL, ">"))
        names[nn++] = tok;
    cr_assert_eq(atoi(f[4]), nn - 1, "hops: %s", row);
    cr_assert_str_eq(names[0], f[1], "%s", row);
    cr_assert_str_eq(names[1], f[5], "serving: %s", row);
    cr_assert_str_eq(names[nn - 1], f[2], "pop: %s", row);
    cr_assert_str_eq(names[nn - 2], f[6], "gateway: %s", row);
    double one_way = 0;
    node_t prev = find_node(w, names[0]);
    for (int k = 1; k < nn; k++) {
        node_t cur = find_node(w, names[k]);
        one_way += check_link(w, &prev, &cur, row);
        prev = cur;
    }
    /* rtt_ms has 6 decimals: 5e-7 of rounding */
    cr_assert_float_eq(rtt, 2 * one_way, 2e-6, "rtt %s: recomputed %.7f", row, 2 * one_way);
    node_t t = find_node(w, names[0]), p = find_node(w, names[nn - 1]);
    cr_assert_geq(rtt, 2 * orb_vec_dist(t.r, p.r) / ORB_C_KM_S * 1000, "%s", row);
}

/* handovers.csv as "time,terminal,from,to" strings (reason dropped). */
static char **load_handovers(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char line[1024];
    size_t cap = 64;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    cr_assert(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "time_utc,terminal,from_sat,to_sat,reason\n");
    while (fgets(line, sizeof line, f)) {
        char *comma = strrchr(line, ',');
        *comma = 0;
        if (*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[(*n)++] = strdup(line);
    }
    fclose(f);
    return v;
}

static int has_handover(char **v, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(v[k], key))
            return 1;
    return 0;
}

/* Runs the scenario and checks every row of rtt.csv (check_row), and that
 * each change of serving satellite between steps is in handovers.csv. */
static void check_run(const char *ini, long want_rows, int threads)
{
    char dir[64], args[256], path[128];
    snprintf(dir, sizeof dir, "/tmp/orbnet_run_dir_%d", (int)getpid());
    snprintf(args, sizeof args, "run %s -o %s --threads %d --quiet", ini, dir, threads);
    cr_assert_eq(run_cmd(args, NULL, NULL), 0);
    world_t w;
    world_init(&w, ini);
    size_t nho;
    snprintf(path, sizeof path, "%s/handovers.csv", dir);
    char **ho = load_handovers(path, &nho);
    size_t nt = w.gnd->terminal_count;
    char (*serving)[64] = calloc(nt, sizeof *serving);
    snprintf(path, sizeof path, "%s/rtt.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    char line[4096], last_time[40] = "";
    cr_assert(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "time_utc,terminal,pop,rtt_ms,hops,serving_sat,gateway,path\n");
    long rows = 0, with_path = 0, changes = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, last_time, 20) != 0) {
            memcpy(last_time, line, 20);
            last_time[20] = 0;
            orb_time_t t;
            cr_assert_eq(orb_time_parse_iso(last_time, &t), ORB_OK);
            world_at(&w, t);
        }
        char copy[4096], *fl[8];
        snprintf(copy, sizeof copy, "%s", line);
        cr_assert_eq(split(copy, fl, 8), 8);
        size_t q = (size_t)(rows % (long)nt);
        cr_assert_str_eq(w.gnd->name[w.gnd->terminals[q]], fl[1], "terminal order");
        if (serving[q][0] && fl[5][0] && strcmp(serving[q], fl[5])) {
            char key[256];
            snprintf(key, sizeof key, "%s,%s,%s,%s", fl[0], fl[1], serving[q], fl[5]);
            cr_assert(has_handover(ho, nho, key), "no handover row for %s", key);
            changes++;
        }
        snprintf(serving[q], sizeof serving[q], "%s", fl[5]);
        check_row(&w, line, &with_path);
        rows++;
    }
    fclose(f);
    cr_assert_eq(rows, want_rows);
    cr_assert_gt(with_path, rows * 9 / 10);
    long both = 0;
    for (size_t k = 0; k < nho; k++) {
        char *c1 = strchr(ho[k], ','), *c2 = strchr(c1 + 1, ','), *c3 = strchr(c2 + 1, ',');
        both += c3 > c2 + 1 && c3[1] != 0; /* from and to both named */
        free(ho[k]);
    }
    free(ho);
    free(serving);
    cr_assert_eq(changes, both, "handovers.csv lists %ld changes, rtt.csv shows %ld", both,
                 changes);
    world_free(&w);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t je;
    json_t *s = json_load_file(path, 0, &je);
    cr_assert_not_null(s, "%s", je.text);
    json_t *t0 = json_array_get(json_object_get(s, "terminals"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t0, "name")), "Kyiv");
    cr_assert_not_null(json_object_get(json_object_get(t0, "rtt_ms"), "p99"));
    json_decref(s);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    system(args);
}

Test(run, every_row_obeys_the_invariants)
{
    check_run(WALKER, 121 * 4, 2);
}

/* The same on the real 2026-06-24 snapshot (10,631 satellites, inferred
 * shells and +Grid) over Ukraine's 30 largest cities. */
Test(run, every_row_of_a_real_run_obeys_the_invariants)
{
    check_run("tests/data/net/real_ua.ini", 21 * 30, 2);
}

Test(run, usage_and_input_errors)
{
    char *err = NULL;
    cr_assert_eq(run_cmd("run", NULL, &err), 2);
    cr_assert(strstr(err, "missing the scenario"), "%s", err);
    free(err);
    cr_assert_eq(run_cmd("run " WALKER " --threads zero", NULL, NULL), 2);
    char *out = NULL;
    cr_assert_eq(run_cmd("run --help", &out, NULL), 0);
    cr_assert(strstr(out, "usage: orbnet run"));
    free(out);
    cr_assert_eq(run_cmd("run /nonexistent/x.ini", NULL, &err), 3);
    cr_assert(strstr(err, "/nonexistent/x.ini"), "%s", err);
    free(err);
    /* a bad key names the file and line */
    FILE *f = fopen("/tmp/orbnet_bad.ini", "w");
    fputs("[scenario]\nstart = 2026-06-24\nduration_s = 10\n[links]\nmin_elevation = 25\n", f);
    fclose(f);
    cr_assert_eq(run_cmd("run /tmp/orbnet_bad.ini -o /tmp/orbnet_bad_out", NULL, &err), 3);
    cr_assert(strstr(err, "/tmp/orbnet_bad.ini:5"), "%s", err);
    free(err);
    remove("/tmp/orbnet_bad.ini");
}

Test(route, json_path_matches_its_own_links)
{
    char *out = NULL;
    cr_assert_eq(run_cmd("route " WALKER " --from Kyiv --to 'Warsaw PoP' "
                         "--time 2026-06-24T12:00:30Z --format json", &out, NULL), 0);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    cr_assert_not_null(j, "%s: %s", je.text, out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "from")), "Kyiv");
    cr_assert_str_eq(json_string_value(json_object_get(j, "time_utc")), "2026-06-24T12:00:30Z");
    json_t *path = json_object_get(j, "path");
    size_t n = json_array_size(path);
    cr_assert_geq(n, 4);
    cr_assert_eq(json_integer_value(json_object_get(j, "hops")), (json_int_t)(n - 1));
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += json_real_value(json_object_get(json_array_get(path, i), "delay_ms"));
    cr_assert_float_eq(json_real_value(json_object_get(j, "rtt_ms")), 2 * sum, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(path, 0), "kind")),
                     "terminal");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(path, n - 2), "kind")),
                     "gateway");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(path, n - 1), "kind")),
                     "pop");
    json_t *sat = json_array_get(path, 1);
    cr_assert_str_eq(json_string_value(json_object_get(sat, "kind")), "satellite");
    cr_assert_float_eq(json_real_value(json_object_get(sat, "alt_km")), 550, 15);
    json_decref(j);
    free(out);
    /* the same in text names the RTT */
    cr_assert_eq(run_cmd("route " WALKER " --from Kyiv --to 'Warsaw PoP' "
                         "--time 2026-06-24T12:00:30Z", &out, NULL), 0);
    cr_assert(strstr(out, "rtt "), "%s", out);
    free(out);
}

Test(route, unreachable_is_null_and_errors_have_codes)
{
    /* a terminal in Sydney with no laser links cannot reach a European PoP */
    FILE *f = fopen("/tmp/orbnet_far.csv", "w");
    fputs("name,lat,lon,role\nSydney,-33.87,151.21,terminal\nWola,51.86417,20.92105,gateway\n"
          "Warsaw PoP,52.227354,21.003357,pop\n", f);
    fclose(f);
    f = fopen("/tmp/orbnet_far.ini", "w");
    fputs("[scenario]\nstart = 2026-06-24T12:00:00Z\nduration_s = 10\n"
          "[shell w]\naltitude_km = 550\ninclination_deg = 53\nplanes = 24\n"
          "sats_per_plane = 22\n[ground]\nsites = orbnet_far.csv\n[links]\nisl = none\n", f);
    fclose(f);
    char *out = NULL, *err = NULL;
    cr_assert_eq(run_cmd("route /tmp/orbnet_far.ini --from Sydney --to 'Warsaw PoP' "
                         "--time 2026-06-24T12:00:00Z --format json", &out, NULL), 0);
    json_t *j = json_loads(out, 0, NULL);
    cr_assert(json_is_null(json_object_get(j, "rtt_ms")), "%s", out);
    cr_assert_eq(json_array_size(json_object_get(j, "path")), 0);
    json_decref(j);
    free(out);
    cr_assert_eq(run_cmd("route /tmp/orbnet_far.ini --from Nowhere --to 'Warsaw PoP' "
                         "--time 2026-06-24T12:00:00Z", NULL, &err), 3);
    cr_assert(strstr(err, "Nowhere"), "%s", err);
    free(err);
    cr_assert_eq(run_cmd("route /tmp/orbnet_far.ini --from Sydney --to 'Warsaw PoP'", NULL,
                         NULL), 2);
    cr_assert_eq(run_cmd("route /tmp/orbnet_far.ini --from Sydney --to Wola --time now", NULL,
                         NULL), 2);
    cr_assert_eq(run_cmd("route --help", NULL, NULL), 0);
    remove("/tmp/orbnet_far.ini");
    remove("/tmp/orbnet_far.csv");
}

/* Faults: a jammed terminal has no path at all; with every gateway but
 * Kaunas down, every path goes through Kaunas; dead satellites never
 * appear in a path. */
Test(run, faults_are_applied)
{
    char ini[64], dir[64], args[256], path[128];
    snprintf(ini, sizeof ini, "tests/data/net/.faults_%d.ini", (int)getpid());
    snprintf(dir, sizeof dir, "/tmp/orbnet_faults_%d", (int)getpid());
    FILE *f = fopen(ini, "w");
    fputs("[scenario]\nstart = 2026-06-24T12:00:00Z\nduration_s = 60\n"
          "[shell w550]\naltitude_km = 550\ninclination_deg = 53\nplanes = 24\n"
          "sats_per_plane = 22\nphasing = 1\nepoch = 2026-06-24T00:00:00Z\nfirst_id = 1\n"
          "[ground]\nsites = sites_ua.csv\n"
          "[faults]\njam = 50.45, 30.52, 30\n"
          "gateways_down = Wola Krobowska, Aerzen, Frankfurt / Usingen\n"
          "dead_sats = 1, 2, 3, 4, 5, 100, 101, 102\n", f);
    fclose(f);
    snprintf(args, sizeof args, "run %s -o %s --quiet", ini, dir);
    cr_assert_eq(run_cmd(args, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/rtt.csv", dir);
    f = fopen(path, "r");
    cr_assert(f);
    char line[2048];
    long kyiv = 0, others = 0;
    cr_assert(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *fl[8];
        cr_assert_eq(split(line, fl, 8), 8);
        if (!strcmp(fl[1], "Kyiv")) {
            cr_assert_str_empty(fl[3], "jammed Kyiv has a path: %s", fl[7]);
            cr_assert_str_empty(fl[5], "jammed Kyiv is served");
            kyiv++;
            continue;
        }
        if (!fl[3][0])
            continue;
        others++;
        cr_assert_str_eq(fl[6], "Kaunas");
        for (char *tok = strtok(fl[7], ">"); tok; tok = strtok(NULL, ">")) {
            int plane, slot;
            if (sscanf(tok, "w550-%d-%d", &plane, &slot) == 2) {
                int id = 1 + plane * 22 + slot; /* first_id 1, plane-major */
                cr_assert(!(id <= 5 || (id >= 100 && id <= 102)), "dead satellite %s", tok);
            }
        }
    }
    fclose(f);
    cr_assert_eq(kyiv, 61);
    cr_assert_gt(others, 61);
    remove(ini);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    system(args);
}

/* Names with commas and quotes are quoted CSV fields, paths included. */
Test(run, names_are_quoted_in_csv)
{
    char dir[64], args[256], path[128];
    snprintf(dir, sizeof dir, "/tmp/orbnet_quote_%d", (int)getpid());
    FILE *f = fopen("/tmp/orbnet_quote_sites.csv", "w");
    fputs("name,lat,lon,role\n\"Kyiv, \"\"centre\"\"\",50.45,30.52,terminal\n"
          "Wola Krobowska,51.86417,20.92105,gateway\n"
          "\"Warsaw, PoP\",52.227354,21.003357,pop\n", f);
    fclose(f);
    f = fopen("/tmp/orbnet_quote.ini", "w");
    fputs("[scenario]\nstart = 2026-06-24T12:00:00Z\nduration_s = 5\n"
          "[shell w]\naltitude_km = 550\ninclination_deg = 53\nplanes = 24\n"
          "sats_per_plane = 22\nphasing = 1\nepoch = 2026-06-24T00:00:00Z\n"
          "[ground]\nsites = orbnet_quote_sites.csv\n[output]\nreport = off\n", f);
    fclose(f);
    snprintf(args, sizeof args, "run /tmp/orbnet_quote.ini -o %s --quiet", dir);
    cr_assert_eq(run_cmd(args, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/rtt.csv", dir);
    f = fopen(path, "r");
    char line[2048];
    cr_assert(fgets(line, sizeof line, f));
    cr_assert(fgets(line, sizeof line, f));
    fclose(f);
    cr_assert(strstr(line, ",\"Kyiv, \"\"centre\"\"\",\"Warsaw, PoP\","), "%s", line);
    cr_assert(strstr(line, ",\"Kyiv, \"\"centre\"\">"), "path field: %s", line);
    cr_assert(strstr(line, ">Wola Krobowska>Warsaw, PoP\"\n"), "path field: %s", line);
    snprintf(path, sizeof path, "%s/report.html", dir);
    cr_assert_eq(access(path, F_OK), -1, "report = off writes no report");
    remove("/tmp/orbnet_quote.ini");
    remove("/tmp/orbnet_quote_sites.csv");
    snprintf(args, sizeof args, "rm -rf %s", dir);
    system(args);
}
