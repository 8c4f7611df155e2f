/* links.c: ground-satellite candidate links through a latitude/longitude
 * cell index of the satellites, and the per-step filter of laser links.
 * (Topology builders for laser links are in isl.c.) */
#include "orbnet/links.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/vec.h"

#define PI 3.14159265358979323846
#define CELL_DEG 2.0
#define NLAT 90  /* 180 / CELL_DEG */
#define NLON 180 /* 360 / CELL_DEG */
/* Slack on the search cap: geodetic versus geocentric vertical (0.19 deg)
 * and the satellite's own geodetic/geocentric difference, with room. */
#define CAP_MARGIN_RAD (1.0 * PI / 180.0)

struct orb_sat_index {
    size_t max_sats;
    int32_t *cell_start; /* NLAT * NLON + 1 */
    int32_t *sats;       /* satellite indices grouped by cell */
    double *px, *py, *pz;/* their positions in the same order (locality) */
    int32_t *cell_of;    /* cell of each satellite, -1 when dead */
    double r_min_km, r_max_km; /* geocentric radii bounds of live satellites */
};

orb_sat_index_t *orb_sat_index_create(size_t max_sats)
{
    orb_sat_index_t *ix = orb__calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->max_sats = max_sats;
    ix->cell_start = orb__calloc(NLAT * NLON + 1, sizeof(int32_t));
    ix->sats = orb__calloc(max_sats + 1, sizeof(int32_t));
    ix->cell_of = orb__calloc(max_sats + 1, sizeof(int32_t));
    ix->px = orb__calloc(max_sats + 1, sizeof(double));
    ix->py = orb__calloc(max_sats + 1, sizeof(double));
    ix->pz = orb__calloc(max_sats + 1, sizeof(double));
    if (!ix->cell_start || !ix->sats || !ix->cell_of || !ix->px || !ix->py || !ix->pz) {
        orb_sat_index_destroy(ix);
        return NULL;
    }
    return ix;
}

void orb_sat_index_destroy(orb_sat_index_t *ix)
{
    if (!ix)
        return;
    orb__free(ix->cell_start);
    orb__free(ix->sats);
    orb__free(ix->cell_of);
    orb__free(ix->px);
    orb__free(ix->py);
    orb__free(ix->pz);
    orb__free(ix);
}

static int lat_band(double lat_rad)
{
    int b = (int)floor((lat_rad + PI / 2) / (PI / NLAT));
    return b < 0 ? 0 : b >= NLAT ? NLAT - 1 : b;
}

static int lon_band(double lon_rad)
{
    int b = (int)floor((lon_rad + PI) / (2 * PI / NLON));
    return ((b % NLON) + NLON) % NLON;
}

static int cell_of_point(double x, double y, double z)
{
    double lat = atan2(z, sqrt(x * x + y * y));
    double lon = atan2(y, x);
    return lat_band(lat) * NLON + lon_band(lon);
}

static int is_alive(const orb_sat_pos_t *pos, size_t i)
{
    return !pos->alive || pos->alive[i];
}

int orb_sat_index_build(orb_sat_index_t *ix, const orb_sat_pos_t *pos)
{
    if (pos->count > ix->max_sats)
        return ORB_EINVAL;
    memset(ix->cell_start, 0, (NLAT * NLON + 1) * sizeof(int32_t));
    double r2max = 0, r2min = INFINITY;
    for (size_t i = 0; i < pos->count; i++) {
        double x = pos->x_km[i], y = pos->y_km[i], z = pos->z_km[i];
        double r2 = x * x + y * y + z * z;
        if (!is_alive(pos, i) || !(r2 > 0)) {
            ix->cell_of[i] = -1;
            continue;
        }
        int c = cell_of_point(x, y, z);
        ix->cell_of[i] = c;
        ix->cell_start[c + 1]++;
        if (r2 > r2max)
            r2max = r2;
        if (r2 < r2min)
            r2min = r2;
    }
    for (int c = 0; c < NLAT * NLON; c++)
        ix->cell_start[c + 1] += ix->cell_start[c];
    /* place satellites in index order so every cell lists them ascending */
    for (size_t i = 0; i < pos->count; i++) {
        int c = ix->cell_of[i];
        if (c >= 0) {
            int32_t at = ix->cell_start[c]++;
            ix->sats[at] = (int32_t)i;
            ix->px[at] = pos->x_km[i];
            ix->py[at] = pos->y_km[i];
            ix->pz[at] = pos->z_km[i];
        }
    }
    /* the loop advanced each start to the next cell's start: shift back */
    for (int c = NLAT * NLON; c > 0; c--)
        ix->cell_start[c] = ix->cell_start[c - 1];
    ix->cell_start[0] = 0;
    ix->r_max_km = sqrt(r2max);
    ix->r_min_km = sqrt(r2min);
    return ORB_OK;
}

