/* constellation.c: the satellites of a scenario with their identity:
 * loading and selecting element sets, appending Walker shells, the plane
 * index, +Grid neighbours, the shell report and satellite fault masks. */
#include "orbnet/constellation.h"

#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "constellation_internal.h"
#include "orbnet/frames.h"
#include "orbnet/walker.h"

#define TWO_PI (2.0 * M_PI)
#define MU_WGS72_KM3_S2 398600.8
#define RE_WGS72_KM 6378.135
#define J2_WGS72 0.001082616
#define RE_EQ_KM 6378.137

orb_infer_params_t orb_infer_params_default(void)
{
    orb_infer_params_t p = {0.5 * ORB_DEG, 0.02 * ORB_DEG, 0.05 * ORB_DEG, 2.0, 4.0, 30,
                            1.5 * ORB_DEG, 30};
    return p;
}

/* ---- orbit helpers ---- */

double orb__mean_altitude_km(const orb_elements_t *el)
{
    double n_rad_s = el->mean_motion_rev_day * TWO_PI / 86400.0;
    return cbrt(MU_WGS72_KM3_S2 / (n_rad_s * n_rad_s)) - RE_EQ_KM;
}

static double wrap(double x)
{
    x = fmod(x, TWO_PI);
    return x < 0.0 ? x + TWO_PI : x;
}

void orb__elements_at(const orb_elements_t *el, orb_time_t ref, double *raan_rad, double *u_rad)
{
    double n = el->mean_motion_rev_day * TWO_PI / 86400.0; /* rad/s */
    double a = cbrt(MU_WGS72_KM3_S2 / (n * n));
    double e2 = el->eccentricity * el->eccentricity;
    double p_ratio = RE_WGS72_KM / (a * (1.0 - e2));
    double k = 1.5 * J2_WGS72 * p_ratio * p_ratio * n; /* rad/s */
    double ci = cos(el->inclination_rad);
    double raan_dot = -k * ci;
    double argp_dot = 0.5 * k * (5.0 * ci * ci - 1.0);
    double m_dot = n + 0.5 * k * sqrt(1.0 - e2) * (3.0 * ci * ci - 1.0);
    double dt = orb_time_diff_s(ref, el->epoch), dt_day = dt / 86400.0;
    double drag = TWO_PI * el->ndot_rev_day2 * dt_day * dt_day;
    *raan_rad = wrap(el->raan_rad + raan_dot * dt);
    *u_rad = wrap(el->arg_perigee_rad + el->mean_anomaly_rad + (argp_dot + m_dot) * dt + drag);
}

int orb__constellation_add_shell(orb_constellation_t *c, const orb_shell_info_t *info)
{
    orb_shell_info_t *s = orb__realloc(c->shells, (c->shell_count + 1) * sizeof *s);
    if (!s)
        return -1;
    c->shells = s;
    s[c->shell_count] = *info;
    return (int)c->shell_count++;
}

/* ---- creation ---- */

void orb_constellation_destroy(orb_constellation_t *c)
{
    if (!c)
        return;
    orb_catalog_destroy(c->cat);
    void *arrays[] = {c->shell, c->plane, c->slot, c->raan_ref_rad, c->u_ref_rad,
                      c->shells, c->members, c->plane_start, c->shell_plane0};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        orb__free(arrays[i]);
    orb__free(c);
}

/* Allocates the per-satellite arrays for c->cat and fills the reference
 * RAAN and argument of latitude. */
static int alloc_identity(orb_constellation_t *c)
{
    size_t n = c->cat->count ? c->cat->count : 1;
    c->shell = orb__malloc(n * sizeof *c->shell);
    c->plane = orb__malloc(n * sizeof *c->plane);
    c->slot = orb__malloc(n * sizeof *c->slot);
    c->raan_ref_rad = orb__malloc(n * sizeof *c->raan_ref_rad);
    c->u_ref_rad = orb__malloc(n * sizeof *c->u_ref_rad);
    if (!c->shell || !c->plane || !c->slot || !c->raan_ref_rad || !c->u_ref_rad)
        return ORB_ENOMEM;
    for (size_t i = 0; i < c->cat->count; i++) {
        orb__elements_at(&c->cat->sats[i], c->reference, &c->raan_ref_rad[i], &c->u_ref_rad[i]);
        c->shell[i] = c->plane[i] = c->slot[i] = -1;
    }
    return ORB_OK;
}

