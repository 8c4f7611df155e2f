/* passes.c: AOS / TCA / LOS of a satellite over a ground site: elevation
 * rate sampled on a coarse grid, extrema and mask crossings refined by
 * Brent's method. */
#include "orbnet/passes.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/vec.h"

#define PI 3.14159265358979323846

/* Everything one search needs; times are offsets x in seconds from start. */
typedef struct {
    const orb_sgp4_t *sat;
    const orb_topo_t *site;
    orb_time_t start;
    double tsince0_min; /* minutes from the element epoch to start */
    double dut1_s;
    double mask_rad;
    int status;         /* first SGP4 failure, ORB_OK until then */
    double fail_x;      /* where it happened */
} search_t;

/* Elevation and its time derivative at one instant. */
typedef struct {
    double x, el, rate;
} sample_t;

/* A pass being assembled, and the list of finished ones. */
typedef struct {
    int open;
    double aos_x, best_x, best_el;
    int aos_clipped;
    orb_pass_t *items;
    size_t count, capacity;
} passes_t;

/* Earth-fixed state at start + x; zero vectors once SGP4 has failed. */
static void state_at(search_t *s, double x, double r[3], double v[3])
{
    int st = orb_sgp4_propagate(s->sat, s->tsince0_min + x / 60.0, r, v);
    if (st != ORB_OK) {
        if (s->status == ORB_OK) {
            s->status = st;
            s->fail_x = x;
        }
        return;
    }
    double gmst = orb_gmst_rad(orb_time_add_s(s->start, x + s->dut1_s));
    orb_teme_to_ecef_gmst(r, v, gmst, r, v);
}

/* Elevation (rad) and its rate (rad/s) at start + x.  With d the site ->
 * satellite vector split into horizontal h and up u components, el =
 * atan2(u, |h|) and d(el)/dt = (|h|^2 u' - u (h . h')) / (|h| |d|^2); the
 * site is fixed in this frame, so d' is the Earth-fixed velocity. */
static sample_t sample_at(search_t *s, double x)
{
    const orb_topo_t *site = s->site;
    double r[3], v[3], d[3];
    state_at(s, x, r, v);
    orb_vec_sub(r, site->r_ecef_km, d);
    double e = orb_vec_dot(d, site->east), n = orb_vec_dot(d, site->north);
    double u = orb_vec_dot(d, site->up);
    double de = orb_vec_dot(v, site->east), dn = orb_vec_dot(v, site->north);
    double du = orb_vec_dot(v, site->up);
    double h2 = e * e + n * n, h = sqrt(h2);
    sample_t out = {x, atan2(u, h), 0.0};
    if (h > 0.0) /* straight overhead the rate is undefined: call it 0 */
        out.rate = (h2 * du - u * (e * de + n * dn)) / (h * (h2 + u * u));
    return out;
}

static double elevation_above_mask(search_t *s, double x)
{
    return sample_at(s, x).el - s->mask_rad;
}

static double elevation_rate(search_t *s, double x)
{
    return sample_at(s, x).rate;
}

typedef double (*search_fn)(search_t *s, double x);

/* Brent's method (R. P. Brent, "Algorithms for Minimization without
 * Derivatives", 1973, ch. 4): a root of f in [a, b], where fa and fb have
 * opposite signs (or one is zero), to within ORB_PASSES_TOL_S.  Inverse
 * quadratic or secant steps when they stay inside the bracket and shrink it
 * fast enough, bisection otherwise, so it never does worse than bisection
 * and copes with the kink of the elevation rate at the zenith. */