orb_gsl_set_t *orb_gsl_set_create(size_t site_count)
{
    orb_gsl_set_t *s = orb__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->site_count = site_count;
    s->offset = orb__calloc(site_count + 1, sizeof(size_t));
    if (!s->offset) {
        orb__free(s);
        return NULL;
    }
    return s;
}

void orb_gsl_set_destroy(orb_gsl_set_t *set)
{
    if (!set)
        return;
    orb__free(set->offset);
    orb__free(set->links);
    orb__free(set);
}

/* Largest Earth-central angle between a site at radius rg_km and a
 * satellite with radius in [r_lo, r_hi] that the site can see (spherical
 * geometry).  The elevation bound grows with the satellite's radius and the
 * range bound shrinks with it (above the site), so each is taken at its
 * worst end. */
static double cap_angle(double rg_km, double r_lo, double r_hi, const orb_gsl_params_t *p)
{
    double e = p->min_elevation_rad;
    double c = rg_km * cos(e) / r_hi;
    double theta = (c >= 1 ? 0 : acos(c)) - e;
    if (p->max_range_km > 0) {
        double d = p->max_range_km, r_km = r_lo > rg_km ? r_lo : rg_km;
        double cr = (rg_km * rg_km + r_km * r_km - d * d) / (2 * rg_km * r_km);
        double tr = cr >= 1 ? 0 : cr <= -1 ? PI : acos(cr);
        if (tr < theta)
            theta = tr;
    }
    if (theta < 0)
        theta = 0;
    return theta + CAP_MARGIN_RAD;
}

/* Tests satellite i at (x, y, z) against one site; appends it when
 * visible. */
static int test_sat(double x, double y, double z, int32_t i, const orb_topo_t *s,
                    double sin_mask, double max_range, orb_gsl_set_t *out,
                    size_t *n)
{
    double d[3] = {x - s->r_ecef_km[0], y - s->r_ecef_km[1], z - s->r_ecef_km[2]};
    double up = orb_vec_dot(d, s->up);
    if (up <= 0)
        return ORB_OK;
    double range = orb_vec_norm(d);
    if (up < sin_mask * range || (max_range > 0 && range > max_range))
        return ORB_OK;
    if (orb__grow((void **)&out->links, &out->capacity, *n + 1, sizeof *out->links))
        return ORB_ENOMEM;
    out->links[*n].sat = i;
    out->links[*n].sin_elevation = (float)(up / range);
    out->links[*n].range_km = range;
    (*n)++;
    return ORB_OK;
}

/* Scans the cells of longitude band row `lb` covering [lon0, lon1]. */
static int scan_row(const orb_sat_index_t *ix, int lb,
                    int c0, int ncells, const orb_topo_t *s, double sin_mask,
                    double max_range, orb_gsl_set_t *out, size_t *n)
{
    for (int k = 0; k < ncells; k++) {
        int c = lb * NLON + (c0 + k) % NLON;
        for (int32_t j = ix->cell_start[c]; j < ix->cell_start[c + 1]; j++)
            if (test_sat(ix->px[j], ix->py[j], ix->pz[j], ix->sats[j], s, sin_mask,
                         max_range, out, n))
                return ORB_ENOMEM;
    }
    return ORB_OK;
}

static int find_site(const orb_sat_index_t *ix, const orb_topo_t *s, const orb_gsl_params_t *p,
                     orb_gsl_set_t *out, size_t *n)
{
    const double *g = s->r_ecef_km;
    double rg = orb_vec_norm(g);
    double theta = cap_angle(rg, ix->r_min_km, ix->r_max_km, p);
    double lat = atan2(g[2], sqrt(g[0] * g[0] + g[1] * g[1]));
    double lon = atan2(g[1], g[0]);
    double sin_mask = sin(p->min_elevation_rad);
    int b0 = lat_band(lat - theta), b1 = lat_band(lat + theta);
    int c0 = 0, ncells = NLON;
    if (lat + theta < PI / 2 && lat - theta > -PI / 2 && sin(theta) < cos(lat)) {
        double dlon = asin(sin(theta) / cos(lat));
        c0 = lon_band(lon - dlon);
        ncells = lon_band(lon + dlon) - c0 + 1;
        if (ncells <= 0)
            ncells += NLON;
        if (ncells > NLON)
            ncells = NLON;
    }
    for (int lb = b0; lb <= b1; lb++)
        if (scan_row(ix, lb, c0, ncells, s, sin_mask, p->max_range_km, out, n))
            return ORB_ENOMEM;
    return ORB_OK;
}