/* Builds members / plane_start / shell_plane0 from the identity arrays. */
static int build_index(orb_constellation_t *c)
{
    size_t total = 0;
    c->shell_plane0 = orb__malloc((c->shell_count + 1) * sizeof *c->shell_plane0);
    if (!c->shell_plane0)
        return ORB_ENOMEM;
    for (size_t k = 0; k < c->shell_count; k++) {
        c->shell_plane0[k] = total;
        total += (size_t)c->shells[k].planes;
    }
    c->shell_plane0[c->shell_count] = total;
    c->plane_start = orb__calloc(total + 1, sizeof *c->plane_start);
    size_t n = c->cat->count;
    c->members = orb__malloc((n ? n : 1) * sizeof *c->members);
    if (!c->plane_start || !c->members)
        return ORB_ENOMEM;
    c->unassigned_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->shell[i] < 0)
            c->unassigned_count++;
        else
            c->plane_start[c->shell_plane0[c->shell[i]] + (size_t)c->plane[i] + 1]++;
    }
    for (size_t g = 0; g < total; g++)
        c->plane_start[g + 1] += c->plane_start[g];
    for (size_t i = 0; i < n; i++)
        if (c->shell[i] >= 0)
            c->members[c->plane_start[c->shell_plane0[c->shell[i]] + (size_t)c->plane[i]] +
                       (size_t)c->slot[i]] = i;
    return ORB_OK;
}

int orb_constellation_from_catalog(orb_catalog_t *cat, orb_time_t ref,
                                   const orb_infer_params_t *p, orb_constellation_t **out)
{
    *out = NULL;
    orb_infer_params_t def = orb_infer_params_default();
    orb_constellation_t *c = orb__calloc(1, sizeof *c);
    if (!c) {
        orb_catalog_destroy(cat);
        return ORB_ENOMEM;
    }
    c->cat = cat;
    c->reference = ref;
    int rc = alloc_identity(c);
    if (rc == ORB_OK)
        rc = orb__constellation_infer(c, 0, cat->count, p ? p : &def);
    if (rc == ORB_OK)
        rc = build_index(c);
    if (rc != ORB_OK) {
        orb_constellation_destroy(c);
        return rc;
    }
    *out = c;
    return ORB_OK;
}

/* ---- building from a scenario ---- */

static int selected(const orb_scenario_t *sc, const orb_elements_t *el)
{
    if (sc->name_pattern[0] && fnmatch(sc->name_pattern, el->name, 0) != 0)
        return 0;
    if (sc->name_exclude[0] && fnmatch(sc->name_exclude, el->name, 0) == 0)
        return 0;
    if (el->inclination_rad < sc->incl_min_rad || el->inclination_rad > sc->incl_max_rad)
        return 0;
    double alt = orb__mean_altitude_km(el);
    return alt >= sc->alt_min_km && alt <= sc->alt_max_km;
}

/* Loads the scenario's element files, keeping the selected satellites;
 * file_of[i] receives the file index of satellite i (-1 for Walker). */
static int load_elements(const orb_scenario_t *sc, orb_catalog_t *cat, int **file_of,
                         size_t *file_cap, orb_error_t *err)
{
    for (size_t f = 0; f < sc->element_file_count; f++) {
        orb_catalog_t *tmp = orb_catalog_create();
        if (!tmp)
            return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        int rc = orb_catalog_load(sc->element_files[f].path, tmp, err);
        for (size_t i = 0; i < tmp->count && rc == ORB_OK; i++) {
            if (!selected(sc, &tmp->sats[i]))
                continue;
            if (orb_catalog_add(cat, &tmp->sats[i]) != ORB_OK ||
                orb__grow((void **)file_of, file_cap, cat->count, sizeof **file_of) != ORB_OK)
                rc = orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            else
                (*file_of)[cat->count - 1] = (int)f;
        }
        orb_catalog_destroy(tmp);
        if (rc != ORB_OK)
            return rc;
    }
    return ORB_OK;
}

typedef struct id_pos {
    long id;
    size_t index;
} id_pos_t;

