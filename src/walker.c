/* walker.c: Walker shells as SGP4 element sets.  The mean motion is not
 * Kepler's for the nominal radius: SGP4's Kozai mean motion and its J2
 * short-period terms shift the mean radius, so the semi-major axis is
 * corrected until the orbit-mean altitude under SGP4 is the one asked for. */
#include "orbnet/walker.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "orbnet/sgp4.h"

#define MU_WGS72_KM3_S2 398600.8  /* SGP4's (WGS-72) gravitational parameter */
#define RE_EQ_KM 6378.137         /* altitude reference: WGS-84 equatorial radius */
#define SAMPLES 720               /* points per orbit when averaging |r| */
#define TWO_PI (2.0 * M_PI)

static double wrap_2pi(double x)
{
    x = fmod(x, TWO_PI);
    return x < 0.0 ? x + TWO_PI : x;
}

static double rev_day_from_a(double a_km)
{
    return sqrt(MU_WGS72_KM3_S2 / (a_km * a_km * a_km)) * 86400.0 / TWO_PI;
}

/* A circular, drag-free element set (no identity) at epoch. */
static void circular(orb_elements_t *el, double incl_rad, double n_rev_day, orb_time_t epoch)
{
    memset(el, 0, sizeof *el);
    el->classification = 'U';
    el->epoch = epoch;
    int y, mo, d, h, mi;
    double s;
    orb_time_to_calendar(epoch, &y, &mo, &d, &h, &mi, &s);
    orb_time_t jan1 = orb_time_from_calendar(y, 1, 1, 0, 0, 0.0);
    el->epoch_year = y;
    el->epoch_day = 1.0 + orb_time_diff_s(epoch, jan1) / ORB_SECONDS_PER_DAY;
    el->inclination_rad = incl_rad;
    el->mean_motion_rev_day = n_rev_day;
}

int orb_walker_mean_altitude(const orb_elements_t *el, double *alt_km)
{
    orb_sgp4_t *s;
    int rc = orb_sgp4_create(el, ORB_WGS72, &s);
    if (rc != ORB_OK)
        return rc;
    double period_min = 1440.0 / el->mean_motion_rev_day, sum = 0.0;
    for (int k = 0; k < SAMPLES && rc == ORB_OK; k++) {
        double r[3], v[3];
        rc = orb_sgp4_propagate(s, period_min * k / SAMPLES, r, v);
        sum += sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    }
    orb_sgp4_destroy(s);
    if (rc == ORB_OK)
        *alt_km = sum / SAMPLES - RE_EQ_KM;
    return rc;
}

static int check_orbit(double altitude_km, double inclination_rad)
{
    if (!(altitude_km >= 150.0 && altitude_km <= 40000.0))
        return ORB_ERANGE;
    if (!(inclination_rad > 0.0 && inclination_rad < M_PI))
        return ORB_ERANGE;
    return ORB_OK;
}

int orb_walker_mean_motion(double altitude_km, double inclination_rad, double *n_rev_day)
{
    int rc = check_orbit(altitude_km, inclination_rad);
    if (rc != ORB_OK)
        return rc;
    /* The correction changes a by a few km at most and the altitude error
     * responds almost one to one, so this converges in 2-4 rounds. */
    orb_time_t epoch = orb_time_from_calendar(2000, 1, 1, 0, 0, 0.0);
    double a_km = RE_EQ_KM + altitude_km;
    for (int iter = 0; iter < 20; iter++) {
        orb_elements_t el;
        circular(&el, inclination_rad, rev_day_from_a(a_km), epoch);
        double alt;
        if ((rc = orb_walker_mean_altitude(&el, &alt)) != ORB_OK)
            return rc;
        double miss_km = altitude_km - alt;
        if (fabs(miss_km) < 1e-3)
            break;
        a_km += miss_km;
    }
    *n_rev_day = rev_day_from_a(a_km);
    return ORB_OK;
}

int orb_walker_check(const orb_walker_shell_t *sh, orb_error_t *err)
{
    if (!(sh->altitude_km >= 150.0 && sh->altitude_km <= 40000.0))
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0, "altitude_km",
                             "expected 150..40000 km, got %g", sh->altitude_km);
    if (!(sh->inclination_rad > 0.0 && sh->inclination_rad < M_PI))
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0, "inclination_deg",
                             "expected an inclination strictly between 0 and 180 deg");
    if (sh->planes < 1 || sh->sats_per_plane < 1)
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0,
                             sh->planes < 1 ? "planes" : "sats_per_plane",
                             "expected at least 1");
    if (sh->phasing < 0 || sh->phasing >= sh->planes)
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0, "phasing",
                             "expected phasing F in [0, planes - 1]");
    if (!(sh->raan_spread_rad > 0.0 && sh->raan_spread_rad <= TWO_PI + 1e-12))
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0, "raan_spread_deg",
                             "expected a spread in (0, 360] degrees");
    long total = (long)sh->planes * sh->sats_per_plane;
    if (sh->first_norad_id < 1 || sh->first_norad_id + total - 1 > 999999)
        return orb_error_set(err, ORB_ERANGE, NULL, 0, 0, "first_id",
                             "catalogue numbers must stay within 1..999999");
    return ORB_OK;
}

/* Element set of satellite (p, s); el already holds the shared fields. */
static void place(orb_elements_t *el, const orb_walker_shell_t *sh, int p, int s)
{
    int P = sh->planes, S = sh->sats_per_plane;
    el->norad_id = sh->first_norad_id + (long)p * S + s;
    snprintf(el->name, sizeof el->name, "%.36s-%d-%d", sh->name, p, s);
    el->raan_rad = wrap_2pi(sh->raan0_rad + p * sh->raan_spread_rad / P);
    el->mean_anomaly_rad = wrap_2pi(TWO_PI * s / S + TWO_PI * sh->phasing * p / ((double)P * S));
}

int orb_walker_generate(const orb_walker_shell_t *sh, orb_catalog_t *cat, orb_error_t *err)
{
    int rc = orb_walker_check(sh, err);
    if (rc != ORB_OK)
        return rc;
    double n_rev_day;
    if ((rc = orb_walker_mean_motion(sh->altitude_km, sh->inclination_rad, &n_rev_day)) != ORB_OK)
        return orb_error_set(err, rc, NULL, 0, 0, "altitude_km",
                             "SGP4 cannot fly a circular orbit at %g km", sh->altitude_km);
    size_t before = cat->count;
    orb_elements_t el;
    circular(&el, sh->inclination_rad, n_rev_day, sh->epoch);
    for (int p = 0; p < sh->planes; p++)
        for (int s = 0; s < sh->sats_per_plane; s++) {
            place(&el, sh, p, s);
            if (orb_catalog_add(cat, &el) != ORB_OK) {
                cat->count = before;
                return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            }
        }
    return ORB_OK;
}