static double brent_root(search_t *s, search_fn f, double a, double fa, double b, double fb)
{
    double c = a, fc = fa, d = b - a, e = d;
    for (int iter = 0; iter < 200; iter++) {
        if (fabs(fc) < fabs(fb)) { /* b is the best guess, c the other end */
            a = b; b = c; c = a;
            fa = fb; fb = fc; fc = fa;
        }
        double tol = 0.5 * ORB_PASSES_TOL_S, half = 0.5 * (c - b);
        if (fabs(half) <= tol || fb == 0.0)
            return b;
        if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
            double p, q, ratio = fb / fa;
            if (a == c) { /* secant */
                p = 2.0 * half * ratio;
                q = 1.0 - ratio;
            } else { /* inverse quadratic interpolation */
                double qa = fa / fc, rb = fb / fc;
                p = ratio * (2.0 * half * qa * (qa - rb) - (b - a) * (rb - 1.0));
                q = (qa - 1.0) * (rb - 1.0) * (ratio - 1.0);
            }
            if (p > 0.0)
                q = -q;
            p = fabs(p);
            if (2.0 * p < fmin(3.0 * half * q - fabs(tol * q), fabs(e * q))) {
                e = d;
                d = p / q;
            } else {
                d = e = half;
            }
        } else {
            d = e = half;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : copysign(tol, half);
        fb = f(s, b);
        if ((fb > 0.0) == (fc > 0.0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
    }
    return b;
}

static void pass_open(passes_t *ps, double x, double el, int clipped)
{
    ps->open = 1;
    ps->aos_x = x;
    ps->aos_clipped = clipped;
    ps->best_x = x;
    ps->best_el = el;
}

/* A local maximum of elevation (or an end of the window) inside a pass. */
static void pass_peak(passes_t *ps, double x, double el)
{
    if (ps->open && el > ps->best_el) {
        ps->best_x = x;
        ps->best_el = el;
    }
}

static void look_at(search_t *s, double x, double *az, double *el, double *range)
{
    double r[3], v[3];
    state_at(s, x, r, v);
    orb_topo_look(s->site, r, az, el, range);
}

static int pass_close(search_t *s, passes_t *ps, double los_x, int clipped)
{
    if (orb__grow((void **)&ps->items, &ps->capacity, ps->count + 1, sizeof *ps->items))
        return ORB_ENOMEM;
    orb_pass_t *p = &ps->items[ps->count++];
    double el, range;
    memset(p, 0, sizeof *p);
    p->aos = orb_time_add_s(s->start, ps->aos_x);
    p->tca = orb_time_add_s(s->start, ps->best_x);
    p->los = orb_time_add_s(s->start, los_x);
    p->aos_clipped = ps->aos_clipped;
    p->los_clipped = clipped;
    look_at(s, ps->aos_x, &p->aos_azimuth_rad, &el, &range);
    look_at(s, los_x, &p->los_azimuth_rad, &el, &range);
    look_at(s, ps->best_x, &p->tca_azimuth_rad, &p->max_elevation_rad, &p->tca_range_km);
    ps->open = 0;
    return ORB_OK;
}

/* Elevation is monotonic on [a, b]: open or close a pass where it crosses
 * the mask.  "Above" means strictly above. */
static int segment(search_t *s, passes_t *ps, sample_t a, sample_t b)
{
    int above_a = a.el > s->mask_rad, above_b = b.el > s->mask_rad;
    if (above_a == above_b)
        return ORB_OK;
    double x = brent_root(s, elevation_above_mask, a.x, a.el - s->mask_rad, b.x,
                          b.el - s->mask_rad);
    if (above_b) {
        pass_open(ps, x, s->mask_rad, 0);
        return ORB_OK;
    }
    return ps->open ? pass_close(s, ps, x, 0) : ORB_OK;
}

/* Handles one coarse step [a, b]: at most one extremum of elevation lies
 * inside (ORB_PASSES_STEP_S is shorter than the gap between extrema). */
static int step(search_t *s, passes_t *ps, sample_t a, sample_t b)
{
    int is_max = a.rate > 0.0 && b.rate <= 0.0;
    int is_min = a.rate <= 0.0 && b.rate > 0.0;
    /* a minimum below two samples at or under the mask hides no crossing */
    if (is_min && a.el <= s->mask_rad && b.el <= s->mask_rad)
        is_min = 0;
    if (!is_max && !is_min)
        return segment(s, ps, a, b);
    double xm = brent_root(s, elevation_rate, a.x, a.rate, b.x, b.rate);
    sample_t m = sample_at(s, xm);
    int rc = segment(s, ps, a, m);
    if (rc != ORB_OK)
        return rc;
    if (is_max)
        pass_peak(ps, m.x, m.el);
    return segment(s, ps, m, b);
}

static int scan(search_t *s, passes_t *ps, double duration_s)
{
    sample_t a = sample_at(s, 0.0);
    if (a.el > s->mask_rad)
        pass_open(ps, 0.0, a.el, 1);
    long steps = (long)ceil(duration_s / ORB_PASSES_STEP_S);
    for (long i = 1; i <= steps && s->status == ORB_OK; i++) {
        sample_t b = sample_at(s, fmin((double)i * ORB_PASSES_STEP_S, duration_s));
        int rc = step(s, ps, a, b);
        if (rc != ORB_OK)
            return rc;
        a = b;
    }
    if (s->status != ORB_OK)
        return s->status;
    if (ps->open) {
        pass_peak(ps, a.x, a.el);
        int rc = pass_close(s, ps, duration_s, 1);
        if (rc != ORB_OK)
            return rc;
    }
    return s->status;
}

static int fail(search_t *s, int rc, orb_error_t *err)
{
    if (rc == s->status && rc != ORB_OK) {
        char when[40];
        orb_time_format_iso(orb_time_add_s(s->start, s->fail_x), 3, when, sizeof when);
        return orb_error_set(err, rc, NULL, 0, 0, NULL, "SGP4 failed at %s: %s", when,
                             orb_strerror(rc));
    }
    return orb_error_set(err, rc, NULL, 0, 0, NULL, "%s", orb_strerror(rc));
}

int orb_passes_find(const orb_sgp4_t *sat, const orb_topo_t *site, orb_time_t start,
                    double duration_s, double min_elevation_rad, double dut1_s,
                    orb_pass_t **passes, size_t *count, orb_error_t *err)
{
    if (passes)
        *passes = NULL;
    if (count)
        *count = 0;
    if (!sat || !site || !passes || !count)
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, NULL, "NULL argument");
    if (!(duration_s > 0.0 && duration_s <= ORB_PASSES_MAX_DURATION_S))
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "duration",
                             "expected a duration in (0, %.0f] s", ORB_PASSES_MAX_DURATION_S);
    if (!(fabs(min_elevation_rad) <= PI / 2))
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "min_elevation",
                             "expected an elevation mask in [-90, 90] deg");
    if (!(fabs(dut1_s) <= 1.0))
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "dut1",
                             "expected UT1-UTC in [-1, 1] s");
    search_t s = {sat, site, start, orb_time_diff_min(start, orb_sgp4_epoch(sat)),
                  dut1_s, min_elevation_rad, ORB_OK, 0.0};
    passes_t ps;
    memset(&ps, 0, sizeof ps);
    int rc = scan(&s, &ps, duration_s);
    if (rc != ORB_OK) {
        orb__free(ps.items);
        return fail(&s, rc, err);
    }
    *passes = ps.items;
    *count = ps.count;
    return ORB_OK;
}

void orb_passes_free(orb_pass_t *passes)
{
    orb__free(passes);
}