static int by_id(const void *a, const void *b)
{
    const id_pos_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Rejects repeated catalogue numbers, naming the later occurrence. */
static int check_unique(const orb_scenario_t *sc, const orb_catalog_t *cat, const int *file_of,
                        orb_error_t *err)
{
    id_pos_t *ids = orb__malloc((cat->count ? cat->count : 1) * sizeof *ids);
    if (!ids)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < cat->count; i++)
        ids[i] = (id_pos_t){cat->sats[i].norad_id, i};
    qsort(ids, cat->count, sizeof *ids, by_id);
    int rc = ORB_OK;
    for (size_t k = 1; k < cat->count && rc == ORB_OK; k++) {
        if (ids[k].id != ids[k - 1].id)
            continue;
        size_t i = ids[k].index;
        const orb_elements_t *el = &cat->sats[i];
        if (file_of[i] >= 0)
            rc = orb_error_set(err, ORB_ESYNTAX, sc->element_files[file_of[i]].path,
                               el->source_line, 0, "norad_id",
                               "catalogue number %ld appears twice in the scenario's "
                               "element sets", el->norad_id);
        else
            rc = orb_error_set(err, ORB_ESYNTAX, sc->ini_path, 0, 0, "first_id",
                               "Walker satellite %s reuses catalogue number %ld",
                               el->name, el->norad_id);
    }
    orb__free(ids);
    return rc;
}

/* Gives the Walker satellites [first, ...) of shell sh their exact identity. */
static int add_walker_identity(orb_constellation_t *c, const orb_walker_shell_t *sh,
                               size_t first)
{
    orb_shell_info_t info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "%s", sh->name);
    info.is_walker = 1;
    info.count = (size_t)sh->planes * (size_t)sh->sats_per_plane;
    info.altitude_km = sh->altitude_km;
    info.inclination_rad = sh->inclination_rad;
    info.planes = sh->planes;
    info.sats_per_plane = sh->sats_per_plane;
    info.phasing = sh->phasing;
    int k = orb__constellation_add_shell(c, &info);
    if (k < 0)
        return ORB_ENOMEM;
    for (size_t j = 0; j < info.count; j++) {
        c->shell[first + j] = k;
        c->plane[first + j] = (int)(j / (size_t)sh->sats_per_plane);
        c->slot[first + j] = (int)(j % (size_t)sh->sats_per_plane);
    }
    return ORB_OK;
}

static int generate_walkers(const orb_scenario_t *sc, orb_catalog_t *cat, int **file_of,
                            size_t *file_cap, orb_error_t *err)
{
    for (size_t s = 0; s < sc->shell_count; s++) {
        int rc = orb_walker_generate(&sc->shells[s], cat, err);
        if (rc == ORB_OK &&
            orb__grow((void **)file_of, file_cap, cat->count, sizeof **file_of) != ORB_OK)
            rc = orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        if (rc != ORB_OK) {
            if (err && !err->file[0])
                snprintf(err->file, sizeof err->file, "%s", sc->ini_path);
            return rc;
        }
    }
    return ORB_OK;
}

static int assemble(const orb_scenario_t *sc, orb_constellation_t *c, size_t real_count,
                    orb_error_t *err)
{
    orb_infer_params_t p = orb_infer_params_default();
    p.min_shell_size = sc->min_shell_size;
    if (p.peak_min > sc->min_shell_size)
        p.peak_min = sc->min_shell_size; /* small test constellations */
    int rc = alloc_identity(c);
    if (rc == ORB_OK)
        rc = orb__constellation_infer(c, 0, real_count, &p);
    size_t first = real_count;
    for (size_t s = 0; s < sc->shell_count && rc == ORB_OK; s++) {
        rc = add_walker_identity(c, &sc->shells[s], first);
        first += (size_t)sc->shells[s].planes * (size_t)sc->shells[s].sats_per_plane;
    }
    if (rc == ORB_OK)
        rc = build_index(c);
    if (rc != ORB_OK)
        return orb_error_set(err, rc, NULL, 0, 0, NULL, "out of memory");
    return ORB_OK;
}

