/* constellation_infer.c: shell, plane and slot of real satellites, found
 * from their elements: inclination groups, altitude peaks within a group,
 * RAAN gaps within a shell, argument of latitude within a plane. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "constellation_internal.h"
#include "orbnet/frames.h"

#define TWO_PI (2.0 * M_PI)

/* Per-satellite working record. */
typedef struct rec {
    size_t sat;
    long group;     /* inclination bin */
    double alt_km;
    double key;     /* sort key of the current step */
    int peak;       /* shell candidate within the group, -1 none */
} rec_t;

static int by_group_alt(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->alt_km > y->alt_km) - (x->alt_km < y->alt_km);
}

static int by_key(const void *a, const void *b)
{
    const rec_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->sat > y->sat) - (x->sat < y->sat);
}

/* ---- peaks of a value (inclination or altitude) within a group ---- */

typedef struct bin {
    long index;
    size_t count;
} bin_t;

static int by_count_desc(const void *a, const void *b)
{
    const bin_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Histograms r[i].key in bins of width `bin` and returns the centres of
 * the peaks (bins with at least peak_min entries, strongest first, each
 * more than `window` from a stronger one) in *peaks; their number, or -1
 * when out of memory. */
static int find_peaks(const rec_t *r, size_t n, double bin, double window, int peak_min,
                      double **peaks_out)
{
    long lo = LONG_MAX, hi = LONG_MIN;
    for (size_t i = 0; i < n; i++) {
        long b = lround(r[i].key / bin);
        lo = b < lo ? b : lo;
        hi = b > hi ? b : hi;
    }
    size_t nb = (size_t)(hi - lo + 1);
    bin_t *bins = orb__calloc(nb, sizeof *bins);
    double *peaks = orb__malloc(nb * sizeof *peaks);
    if (!bins || !peaks) {
        orb__free(bins);
        orb__free(peaks);
        return -1;
    }
    for (size_t b = 0; b < nb; b++)
        bins[b].index = lo + (long)b;
    for (size_t i = 0; i < n; i++)
        bins[lround(r[i].key / bin) - lo].count++;
    qsort(bins, nb, sizeof *bins, by_count_desc);
    int np = 0;
    for (size_t b = 0; b < nb && bins[b].count >= (size_t)peak_min; b++) {
        double centre = (double)bins[b].index * bin;
        int near = 0;
        for (int k = 0; k < np && !near; k++)
            near = fabs(peaks[k] - centre) <= window;
        if (!near)
            peaks[np++] = centre;
    }
    orb__free(bins);
    *peaks_out = peaks;
    return np;
}

/* Sets r[i].peak to the nearest peak within the window of r[i].key, or -1. */
static void assign_peaks(rec_t *r, size_t n, const double *peaks, int np, double window)
{
    for (size_t i = 0; i < n; i++) {
        r[i].peak = -1;
        double best = window;
        for (int k = 0; k < np; k++) {
            double d = fabs(r[i].key - peaks[k]);
            if (d <= best) {
                best = d;
                r[i].peak = k;
            }
        }
    }
}

/* Splits r[0..n) by peaks of key; calls fn on each peak's members (copied
 * to scratch, in r's order; fn gets the space after them as its scratch,
 * so scratch must hold 2n records).  Entries near no peak are left out. */
static int split_by_peaks(orb_constellation_t *c, rec_t *r, size_t n, double bin,
                          double window, const orb_infer_params_t *p, rec_t *scratch,
                          int (*fn)(orb_constellation_t *, rec_t *, size_t,
                                    const orb_infer_params_t *, rec_t *))
{
    double *peaks;
    int np = find_peaks(r, n, bin, window, p->peak_min, &peaks);
    if (np < 0)
        return ORB_ENOMEM;
    assign_peaks(r, n, peaks, np, window);
    orb__free(peaks);
    int rc = ORB_OK;
    for (int k = 0; k < np && rc == ORB_OK; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (r[i].peak == k)
                scratch[m++] = r[i];
        if (m >= (size_t)p->min_shell_size)
            rc = fn(c, scratch, m, p, scratch + m); /* it uses scratch[m..] */
    }
    return rc;
}

/* ---- planes and slots within one shell ---- */

/* Numbers the planes of the shell's members m[0..n) (sorted here by RAAN):
 * a new plane starts wherever the gap to the previous RAAN exceeds the
 * limit; plane 0 is the first after the widest gap.  Returns the count. */
static int split_planes(orb_constellation_t *c, rec_t *m, size_t n, double gap_rad)
{
    for (size_t i = 0; i < n; i++)
        m[i].key = c->raan_ref_rad[m[i].sat];
    qsort(m, n, sizeof *m, by_key);
    size_t start = 0;
    double widest = -1.0;
    for (size_t i = 0; i < n; i++) {
        double gap = m[i].key - m[(i + n - 1) % n].key;
        if (i == 0)
            gap += TWO_PI;
        if (gap > widest) {
            widest = gap;
            start = i;
        }
    }
    int plane = -1;
    for (size_t k = 0; k < n; k++) {
        size_t i = (start + k) % n, prev = (i + n - 1) % n;
        double gap = m[i].key - m[prev].key + (i == 0 ? TWO_PI : 0.0);
        if (k == 0 || gap > gap_rad)
            plane++;
        c->plane[m[i].sat] = plane;
    }
    return plane + 1;
}

/* Slots by argument of latitude within each plane; returns the largest
 * plane size. */
static int number_slots(orb_constellation_t *c, rec_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        m[i].key = c->plane[m[i].sat] * 10.0 + c->u_ref_rad[m[i].sat];
    qsort(m, n, sizeof *m, by_key);
    int largest = 0, slot = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && c->plane[m[i].sat] != c->plane[m[i - 1].sat])
            slot = 0;
        c->slot[m[i].sat] = slot++;
        if (slot > largest)
            largest = slot;
    }
    return largest;
}

