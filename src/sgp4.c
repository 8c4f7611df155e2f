/* sgp4.c: SGP4 initialisation (Kozai -> Brouwer mean motion, drag and zonal
 * coefficients) and the scalar propagator, after Vallado, Crawford, Hujsak
 * and Kelso 2006, "Revisiting Spacetrack Report #3" (AIAA 2006-6753), mode 'i'. */

#include "sgp4_internal.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/err.h"

/* Julian date of 1949-12-31 00:00 UT, the origin of the theory's epoch. */
#define JD_1950 2433281.5

void orb__sgp4_grav_init(orb_gravity_t grav, orb__sgp4_grav_t *g)
{
    double mu_km3_s2;
    g->radius_km = grav == ORB_WGS84 ? 6378.137 : 6378.135;
    if (grav == ORB_WGS84) {
        mu_km3_s2 = 398600.5;
        g->j2 = 0.00108262998905;
        g->j4 = -0.00000161098761;
        g->j3oj2 = -0.00000253215306 / g->j2;
    } else {
        mu_km3_s2 = grav == ORB_WGS72OLD ? 398600.79964 : 398600.8;
        g->j2 = 0.001082616;
        g->j4 = -0.00000165597;
        g->j3oj2 = -0.00000253881 / g->j2;
    }
    double re = g->radius_km;
    /* WGS-72 old fixes xke by value instead of deriving it from mu */
    g->xke = grav == ORB_WGS72OLD ? 0.0743669161
                                  : 60.0 / sqrt(re * re * re / mu_km3_s2);
    g->v_km_s = re * g->xke / 60.0;
}

int orb_sgp4_code(int status)
{
    return status <= ORB_SGP4_EMEAN_ECC && status >= ORB_SGP4_EDECAYED
               ? -100 - status : 0;
}

/* Geometry of the orbit at epoch that init needs in several places. */
typedef struct init_geom {
    double eccsq, omeosq, rteosq;   /* e^2, 1 - e^2, sqrt(1 - e^2) */
    double cosio2, con42;           /* cos^2 i, 1 - 5 cos^2 i */
    double posq, rp;                /* (a (1 - e^2))^2, perigee radius (er) */
} init_geom_t;

/* The theory's initl: recovers the Brouwer mean motion (no_unkozai) from
 * the Kozai mean motion of the element set by removing the J2 part of the
 * mean-motion definition, then derives the semi-major axis from it. */
static void recover_mean_motion(const orb__sgp4_grav_t *g, double no_kozai,
                                orb__sgp4_near_t *n, init_geom_t *geo)
{
    double ecc = n->ecco;
    geo->eccsq = ecc * ecc;
    geo->omeosq = 1.0 - geo->eccsq;
    geo->rteosq = sqrt(geo->omeosq);
    n->cosio = cos(n->inclo);
    n->sinio = sin(n->inclo);
    geo->cosio2 = n->cosio * n->cosio;
    double ak = pow(g->xke / no_kozai, ORB__X2O3);
    double d1 = 0.75 * g->j2 * (3.0 * geo->cosio2 - 1.0) / (geo->rteosq * geo->omeosq);
    double del = d1 / (ak * ak);                                 /* delta_1 */
    double adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
    del = d1 / (adel * adel);                                    /* delta_0 */
    n->no = no_kozai / (1.0 + del);
    n->ao = pow(g->xke / n->no, ORB__X2O3);
    geo->con42 = 1.0 - 5.0 * geo->cosio2;
    n->con41 = -geo->con42 - geo->cosio2 - geo->cosio2;
    double po = n->ao * geo->omeosq;
    geo->posq = po * po;
    geo->rp = n->ao * (1.0 - ecc);
}

/* Atmospheric density parameters: s (sfour) and (q0 - s)^4 (qzms24), with
 * the theory's adjustment for perigees below 156 km. */
static void density_params(const orb__sgp4_grav_t *g, double rp, double *sfour,
                           double *qzms24)
{
    double re = g->radius_km;
    double perigee_km = (rp - 1.0) * re;
    double s_km = 78.0;
    if (perigee_km < 156.0)
        s_km = perigee_km < 98.0 ? 20.0 : perigee_km - 78.0;
    double q = (120.0 - s_km) / re;
    *qzms24 = q * q * q * q;
    *sfour = s_km / re + 1.0;
}