int orb_constellation_build(const orb_scenario_t *sc, orb_constellation_t **out,
                            orb_error_t *err)
{
    *out = NULL;
    orb_constellation_t *c = orb__calloc(1, sizeof *c);
    int *file_of = NULL;
    size_t file_cap = 0;
    if (!c || !(c->cat = orb_catalog_create())) {
        orb__free(c);
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    c->reference = sc->start;
    int rc = load_elements(sc, c->cat, &file_of, &file_cap, err);
    size_t real_count = c->cat->count;
    if (rc == ORB_OK)
        rc = generate_walkers(sc, c->cat, &file_of, &file_cap, err);
    for (size_t i = real_count; rc == ORB_OK && i < c->cat->count; i++)
        file_of[i] = -1;
    if (rc == ORB_OK)
        rc = check_unique(sc, c->cat, file_of, err);
    if (rc == ORB_OK && c->cat->count == 0)
        rc = orb_error_set(err, ORB_EEMPTY, sc->ini_path, 0, 0, "constellation",
                           "no satellite left after the selection");
    if (rc == ORB_OK)
        rc = assemble(sc, c, real_count, err);
    orb__free(file_of);
    if (rc != ORB_OK) {
        orb_constellation_destroy(c);
        return rc;
    }
    *out = c;
    return ORB_OK;
}

/* ---- queries ---- */

size_t orb_constellation_count(const orb_constellation_t *c)
{
    return c->cat->count;
}

size_t orb_constellation_plane(const orb_constellation_t *c, int shell, int plane,
                               const size_t **sats)
{
    *sats = NULL;
    if (shell < 0 || (size_t)shell >= c->shell_count || plane < 0 ||
        plane >= c->shells[shell].planes)
        return 0;
    size_t g = c->shell_plane0[shell] + (size_t)plane;
    *sats = c->members + c->plane_start[g];
    return c->plane_start[g + 1] - c->plane_start[g];
}

static double circ_dist(double a, double b)
{
    double d = fabs(wrap(a - b));
    return d > M_PI ? TWO_PI - d : d;
}

static size_t pos_mod(long k, size_t n)
{
    long m = k % (long)n;
    return (size_t)(m < 0 ? m + (long)n : m);
}

long orb_constellation_neighbor(const orb_constellation_t *c, size_t i, int dplane, int dslot)
{
    if (i >= c->cat->count || c->shell[i] < 0)
        return -1;
    const orb_shell_info_t *sh = &c->shells[c->shell[i]];
    if (dplane != 0 && sh->planes < 2)
        return -1;
    int q = (int)pos_mod((long)c->plane[i] + dplane, (size_t)sh->planes);
    const size_t *sats;
    size_t n = orb_constellation_plane(c, c->shell[i], q, &sats);
    if (n == 0)
        return -1;
    size_t at = 0;
    if (dplane == 0 || sh->is_walker) {
        at = (size_t)c->slot[i] < n ? (size_t)c->slot[i] : n - 1;
    } else {
        for (size_t k = 1; k < n; k++)
            if (circ_dist(c->u_ref_rad[sats[k]], c->u_ref_rad[i]) <
                circ_dist(c->u_ref_rad[sats[at]], c->u_ref_rad[i]))
                at = k;
    }
    size_t j = sats[pos_mod((long)at + dslot, n)];
    return j == i ? -1 : (long)j;
}

size_t orb_constellation_report(const orb_constellation_t *c, char *buf, size_t n)
{
    size_t used = 0;
#define OUT(...)                                                                 \
    do {                                                                         \
        int k_ = snprintf(n > used ? buf + used : NULL, n > used ? n - used : 0, \
                          __VA_ARGS__);                                          \
        used += k_ > 0 ? (size_t)k_ : 0;                                         \
    } while (0)
    if (n)
        buf[0] = '\0';
    OUT("%-20s %10s %12s %10s %7s %11s\n", "shell", "satellites", "altitude_km",
        "incl_deg", "planes", "sats/plane");
    for (size_t k = 0; k < c->shell_count; k++) {
        const orb_shell_info_t *s = &c->shells[k];
        OUT("%-20s %10zu %12.1f %10.2f %7d %11d%s\n", s->name, s->count, s->altitude_km,
            s->inclination_rad / ORB_DEG, s->planes, s->sats_per_plane,
            s->is_walker ? "  (Walker)" : "");
    }
    OUT("%-20s %10zu\n", "unassigned", c->unassigned_count);
#undef OUT
    return used;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

int orb_constellation_fault_mask(const orb_constellation_t *c, const orb_scenario_t *sc,
                                 unsigned char *dead, orb_error_t *err)
{
    size_t n = c->cat->count;
    for (size_t i = 0; i < n; i++) {
        double u = (double)(splitmix64((uint64_t)c->cat->sats[i].norad_id ^
                                       (uint64_t)sc->fault_seed) >> 11) * 0x1p-53;
        dead[i] = u < sc->dead_fraction;
    }
    for (size_t k = 0; k < sc->dead_sat_count; k++) {
        long i = orb_catalog_find(c->cat, sc->dead_sats[k]);
        if (i < 0)
            return orb_error_set(err, ORB_ENOTFOUND, sc->ini_path,
                                 sc->dead_sat_lines ? sc->dead_sat_lines[k] : sc->dead_sats_line, 0,
                                 "dead_sats", "no satellite with catalogue number %ld",
                                 sc->dead_sats[k]);
        dead[i] = 1;
    }
    return ORB_OK;
}