static int make_shell(orb_constellation_t *c, rec_t *m, size_t n,
                      const orb_infer_params_t *p, rec_t *scratch)
{
    (void)scratch;
    orb_shell_info_t info;
    memset(&info, 0, sizeof info);
    double alt = 0.0, incl = 0.0;
    for (size_t i = 0; i < n; i++) {
        alt += m[i].alt_km;
        incl += c->cat->sats[m[i].sat].inclination_rad;
    }
    info.count = n;
    info.altitude_km = alt / (double)n;
    info.inclination_rad = incl / (double)n;
    snprintf(info.name, sizeof info.name, "%.2fdeg-%.0fkm", info.inclination_rad / ORB_DEG,
             info.altitude_km);
    int k = orb__constellation_add_shell(c, &info);
    if (k < 0)
        return ORB_ENOMEM;
    for (size_t i = 0; i < n; i++)
        c->shell[m[i].sat] = k;
    c->shells[k].planes = split_planes(c, m, n, p->raan_gap_rad);
    c->shells[k].sats_per_plane = number_slots(c, m, n);
    return ORB_OK;
}

/* The altitude peaks of one inclination peak. */
static int split_altitudes(orb_constellation_t *c, rec_t *r, size_t n,
                           const orb_infer_params_t *p, rec_t *scratch)
{
    for (size_t i = 0; i < n; i++)
        r[i].key = r[i].alt_km;
    return split_by_peaks(c, r, n, p->alt_bin_km, p->alt_window_km, p, scratch, make_shell);
}

/* The inclination peaks of one inclination group (Starlink flies shells
 * at 53.05, 53.16 and 53.22 deg, all in the census's 53.0 bin). */
static int infer_group(orb_constellation_t *c, rec_t *r, size_t n, const orb_infer_params_t *p,
                       rec_t *scratch)
{
    for (size_t i = 0; i < n; i++)
        r[i].key = c->cat->sats[r[i].sat].inclination_rad;
    return split_by_peaks(c, r, n, p->incl_peak_bin_rad, p->incl_window_rad, p, scratch,
                          split_altitudes);
}

/* Shells sort by census inclination bin (0.5 deg), then altitude. */
static int by_shell_alt(const void *a, const void *b)
{
    const orb_shell_info_t *x = a, *y = b;
    long gx = lround(x->inclination_rad / (0.5 * ORB_DEG));
    long gy = lround(y->inclination_rad / (0.5 * ORB_DEG));
    if (gx != gy)
        return gx < gy ? -1 : 1;
    return (x->altitude_km > y->altitude_km) - (x->altitude_km < y->altitude_km);
}

/* Orders the shells added since first_shell by inclination then altitude,
 * renumbering the satellites' shell indices. */
static int sort_new_shells(orb_constellation_t *c, size_t first_shell, size_t first, size_t n)
{
    size_t ns = c->shell_count - first_shell;
    if (ns < 2)
        return ORB_OK;
    int *order = orb__malloc(ns * sizeof *order);
    orb_shell_info_t *copy = orb__malloc(ns * sizeof *copy);
    if (!order || !copy) {
        orb__free(order);
        orb__free(copy);
        return ORB_ENOMEM;
    }
    memcpy(copy, c->shells + first_shell, ns * sizeof *copy);
    for (size_t k = 0; k < ns; k++)
        copy[k].phasing = (int)k; /* remember the old index (0 for inferred) */
    qsort(copy, ns, sizeof *copy, by_shell_alt);
    for (size_t k = 0; k < ns; k++) {
        order[copy[k].phasing] = (int)(first_shell + k);
        copy[k].phasing = 0;
    }
    memcpy(c->shells + first_shell, copy, ns * sizeof *copy);
    for (size_t i = first; i < first + n; i++)
        if (c->shell[i] >= (int)first_shell)
            c->shell[i] = order[c->shell[i] - (int)first_shell];
    orb__free(order);
    orb__free(copy);
    return ORB_OK;
}

int orb__constellation_infer(orb_constellation_t *c, size_t first, size_t n,
                             const orb_infer_params_t *p)
{
    if (n == 0)
        return ORB_OK;
    rec_t *r = orb__malloc(n * sizeof *r), *scratch = orb__calloc(2 * n, sizeof *scratch);
    if (!r || !scratch) {
        orb__free(r);
        orb__free(scratch);
        return ORB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const orb_elements_t *el = &c->cat->sats[first + i];
        r[i] = (rec_t){first + i, lround(el->inclination_rad / p->incl_bin_rad),
                       orb__mean_altitude_km(el), 0.0, -1};
        c->shell[first + i] = c->plane[first + i] = c->slot[first + i] = -1;
    }
    qsort(r, n, sizeof *r, by_group_alt);
    size_t first_shell = c->shell_count;
    int rc = ORB_OK;
    for (size_t g0 = 0, g1; g0 < n && rc == ORB_OK; g0 = g1) {
        for (g1 = g0 + 1; g1 < n && r[g1].group == r[g0].group; g1++)
            ;
        rc = infer_group(c, r + g0, g1 - g0, p, scratch);
    }
    if (rc == ORB_OK)
        rc = sort_new_shells(c, first_shell, first, n);
    orb__free(r);
    orb__free(scratch);
    return rc;
}