/* Drag coefficients C1, C4, C5 and the drag terms of perigee and mean
 * anomaly.  Returns xi = 1 / (a - s) (tsi), which the higher-order terms
 * need, and sets *sfour. */
static double init_drag(const orb__sgp4_grav_t *g, double bstar,
                        const init_geom_t *geo, orb__sgp4_near_t *n,
                        double *sfour, double *coef_out)
{
    double qzms24;
    density_params(g, geo->rp, sfour, &qzms24);
    double ao = n->ao, ecc = n->ecco;
    double tsi = 1.0 / (ao - *sfour);
    n->eta = ao * ecc * tsi;
    double etasq = n->eta * n->eta;
    double eeta = ecc * n->eta;
    double psisq = fabs(1.0 - etasq);
    double coef = qzms24 * pow(tsi, 4.0);
    double coef1 = coef / pow(psisq, 3.5);
    double cc2 = coef1 * n->no
                 * (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq))
                    + 0.375 * g->j2 * tsi / psisq * n->con41
                          * (8.0 + 3.0 * etasq * (8.0 + etasq)));
    n->cc1 = bstar * cc2;
    double cc3 = 0.0;
    if (ecc > 1.0e-4)
        cc3 = -2.0 * coef * tsi * g->j3oj2 * n->no * n->sinio / ecc;
    n->x1mth2 = 1.0 - geo->cosio2;
    double cc4 = 2.0 * n->no * coef1 * ao * geo->omeosq
                 * (n->eta * (2.0 + 0.5 * etasq) + ecc * (0.5 + 2.0 * etasq)
                    - g->j2 * tsi / (ao * psisq)
                          * (-3.0 * n->con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta))
                             + 0.75 * n->x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq))
                                   * cos(2.0 * n->argpo)));
    double cc5 = 2.0 * coef1 * ao * geo->omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);
    n->bstar_cc4 = bstar * cc4;
    n->bstar_cc5 = bstar * cc5;
    n->omgcof = bstar * cc3 * cos(n->argpo);
    n->xmcof = ecc > 1.0e-4 ? -ORB__X2O3 * coef * bstar / eeta : 0.0;
    double delmotemp = 1.0 + n->eta * cos(n->mo);
    n->delmo = delmotemp * delmotemp * delmotemp;
    n->sinmao = sin(n->mo);
    *coef_out = coef;
    return tsi;
}

/* Secular rates of mean anomaly, perigee and node from J2 and J4, the drag
 * term of the node, and the long-period J3 coefficients.  Returns xpidot
 * (perigee + node rate), which deep-space init needs. */
static double init_secular_rates(const orb__sgp4_grav_t *g, const init_geom_t *geo,
                                 orb__sgp4_near_t *n)
{
    double cosio = n->cosio, cosio2 = geo->cosio2;
    double cosio4 = cosio2 * cosio2;
    double pinvsq = 1.0 / geo->posq;
    double temp1 = 1.5 * g->j2 * pinvsq * n->no;
    double temp2 = 0.5 * temp1 * g->j2 * pinvsq;
    double temp3 = -0.46875 * g->j4 * pinvsq * pinvsq * n->no;
    n->mdot = n->no + 0.5 * temp1 * geo->rteosq * n->con41
              + 0.0625 * temp2 * geo->rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4);
    n->argpdot = -0.5 * temp1 * geo->con42
                 + 0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4)
                 + temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4);
    double xhdot1 = -temp1 * cosio;
    n->nodedot = xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * cosio2)
                           + 2.0 * temp3 * (3.0 - 7.0 * cosio2)) * cosio;
    n->nodecf = 3.5 * geo->omeosq * xhdot1 * n->cc1;
    n->t2cof = 1.5 * n->cc1;
    /* the theory guards the division for inclinations of exactly 180 deg */
    double den = fabs(cosio + 1.0) > 1.5e-12 ? 1.0 + cosio : 1.5e-12;
    n->xlcof = -0.25 * g->j3oj2 * n->sinio * (3.0 + 5.0 * cosio) / den;
    n->aycof = -0.5 * g->j3oj2 * n->sinio;
    n->x7thm1 = 7.0 * cosio2 - 1.0;
    return n->argpdot + n->nodedot;
}