int orb_gsl_find(const orb_sat_index_t *ix, const orb_sat_pos_t *pos,
                 const orb_topo_t *sites, size_t site_count,
                 const orb_gsl_params_t *p, orb_gsl_set_t *out)
{
    (void)pos; /* the index holds copies of the positions, in cell order */
    if (site_count > out->site_count)
        return ORB_EINVAL;
    size_t n = 0;
    for (size_t i = 0; i < site_count; i++) {
        out->offset[i] = n;
        if (ix->r_max_km > 0 && find_site(ix, &sites[i], p, out, &n))
            return ORB_ENOMEM;
    }
    out->offset[site_count] = n;
    return ORB_OK;
}

int orb_gsl_find_brute(const orb_sat_pos_t *pos, const orb_topo_t *sites,
                       size_t site_count, const orb_gsl_params_t *p,
                       orb_gsl_set_t *out)
{
    if (site_count > out->site_count)
        return ORB_EINVAL;
    size_t n = 0;
    double sin_mask = sin(p->min_elevation_rad);
    for (size_t i = 0; i < site_count; i++) {
        out->offset[i] = n;
        for (size_t j = 0; j < pos->count; j++)
            if (is_alive(pos, j) &&
                test_sat(pos->x_km[j], pos->y_km[j], pos->z_km[j], (int32_t)j, &sites[i],
                         sin_mask, p->max_range_km, out, &n))
                return ORB_ENOMEM;
    }
    out->offset[site_count] = n;
    return ORB_OK;
}

/* ---- laser links: per-step filter ---- */

orb_isl_set_t *orb_isl_set_create(void)
{
    return orb__calloc(1, sizeof(orb_isl_set_t));
}

void orb_isl_set_destroy(orb_isl_set_t *s)
{
    if (!s)
        return;
    orb__free(s->a);
    orb__free(s->b);
    orb__free(s->length_km);
    orb__free(s);
}

/* Makes room for `need` pairs in all three arrays. */
static int isl_reserve(orb_isl_set_t *s, size_t need)
{
    if (need <= s->capacity)
        return ORB_OK;
    size_t cap = s->capacity ? s->capacity : 64;
    while (cap < need)
        cap *= 2;
    int32_t *a = orb__realloc(s->a, cap * sizeof *a);
    if (!a)
        return ORB_ENOMEM;
    s->a = a;
    int32_t *b = orb__realloc(s->b, cap * sizeof *b);
    if (!b)
        return ORB_ENOMEM;
    s->b = b;
    double *l = orb__realloc(s->length_km, cap * sizeof *l);
    if (!l)
        return ORB_ENOMEM;
    s->length_km = l;
    s->capacity = cap;
    return ORB_OK;
}

int orb_isl_set_add(orb_isl_set_t *s, int32_t a, int32_t b, double length_km)
{
    if (isl_reserve(s, s->count + 1))
        return ORB_ENOMEM;
    s->a[s->count] = a;
    s->b[s->count] = b;
    s->length_km[s->count] = length_km;
    s->count++;
    return ORB_OK;
}

int orb_isl_clear_of_earth(const double a_km[3], const double b_km[3],
                           double grazing_km)
{
    double d[3];
    orb_vec_sub(b_km, a_km, d);
    double dd = orb_vec_dot(d, d);
    double t = dd > 0 ? -orb_vec_dot(a_km, d) / dd : 0;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    double p[3] = {a_km[0] + t * d[0], a_km[1] + t * d[1], a_km[2] + t * d[2]};
    double r = ORB_WGS84_A_KM + grazing_km;
    return orb_vec_dot(p, p) >= r * r;
}

int orb_isl_filter(const orb_isl_set_t *cand, const orb_sat_pos_t *pos,
                   const orb_isl_params_t *p, orb_isl_set_t *out)
{
    if (isl_reserve(out, cand->count))
        return ORB_ENOMEM;
    size_t n = 0;
    for (size_t k = 0; k < cand->count; k++) {
        int32_t i = cand->a[k], j = cand->b[k];
        if (!is_alive(pos, (size_t)i) || !is_alive(pos, (size_t)j))
            continue;
        double a[3] = {pos->x_km[i], pos->y_km[i], pos->z_km[i]};
        double b[3] = {pos->x_km[j], pos->y_km[j], pos->z_km[j]};
        double len = orb_vec_dist(a, b);
        if (p->max_range_km > 0 && len > p->max_range_km)
            continue;
        if (!orb_isl_clear_of_earth(a, b, p->grazing_km))
            continue;
        out->a[n] = i;
        out->b[n] = j;
        out->length_km[n] = len;
        n++;
    }
    out->count = n;
    return ORB_OK;
}
