/* isl.c: laser-link topologies: +Grid candidates from satellite identity,
 * explicit pairs from a file, and nearest-K links through a 3-D cell grid. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/elements.h"
#include "orbnet/links.h"
#include "orbnet/vec.h"

#define PI 3.14159265358979323846

/* ---- +Grid ---- */

typedef struct member {
    int shell, plane, slot;
    double arglat;
    int32_t idx;
} member_t;

static int cmp_member(const void *pa, const void *pb)
{
    const member_t *a = pa, *b = pb;
    if (a->shell != b->shell)
        return a->shell < b->shell ? -1 : 1;
    if (a->plane != b->plane)
        return a->plane < b->plane ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct grid_ctx {
    const member_t *m;
    size_t n;
    int lasers;
    int *used;
    orb_isl_set_t *out;
} grid_ctx_t;

/* Adds the pair (i, j) of member positions when both have a free laser. */
static int grid_link(grid_ctx_t *g, size_t i, size_t j)
{
    int32_t a = g->m[i].idx, b = g->m[j].idx;
    if (a == b)
        return ORB_OK;
    if (g->lasers > 0 && (g->used[a] >= g->lasers || g->used[b] >= g->lasers))
        return ORB_OK;
    g->used[a]++;
    g->used[b]++;
    return orb_isl_set_add(g->out, a, b, 0);
}

/* End (exclusive) of the run of members starting at i that share the
 * shell and, when same_plane, the plane. */
static size_t run_end(const member_t *m, size_t n, size_t i, int same_plane)
{
    size_t j = i + 1;
    while (j < n && m[j].shell == m[i].shell && (!same_plane || m[j].plane == m[i].plane))
        j++;
    return j;
}

static int intra_plane(grid_ctx_t *g, size_t p0, size_t p1)
{
    size_t len = p1 - p0;
    if (len < 2)
        return ORB_OK;
    for (size_t i = p0; i + 1 < p1; i++)
        if (grid_link(g, i, i + 1))
            return ORB_ENOMEM;
    if (len >= 3)
        return grid_link(g, p1 - 1, p0);
    return ORB_OK;
}

static double angle_gap(double a, double b)
{
    double d = fmod(fabs(a - b), 2 * PI);
    return d > PI ? 2 * PI - d : d;
}

/* The member of plane [q0, q1) matching member i: same slot, or nearest
 * argument of latitude when use_arglat.  q1 when none. */
static size_t partner(const member_t *m, size_t i, size_t q0, size_t q1, int use_arglat)
{
    size_t best = q1;
    double gap = 1e300;
    for (size_t j = q0; j < q1; j++) {
        if (!use_arglat || isnan(m[i].arglat)) {
            if (m[j].slot == m[i].slot)
                return j;
            continue;
        }
        double d = angle_gap(m[i].arglat, m[j].arglat);
        if (d < gap) {
            gap = d;
            best = j;
        }
    }
    return best;
}

static int inter_plane(grid_ctx_t *g, size_t s0, size_t s1, int use_arglat)
{
    int nplanes = 0;
    for (size_t p = s0; p < s1; p = run_end(g->m, s1, p, 1))
        nplanes++;
    if (nplanes < 2)
        return ORB_OK;
    for (size_t p0 = s0; p0 < s1;) {
        size_t p1 = run_end(g->m, s1, p0, 1);
        size_t q0 = p1 < s1 ? p1 : s0;
        if (p1 >= s1 && nplanes < 3)
            break; /* two planes: one set of cross links, not two */
        size_t q1 = run_end(g->m, s1, q0, 1);
        for (size_t i = p0; i < p1; i++) {
            size_t j = partner(g->m, i, q0, q1, use_arglat);
            if (j < q1 && grid_link(g, i, j))
                return ORB_ENOMEM;
        }
        p0 = p1;
    }
    return ORB_OK;
}

int orb_isl_plus_grid(size_t n, const int *shell, const int *plane,
                      const int *slot, const double *arglat_rad,
                      int lasers_per_sat, orb_isl_set_t *out)
{
    member_t *m = orb__calloc(n + 1, sizeof *m);
    int *used = orb__calloc(n + 1, sizeof *used);
    int rc = ORB_ENOMEM;
    if (!m || !used)
        goto done;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (shell[i] < 0)
            continue;
        m[k] = (member_t){shell[i], plane[i], slot[i],
                          arglat_rad ? arglat_rad[i] : 0, (int32_t)i};
        k++;
    }
    qsort(m, k, sizeof *m, cmp_member);
    grid_ctx_t g = {m, k, lasers_per_sat, used, out};
    rc = ORB_OK;
    for (size_t p0 = 0; p0 < k && !rc;) {
        size_t p1 = run_end(m, k, p0, 1);
        rc = intra_plane(&g, p0, p1);
        p0 = p1;
    }
    for (size_t s0 = 0; s0 < k && !rc;) {
        size_t s1 = run_end(m, k, s0, 0);
        rc = inter_plane(&g, s0, s1, arglat_rad != NULL);
        s0 = s1;
    }
done:
    orb__free(m);
    orb__free(used);
    return rc;
}