/* Higher-order drag terms D2..D4 and the t^3..t^5 longitude coefficients,
 * only for perigees above 220 km (otherwise the drag is "simplified"). */
static void init_higher_drag(double tsi, double sfour, orb__sgp4_near_t *n)
{
    double ao = n->ao, cc1 = n->cc1;
    double cc1sq = cc1 * cc1;
    n->d2 = 4.0 * ao * tsi * cc1sq;
    double temp = n->d2 * tsi * cc1 / 3.0;
    n->d3 = (17.0 * ao + sfour) * temp;
    n->d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * cc1;
    n->t3cof = n->d2 + 2.0 * cc1sq;
    n->t4cof = 0.25 * (3.0 * n->d3 + cc1 * (12.0 * n->d2 + 10.0 * cc1sq));
    n->t5cof = 0.2 * (3.0 * n->d4 + 12.0 * cc1 * n->d3 + 6.0 * n->d2 * n->d2
                      + 15.0 * cc1sq * (2.0 * n->d2 + cc1sq));
}

/* Simplified drag: the terms the theory skips are zeroed so that the
 * shared kernels, which always evaluate them, add exactly nothing. */
static void simplify_drag(orb__sgp4_near_t *n)
{
    n->d2 = n->d3 = n->d4 = 0.0;
    n->t3cof = n->t4cof = n->t5cof = 0.0;
    n->omgcof = n->xmcof = n->bstar_cc5 = 0.0;
}

/* The theory's sgp4init for one satellite, without the epoch propagation. */
static void sgp4_init(const orb_elements_t *el, orb_gravity_t grav, orb_sgp4_t *s)
{
    memset(s, 0, sizeof *s);
    s->epoch = el->epoch;
    orb__sgp4_grav_init(grav, &s->grav);
    orb__sgp4_near_t *n = &s->near;
    n->ecco = el->eccentricity;
    n->inclo = el->inclination_rad;
    n->nodeo = el->raan_rad;
    n->argpo = el->arg_perigee_rad;
    n->mo = el->mean_anomaly_rad;
    double no_kozai = el->mean_motion_rev_day * ORB__TWO_PI / 1440.0;
    init_geom_t geo;
    recover_mean_motion(&s->grav, no_kozai, n, &geo);
    double sfour, coef;
    double tsi = init_drag(&s->grav, el->bstar_per_er, &geo, n, &sfour, &coef);
    double xpidot = init_secular_rates(&s->grav, &geo, n);
    int isimp = geo.rp < 220.0 / s->grav.radius_km + 1.0;
    if (ORB__TWO_PI / n->no >= 225.0) {
        s->deep = 1;
        isimp = 1;
        /* The theory takes the epoch as one double (days since 1950), which
         * rounds it to ~20 us.  Doing the same is what reproduces the
         * published run: the lunar-solar terms move WIND (23333, e = 0.97)
         * by 4e-6 km near perigee between the two representations. */
        double epoch_jd = el->epoch.jd + el->epoch.fr;
        orb__sgp4_deep_init(s, epoch_jd - JD_1950, xpidot);
    }
    if (isimp)
        simplify_drag(n);
    else
        init_higher_drag(tsi, sfour, n);
}

int orb_sgp4_create(const orb_elements_t *el, orb_gravity_t grav, orb_sgp4_t **out)
{
    if (out)
        *out = NULL;
    if (!el || !out || (grav != ORB_WGS72 && grav != ORB_WGS72OLD && grav != ORB_WGS84))
        return ORB_EINVAL;
    if (!(el->eccentricity >= 0.0 && el->eccentricity < 1.0))
        return ORB_SGP4_EMEAN_ECC;
    if (!(el->mean_motion_rev_day > 0.0))
        return ORB_SGP4_EMEAN_MOTION;
    orb_sgp4_t *s = orb__malloc(sizeof *s);
    if (!s)
        return ORB_ENOMEM;
    sgp4_init(el, grav, s);
    /* as the theory's init does, propagate to epoch: elements that fail
     * there cannot be used at all */
    double r[3], v[3];
    int rc = orb_sgp4_propagate(s, 0.0, r, v);
    if (rc != ORB_OK) {
        orb__free(s);
        return rc;
    }
    *out = s;
    return ORB_OK;
}

void orb_sgp4_destroy(orb_sgp4_t *s)
{
    orb__free(s);
}