/* ---- ISL file ---- */

typedef struct norad_ix {
    long norad;
    int32_t idx;
} norad_ix_t;

static int cmp_norad(const void *pa, const void *pb)
{
    const norad_ix_t *a = pa, *b = pb;
    return (a->norad > b->norad) - (a->norad < b->norad);
}

static int32_t lookup(const norad_ix_t *t, size_t n, long norad)
{
    norad_ix_t key = {norad, 0};
    const norad_ix_t *f = bsearch(&key, t, n, sizeof *t, cmp_norad);
    return f ? f->idx : -1;
}

/* Parses one catalogue number at *p, advancing past it and separators. */
static int parse_num(char **p, long *v)
{
    while (**p == ' ' || **p == '\t' || **p == ',')
        (*p)++;
    if (!isdigit((unsigned char)**p))
        return -1;
    errno = 0;
    char *end;
    *v = strtol(*p, &end, 10);
    if (errno || end == *p)
        return -1;
    *p = end;
    while (**p == ' ' || **p == '\t' || **p == ',' || **p == '\r')
        (*p)++;
    return 0;
}

static int parse_isl_line(char *line, const char *path, long lineno,
                          const norad_ix_t *t, size_t n, orb_isl_set_t *out,
                          orb_error_t *err)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return ORB_OK;
    long a, b;
    if (parse_num(&p, &a) || parse_num(&p, &b) || *p != '\0')
        return orb_error_set(err, ORB_ESYNTAX, path, lineno, 0, NULL,
                             "expected two catalogue numbers separated by a space or a comma");
    int32_t ia = lookup(t, n, a), ib = lookup(t, n, b);
    if (ia < 0 || ib < 0)
        return orb_error_set(err, ORB_ENOTFOUND, path, lineno, 0, NULL,
                             "catalogue number %ld is not in the constellation",
                             ia < 0 ? a : b);
    if (ia == ib)
        return orb_error_set(err, ORB_ESYNTAX, path, lineno, 0, NULL,
                             "satellite %ld linked to itself", a);
    if (orb_isl_set_add(out, ia, ib, 0))
        return orb_error_set(err, ORB_ENOMEM, path, lineno, 0, NULL, "out of memory");
    return ORB_OK;
}

int orb_isl_load_file(const char *path, const long *norad, size_t n,
                      orb_isl_set_t *out, orb_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = orb_file_read(path, &data, &len, err);
    if (rc)
        return rc;
    norad_ix_t *t = orb__calloc(n + 1, sizeof *t);
    if (!t) {
        orb_buffer_free(data);
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        t[i] = (norad_ix_t){norad[i], (int32_t)i};
    qsort(t, n, sizeof *t, cmp_norad);
    long lineno = 0;
    char *save = NULL;
    for (char *line = data; line && !rc; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        rc = parse_isl_line(line, path, lineno, t, n, out, err);
    }
    orb__free(t);
    orb_buffer_free(data);
    return rc;
}

/* ---- nearest-K ---- */

#define NEAR_CELL_KM 250.0
#define NEAR_HALF_KM 9000.0 /* grid covers |x|,|y|,|z| < this */
#define NEAR_G 72           /* 2 * NEAR_HALF_KM / NEAR_CELL_KM */

typedef struct prop {
    double length_km;
    int32_t a, b;
} prop_t;

struct orb_isl_nearest_ws {
    size_t max_sats;
    int32_t *cell_start; /* NEAR_G^3 + 1 */
    int32_t *sats;
    int32_t *cell_of;
    prop_t *prop, *tmp;   /* proposed links of one step, sort buffer */
    size_t nprop, prop_cap, tmp_cap;
    int32_t *nbr;         /* each satellite's k nearest (-1 padded) */
    size_t nbr_cap;
    size_t *count;        /* radix sort histogram, 65537 */
    int *used;
};

orb_isl_nearest_ws_t *orb_isl_nearest_ws_create(size_t max_sats)
{
    orb_isl_nearest_ws_t *ws = orb__calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_sats = max_sats;
    ws->cell_start = orb__calloc(NEAR_G * NEAR_G * NEAR_G + 1, sizeof(int32_t));
    ws->sats = orb__calloc(max_sats + 1, sizeof(int32_t));
    ws->cell_of = orb__calloc(max_sats + 1, sizeof(int32_t));
    ws->used = orb__calloc(max_sats + 1, sizeof(int));
    ws->count = orb__calloc(65537, sizeof(size_t));
    if (!ws->cell_start || !ws->sats || !ws->cell_of || !ws->used || !ws->count) {
        orb_isl_nearest_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

void orb_isl_nearest_ws_destroy(orb_isl_nearest_ws_t *ws)
{
    if (!ws)
        return;
    orb__free(ws->cell_start);
    orb__free(ws->sats);
    orb__free(ws->cell_of);
    orb__free(ws->used);
    orb__free(ws->prop);
    orb__free(ws->tmp);
    orb__free(ws->nbr);
    orb__free(ws->count);
    orb__free(ws);
}

static int coord_cell(double v)
{
    int c = (int)floor((v + NEAR_HALF_KM) / NEAR_CELL_KM);
    return c < 0 ? 0 : c >= NEAR_G ? NEAR_G - 1 : c;
}

static void near_bin(orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos)
{
    int ncell = NEAR_G * NEAR_G * NEAR_G;
    memset(ws->cell_start, 0, (size_t)(ncell + 1) * sizeof(int32_t));
    for (size_t i = 0; i < pos->count; i++) {
        if (pos->alive && !pos->alive[i]) {
            ws->cell_of[i] = -1;
            continue;
        }
        int c = (coord_cell(pos->x_km[i]) * NEAR_G + coord_cell(pos->y_km[i])) * NEAR_G +
                coord_cell(pos->z_km[i]);
        ws->cell_of[i] = c;
        ws->cell_start[c + 1]++;
    }
    for (int c = 0; c < ncell; c++)
        ws->cell_start[c + 1] += ws->cell_start[c];
    for (size_t i = 0; i < pos->count; i++)
        if (ws->cell_of[i] >= 0)
            ws->sats[ws->cell_start[ws->cell_of[i]]++] = (int32_t)i;
    for (int c = ncell; c > 0; c--)
        ws->cell_start[c] = ws->cell_start[c - 1];
    ws->cell_start[0] = 0;
}

typedef struct best {
    int k, n;
    int32_t idx[16];
    double d[16];
} best_t;

/* Keeps the k nearest (ties to the lower index) in ascending order. */
static void best_offer(best_t *b, int32_t j, double d)
{
    int pos = b->n;
    while (pos > 0 && (b->d[pos - 1] > d || (b->d[pos - 1] == d && b->idx[pos - 1] > j)))
        pos--;
    if (pos >= b->k)
        return;
    int last = b->n < b->k ? b->n : b->k - 1;
    for (int q = last; q > pos; q--) {
        b->idx[q] = b->idx[q - 1];
        b->d[q] = b->d[q - 1];
    }
    b->idx[pos] = j;
    b->d[pos] = d;
    if (b->n < b->k)
        b->n++;
}

static void load(const orb_sat_pos_t *pos, int32_t i, double r[3])
{
    r[0] = pos->x_km[i];
    r[1] = pos->y_km[i];
    r[2] = pos->z_km[i];
}

/* Scans the cells at Chebyshev distance `ring` around cell (cx, cy, cz). */
static void scan_ring(const orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos,
                      int32_t i, int cx, int cy, int cz, int ring,
                      const orb_isl_params_t *p, best_t *b)
{
    double ri[3], rj[3];
    load(pos, i, ri);
    for (int x = cx - ring; x <= cx + ring; x++)
        for (int y = cy - ring; y <= cy + ring; y++)
            for (int z = cz - ring; z <= cz + ring; z++) {
                if (abs(x - cx) != ring && abs(y - cy) != ring && abs(z - cz) != ring)
                    continue;
                if (x < 0 || y < 0 || z < 0 || x >= NEAR_G || y >= NEAR_G || z >= NEAR_G)
                    continue;
                int c = (x * NEAR_G + y) * NEAR_G + z;
                for (int32_t q = ws->cell_start[c]; q < ws->cell_start[c + 1]; q++) {
                    int32_t j = ws->sats[q];
                    if (j == i)
                        continue;
                    load(pos, j, rj);
                    double d = orb_vec_dist(ri, rj);
                    if (d > p->max_range_km || (b->n == b->k && d > b->d[b->k - 1]))
                        continue; /* out of range, or could not enter the k best */
                    if (orb_isl_clear_of_earth(ri, rj, p->grazing_km))
                        best_offer(b, j, d);
                }
            }
}

static void nearest_of(const orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos,
                       int32_t i, const orb_isl_params_t *p, best_t *b)
{
    int c = ws->cell_of[i];
    int cz = c % NEAR_G, cy = (c / NEAR_G) % NEAR_G, cx = c / (NEAR_G * NEAR_G);
    /* m: distance from the satellite to the nearest face of its own cell;
       every point of a cell R rings out is at least (R - 1) cells + m away */
    double r[3], m = NEAR_CELL_KM;
    int cc[3] = {cx, cy, cz};
    load(pos, i, r);
    for (int k = 0; k < 3; k++) {
        double lo = cc[k] * NEAR_CELL_KM - NEAR_HALF_KM;
        m = fmin(m, fmin(r[k] - lo, lo + NEAR_CELL_KM - r[k]));
    }
    if (m < 0)
        m = 0; /* outside the grid (clamped): no shortcut */
    int rings = (int)ceil(p->max_range_km / NEAR_CELL_KM) + 1;
    for (int ring = 0; ring <= rings && ring <= NEAR_G; ring++) {
        if (ring > 0 && b->n == b->k && b->d[b->k - 1] <= (ring - 1) * NEAR_CELL_KM + m)
            break;
        scan_ring(ws, pos, i, cx, cy, cz, ring, p, b);
    }
}

/* Sorts proposals by length, stable (least significant digit radix sort
 * on the bits of the positive doubles, 16 bits a pass): much faster than
 * qsort on tens of thousands of links, and ties keep their order. */
static int sort_props(orb_isl_nearest_ws_t *ws)
{
    size_t n = ws->nprop;
    if (orb__grow((void **)&ws->tmp, &ws->tmp_cap, n + 1, sizeof *ws->tmp))
        return ORB_ENOMEM;
    prop_t *src = ws->prop, *dst = ws->tmp;
    static const int shifts[4] = {0, 16, 32, 48};
    for (int pass = 0; pass < 4; pass++) {
        size_t *count = ws->count;
        memset(count, 0, 65537 * sizeof *count);
        for (size_t q = 0; q < n; q++) {
            uint64_t key;
            memcpy(&key, &src[q].length_km, sizeof key);
            count[((key >> shifts[pass]) & 0xffff) + 1]++;
        }
        for (size_t d = 0; d < 65536; d++)
            count[d + 1] += count[d];
        for (size_t q = 0; q < n; q++) {
            uint64_t key;
            memcpy(&key, &src[q].length_km, sizeof key);
            dst[count[(key >> shifts[pass]) & 0xffff]++] = src[q];
        }
        prop_t *t = src;
        src = dst;
        dst = t;
    }
    return ORB_OK; /* after an even number of passes the result is in prop */
}

/* Each satellite's k nearest; a pair goes in once: from its lower index,
 * or from the higher one when the lower did not propose it. */
static int propose(orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos,
                   const orb_isl_params_t *p)
{
    size_t k = (size_t)p->k;
    if (orb__grow((void **)&ws->nbr, &ws->nbr_cap, pos->count * k + 1, sizeof *ws->nbr))
        return ORB_ENOMEM;
    ws->nprop = 0;
    for (size_t i = 0; i < pos->count; i++) {
        int32_t *mine = ws->nbr + i * k;
        for (size_t q = 0; q < k; q++)
            mine[q] = -1;
        if (ws->cell_of[i] < 0)
            continue;
        best_t b = {p->k, 0, {0}, {0}};
        nearest_of(ws, pos, (int32_t)i, p, &b);
        for (int q = 0; q < b.n; q++) {
            int32_t j = b.idx[q];
            mine[q] = j;
            int dup = 0;
            if (j < (int32_t)i)
                for (size_t t = 0; t < k; t++)
                    dup |= ws->nbr[(size_t)j * k + t] == (int32_t)i;
            if (dup)
                continue;
            int32_t lo = (int32_t)i < j ? (int32_t)i : j, hi = (int32_t)i < j ? j : (int32_t)i;
            if (orb__grow((void **)&ws->prop, &ws->prop_cap, ws->nprop + 1, sizeof *ws->prop))
                return ORB_ENOMEM;
            ws->prop[ws->nprop++] = (prop_t){b.d[q], lo, hi};
        }
    }
    return ORB_OK;
}

int orb_isl_nearest(orb_isl_nearest_ws_t *ws, const orb_sat_pos_t *pos,
                    const orb_isl_params_t *p, orb_isl_set_t *out)
{
    if (p->k < 1 || p->k > 16 || !(p->max_range_km > 0) || pos->count > ws->max_sats)
        return ORB_EINVAL;
    near_bin(ws, pos);
    if (propose(ws, pos, p))
        return ORB_ENOMEM;
    if (sort_props(ws))
        return ORB_ENOMEM;
    int cap = p->lasers_per_sat > 0 ? p->lasers_per_sat : p->k;
    memset(ws->used, 0, pos->count * sizeof(int));
    out->count = 0;
    for (size_t q = 0; q < ws->nprop; q++) {
        const prop_t *e = &ws->prop[q];
        if (ws->used[e->a] >= cap || ws->used[e->b] >= cap)
            continue;
        ws->used[e->a]++;
        ws->used[e->b]++;
        if (orb_isl_set_add(out, e->a, e->b, e->length_km))
            return ORB_ENOMEM;
    }
    return ORB_OK;
}