orb_time_t orb_sgp4_epoch(const orb_sgp4_t *s)
{
    return s->epoch;
}

/* Solves Kepler's equation for eo1 = E + w by Newton's method, at most ten
 * steps, stopping when the step falls below 1e-12 rad.  The sin/cos kept
 * are those of the last eo1 the step was evaluated at, as in the theory. */
static void kepler_solve(double u, double axnl, double aynl, double *sin_e,
                         double *cos_e)
{
    double eo1 = u;
    for (int k = 0; k < 10; k++) {
        double d = orb__sgp4_kepler_step(u, axnl, aynl, eo1, sin_e, cos_e);
        eo1 += d;
        if (!(fabs(d) >= 1.0e-12))
            break;
    }
}

/* Kepler solve, short periodics and the TEME state from the osculating
 * inputs (near-Earth or deep-space).  Returns the Vallado code. */
static int finish(const orb__sgp4_grav_t *g, const orb__sgp4_osc_t *o,
                  orb__sgp4_pv_t *pv)
{
    double axnl, aynl, u, sin_e, cos_e;
    orb__sgp4_kepler_setup(o, &axnl, &aynl, &u);
    kepler_solve(u, axnl, aynl, &sin_e, &cos_e);
    orb__sgp4_short_t sp;
    int code = orb__sgp4_short_periodics(g, o, axnl, aynl, sin_e, cos_e, &sp);
    orb__sgp4_teme_state(g, &sp, pv);
    return code;
}

int orb_sgp4_propagate(const orb_sgp4_t *s, double tsince_min, double r_km[3],
                       double v_km_s[3])
{
    orb__sgp4_secular_t sec;
    orb__sgp4_osc_t osc;
    orb__sgp4_pv_t pv = {0, 0, 0, 0, 0, 0};
    if (!(fabs(tsince_min) <= ORB_SGP4_MAX_TSINCE_MIN)) {
        for (int i = 0; i < 3; i++)
            r_km[i] = v_km_s[i] = 0.0;
        return ORB_EINVAL;
    }
    orb__sgp4_secular(&s->near, tsince_min, &sec);
    int code;
    if (s->deep)
        code = orb__sgp4_deep_mean(s, tsince_min, &sec, &osc);
    else
        code = orb__sgp4_near_mean(&s->grav, &s->near, &sec, &osc);
    if (code == 0)
        code = finish(&s->grav, &osc, &pv);
    /* a non-finite state without a code cannot come from valid elements;
     * report it as the eccentricity failure rather than return NaN */
    if (code == 0 && !orb__all_finite(&pv))
        code = 1;
    int ok = code == 0;
    r_km[0] = ok ? pv.x : 0.0;
    r_km[1] = ok ? pv.y : 0.0;
    r_km[2] = ok ? pv.z : 0.0;
    v_km_s[0] = ok ? pv.vx : 0.0;
    v_km_s[1] = ok ? pv.vy : 0.0;
    v_km_s[2] = ok ? pv.vz : 0.0;
    return orb__sgp4_status(code);
}

/* ---- states ---- */

orb_states_t *orb_states_create(size_t n)
{
    orb_states_t *st = orb__calloc(1, sizeof *st);
    if (!st)
        return NULL;
    size_t m = n ? n : 1;
    st->count = n;
    st->x_km = orb__calloc(m, sizeof(double));
    st->y_km = orb__calloc(m, sizeof(double));
    st->z_km = orb__calloc(m, sizeof(double));
    st->vx_km_s = orb__calloc(m, sizeof(double));
    st->vy_km_s = orb__calloc(m, sizeof(double));
    st->vz_km_s = orb__calloc(m, sizeof(double));
    st->status = orb__calloc(m, sizeof(int));
    if (!st->x_km || !st->y_km || !st->z_km || !st->vx_km_s || !st->vy_km_s
        || !st->vz_km_s || !st->status) {
        orb_states_destroy(st);
        return NULL;
    }
    return st;
}

void orb_states_destroy(orb_states_t *st)
{
    if (!st)
        return;
    orb__free(st->x_km);
    orb__free(st->y_km);
    orb__free(st->z_km);
    orb__free(st->vx_km_s);
    orb__free(st->vy_km_s);
    orb__free(st->vz_km_s);
    orb__free(st->status);
    orb__free(st);
}
