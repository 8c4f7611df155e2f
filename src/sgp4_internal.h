/* sgp4_internal.h (internal): the propagator state shared by sgp4.c,
 * sgp4_deep.c and sgp4_batch.c, and the branch-free near-Earth kernels that
 * the scalar and the vectorised batch path both run, so they agree bit for bit. */
#ifndef ORBNET_SRC_SGP4_INTERNAL_H
#define ORBNET_SRC_SGP4_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "orbnet/sgp4.h"

#if defined(__GNUC__)
#define ORB__INLINE static inline __attribute__((always_inline))
#else
#define ORB__INLINE static inline
#endif

#define ORB__PI 3.14159265358979323846
#define ORB__TWO_PI (2.0 * ORB__PI)
#define ORB__X2O3 (2.0 / 3.0)

/* Gravity model constants in SGP4's canonical units (earth radii, minutes). */
typedef struct orb__sgp4_grav {
    double radius_km;     /* radiusearthkm */
    double xke;           /* sqrt(mu) in er^1.5 / min */
    double j2, j3oj2, j4; /* zonal harmonics; j3oj2 = J3 / J2 */
    double v_km_s;        /* vkmpersec: er/min -> km/s */
} orb__sgp4_grav_t;

/* Per-satellite near-Earth coefficients, everything the secular, Kepler and
 * short-periodic steps read.  Symbols of the theory in comments.  For
 * simplified-drag ("isimp") and deep-space satellites the higher-order drag
 * coefficients are zero, which makes their terms vanish exactly. */
typedef struct orb__sgp4_near {
    double mo, mdot;          /* mean anomaly at epoch and its rate */
    double argpo, argpdot;    /* argument of perigee and its rate */
    double nodeo, nodedot;    /* right ascension of the node and its rate */
    double nodecf;            /* nodecf: drag term of the node, times t^2 */
    double cc1;               /* C1 */
    double bstar_cc4;         /* B* C4 */
    double bstar_cc5;         /* B* C5 */
    double t2cof, t3cof, t4cof, t5cof; /* mean-longitude drag polynomial */
    double d2, d3, d4;        /* D2..D4: semi-major-axis drag polynomial */
    double omgcof, xmcof;     /* drag terms of perigee and mean anomaly */
    double eta, delmo, sinmao;/* eta, (1 + eta cos M0)^3, sin M0 */
    double ecco, inclo;       /* eccentricity and inclination at epoch */
    double no;                /* no_unkozai: Brouwer mean motion, rad/min */
    double ao;                /* (xke / no)^(2/3): semi-major axis, er */
    double sinio, cosio;      /* sin and cos of the inclination */
    double aycof, xlcof;      /* long-period J3 coefficients */
    double con41, x1mth2, x7thm1; /* 3cos^2 i - 1, 1 - cos^2 i, 7cos^2 i - 1 */
} orb__sgp4_near_t;

/* Coefficients of one perturbing body's (Sun's or Moon's) long-period
 * periodic terms, in the theory's names se2..sh3 (Sun) / ee2..xh3 (Moon). */
typedef struct orb__sgp4_body_periodics {
    double e2, e3;            /* eccentricity */
    double i2, i3;            /* inclination */
    double l2, l3, l4;        /* mean longitude */
    double gh2, gh3, gh4;     /* perigee */
    double h2, h3;            /* node */
    double zm0;               /* zmos / zmol: the body's mean anomaly at epoch */
} orb__sgp4_body_periodics_t;

/* Deep-space (SDP4) coefficients: lunar-solar periodics from dscom, the
 * secular rates and the 12 h / 24 h resonance terms from dsinit. */
typedef struct orb__sgp4_deep {
    orb__sgp4_body_periodics_t sun, moon;
    double dedt, didt, dmdt, dnodt, domdt; /* lunar-solar secular rates */
    int irez;                 /* 0 none, 1 one-day, 2 half-day resonance */
    double d2201, d2211, d3210, d3222, d4410, d4422; /* half-day terms */
    double d5220, d5232, d5421, d5433;
    double del1, del2, del3;  /* one-day terms */
    double xfact, xlamo;      /* resonance rate offset, longitude at epoch */
    double gsto;              /* Greenwich sidereal angle at epoch, rad */
} orb__sgp4_deep_t;

struct orb_sgp4 {
    orb_time_t epoch;
    orb__sgp4_grav_t grav;
    orb__sgp4_near_t near;
    int deep;                 /* method 'd': orbital period >= 225 min */
    orb__sgp4_deep_t ds;
};

/* Osculating-element inputs of the Kepler and short-periodic steps. */
typedef struct orb__sgp4_osc {
    double am, nm;            /* semi-major axis (er), mean motion (rad/min) */
    double ep, inclp, sinip, cosip, nodep, argpp, mp;
    double aycof, xlcof, con41, x1mth2, x7thm1;
} orb__sgp4_osc_t;

/* A TEME state: km and km/s. */
typedef struct orb__sgp4_pv {
    double x, y, z, vx, vy, vz;
} orb__sgp4_pv_t;

/* Results of the secular (drag and zonal) update, before deep space. */
typedef struct orb__sgp4_secular {
    double mm, argpm, nodem;  /* mean anomaly, perigee, node at t */
    double tempa, tempe, templ; /* drag factors on a, e and the longitude */
} orb__sgp4_secular_t;

void orb__sgp4_grav_init(orb_gravity_t grav, orb__sgp4_grav_t *g);

/* Deep space (sgp4_deep.c).  deep_init fills s->ds once the near-Earth
 * part is set (the theory's dscom + dsinit), from the epoch in days since
 * 1950 and the perigee + node rate xpidot.  deep_mean takes the secular
 * update to t minutes, applies the lunar-solar secular terms and the
 * resonance integration (dspace), the drag, then the lunar-solar periodics
 * (dpper), and fills the osculating inputs; it returns the Vallado code
 * (0, 1, 2 or 3). */
void orb__sgp4_deep_init(orb_sgp4_t *s, double epoch_1950_days, double xpidot);
int orb__sgp4_deep_mean(const orb_sgp4_t *s, double t_min,
                        const orb__sgp4_secular_t *sec, orb__sgp4_osc_t *o);

/* ---- branch-free kernels ---------------------------------------------- */

/* Bit pattern helpers: a double's bits as an integer and back. */
ORB__INLINE uint64_t orb__bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

ORB__INLINE double orb__from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* cond ? a : b, with bit masks: a plain ?: lets the compiler move the
 * arithmetic feeding it into branches, which then block vectorisation
 * (floating-point operations under a condition "could trap"). */
ORB__INLINE double orb__select(int cond, double a, double b)
{
    uint64_t m = (uint64_t)0 - (uint64_t)(cond != 0);
    return orb__from_bits((orb__bits(a) & m) | (orb__bits(b) & ~m));
}

/* Adding then subtracting 1.5 * 2^52 rounds |x| < 2^51 to the nearest
 * integer without a rounding instruction (SSE2 has none); the integer also
 * sits in the low mantissa bits of the sum, which is how the quadrant is read. */
#define ORB__ROUND_SHIFT 6755399441055744.0

/* sin and cos of x together, within about 1 ulp for |x| < 2^24 * pi/2.
 * Why our own: libm's sin/cos cannot be vectorised, and the batch path must
 * compute exactly what the scalar path does.  Cody-Waite reduction by pi/2
 * in three parts (29 + 29 + 53 bits, so k * part is exact), then Taylor
 * series on |r| <= pi/4 (degree 17 for sin, 16 for cos; truncation error
 * below 1e-19) and a quadrant swap done with bit operations. */
ORB__INLINE void orb__sincos(double x, double *s, double *c)
{
    const double two_over_pi = 0x1.45f306dc9c883p-1;
    const double pio2_1 = 0x1.921fb54000000p+0;
    const double pio2_2 = 0x1.10b4610000000p-30;
    const double pio2_3 = 0x1.a62633145c06ep-58;
    double big = x * two_over_pi + ORB__ROUND_SHIFT;
    uint64_t q = orb__bits(big);
    double k = big - ORB__ROUND_SHIFT;
    double r = ((x - k * pio2_1) - k * pio2_2) - k * pio2_3;
    double r2 = r * r;
    double ps = -1.0 / 1307674368000.0 + r2 * (1.0 / 355687428096000.0);
    ps = 1.0 / 6227020800.0 + r2 * ps;
    ps = -1.0 / 39916800.0 + r2 * ps;
    ps = 1.0 / 362880.0 + r2 * ps;
    ps = -1.0 / 5040.0 + r2 * ps;
    ps = 1.0 / 120.0 + r2 * ps;
    ps = -1.0 / 6.0 + r2 * ps;
    ps = r + r * r2 * ps;
    double pc = -1.0 / 87178291200.0 + r2 * (1.0 / 20922789888000.0);
    pc = 1.0 / 479001600.0 + r2 * pc;
    pc = -1.0 / 3628800.0 + r2 * pc;
    pc = 1.0 / 40320.0 + r2 * pc;
    pc = -1.0 / 720.0 + r2 * pc;
    pc = 1.0 / 24.0 + r2 * pc;
    pc = (1.0 - 0.5 * r2) + (r2 * r2) * pc;
    /* quadrant q: (sin, cos) = (ps, pc), (pc, -ps), (-ps, -pc), (-pc, ps) */
    uint64_t swap = (uint64_t)0 - (q & 1);
    uint64_t ubs = orb__bits(ps), ubc = orb__bits(pc);
    uint64_t us = (ubs & ~swap) | (ubc & swap);
    uint64_t uc = (ubc & ~swap) | (ubs & swap);
    uint64_t sign_s = (q & 2) << 62;
    uint64_t sign_c = ((q + 1) & 2) << 62;
    *s = orb__from_bits(us ^ sign_s);
    *c = orb__from_bits(uc ^ sign_c);
}

/* Square root of x > 0 to within an ulp.  Why our own: with errno
 * semantics (the build does not pass -fno-math-errno, and GCC ignores it in
 * pragmas) sqrt() cannot be vectorised.  A bit-level estimate of 1/sqrt(x)
 * (3.4 % error), three Newton steps (each squares the error: 3e-11), then
 * one Newton correction of x * (1/sqrt(x)), which squares it once more.  Garbage for x <= 0, which only
 * happens on paths that report an error code. */
ORB__INLINE double orb__sqrt(double x)
{
    double y = orb__from_bits(0x5fe6eb50c7b537a9ull - (orb__bits(x) >> 1));
    double hx = 0.5 * x;
    y = y * (1.5 - hx * y * y);
    y = y * (1.5 - hx * y * y);
    y = y * (1.5 - hx * y * y);
    double s = x * y;
    return s + 0.5 * y * (x - s * s);
}

/* x reduced into [-pi, pi] (two-part Cody-Waite); replaces fmod(x, 2 pi)
 * wherever only the angle, not its representative, matters. */
ORB__INLINE double orb__wrap_angle(double x)
{
    const double inv_2pi = 0x1.45f306dc9c883p-3;
    const double tpi_1 = 0x1.921fb54000000p+2;
    const double tpi_2 = 0x1.10b4610000000p-28;
    const double tpi_3 = 0x1.a62633145c06ep-56;
    double k = (x * inv_2pi + ORB__ROUND_SHIFT) - ORB__ROUND_SHIFT;
    return ((x - k * tpi_1) - k * tpi_2) - k * tpi_3;
}

/* Secular update of the mean elements for zonal gravity and drag (the
 * theory's xmdf, argpdf, nodedf and the tempa/tempe/templ polynomials).
 * t_min: minutes since epoch. */
ORB__INLINE void orb__sgp4_secular(const orb__sgp4_near_t *n, double t,
                                   orb__sgp4_secular_t *o)
{
    double xmdf = n->mo + n->mdot * t;
    double argpdf = n->argpo + n->argpdot * t;
    double nodedf = n->nodeo + n->nodedot * t;
    double t2 = t * t;
    double sin_x, cos_x;
    orb__sincos(xmdf, &sin_x, &cos_x);
    double delomg = n->omgcof * t;
    double delmtemp = 1.0 + n->eta * cos_x;
    double delm = n->xmcof * (delmtemp * delmtemp * delmtemp - n->delmo);
    double temp = delomg + delm;
    double mm = xmdf + temp;
    double t3 = t2 * t;
    double t4 = t3 * t;
    double sin_m, cos_m;
    orb__sincos(mm, &sin_m, &cos_m);
    o->mm = mm;
    o->argpm = argpdf - temp;
    o->nodem = nodedf + n->nodecf * t2;
    o->tempa = (1.0 - n->cc1 * t) - n->d2 * t2 - n->d3 * t3 - n->d4 * t4;
    o->tempe = n->bstar_cc4 * t + n->bstar_cc5 * (sin_m - n->sinmao);
    o->templ = n->t2cof * t2 + n->t3cof * t3 + t4 * (n->t4cof + t * n->t5cof);
}

/* Near-Earth mean elements at t: semi-major axis from drag, eccentricity
 * bounds (Vallado error 1), angles wrapped.  Fills the osculating inputs
 * with the near-Earth (epoch) inclination terms.  Returns 0 or 1. */
ORB__INLINE int orb__sgp4_near_mean(const orb__sgp4_grav_t *g,
                                    const orb__sgp4_near_t *n,
                                    const orb__sgp4_secular_t *sec,
                                    orb__sgp4_osc_t *o)
{
    double am = n->ao * sec->tempa * sec->tempa;
    double em = n->ecco - sec->tempe;
    int bad = (em >= 1.0) | (em < -0.001);
    em = orb__select(em < 1.0e-6, 1.0e-6, em);
    o->am = am;
    o->nm = g->xke / (am * orb__sqrt(am));
    o->ep = em;
    o->inclp = n->inclo;
    o->sinip = n->sinio;
    o->cosip = n->cosio;
    o->nodep = orb__wrap_angle(sec->nodem);
    o->argpp = orb__wrap_angle(sec->argpm);
    o->mp = orb__wrap_angle(sec->mm + n->no * sec->templ);
    o->aycof = n->aycof;
    o->xlcof = n->xlcof;
    o->con41 = n->con41;
    o->x1mth2 = n->x1mth2;
    o->x7thm1 = n->x7thm1;
    return bad;
}

/* Long-period terms and the starting point of Kepler's equation for the
 * modified eccentric longitude: axnl, aynl (the e cos w, e sin w vector with
 * the J3 term) and u, the mean longitude from the node. */
ORB__INLINE void orb__sgp4_kepler_setup(const orb__sgp4_osc_t *o, double *axnl,
                                        double *aynl, double *u)
{
    double sin_w, cos_w;
    orb__sincos(o->argpp, &sin_w, &cos_w);
    double ax = o->ep * cos_w;
    double temp = 1.0 / (o->am * (1.0 - o->ep * o->ep));
    *axnl = ax;
    *aynl = o->ep * sin_w + temp * o->aycof;
    double xl = o->mp + o->argpp + o->nodep + temp * o->xlcof * ax;
    *u = orb__wrap_angle(xl - o->nodep);
}

/* One Newton step of Kepler's equation for E + w (eo1): returns the
 * correction, clipped to 0.95 rad as the theory does, and the sin/cos of
 * eo1 it used. */
ORB__INLINE double orb__sgp4_kepler_step(double u, double axnl, double aynl,
                                         double eo1, double *sin_e, double *cos_e)
{
    double s, c;
    orb__sincos(eo1, &s, &c);
    double den = 1.0 - c * axnl - s * aynl;
    double d = (u - aynl * c + axnl * s - eo1) / den;
    d = d >= 0.95 ? 0.95 : d;
    d = d <= -0.95 ? -0.95 : d;
    *sin_e = s;
    *cos_e = c;
    return d;
}

/* Short-period results: radius (er) and its rates, the argument of
 * latitude as (sin, cos) of u plus its correction dsu, node and inclination. */
typedef struct orb__sgp4_short {
    double mrt, mvt, rvdot;   /* r, dr/dt and r du/dt (er, er/min scaled) */
    double sinu, cosu, dsu;
    double xnode, xinc;
} orb__sgp4_short_t;

/* Short-period J2 periodics from the solved eccentric longitude (sin/cos
 * of eo1).  Returns the Vallado code: 0, 4 (semi-latus rectum < 0) or 6
 * (decayed: radius < 1 er); on error the results are garbage for the
 * caller to discard. */
ORB__INLINE int orb__sgp4_short_periodics(const orb__sgp4_grav_t *g,
                                          const orb__sgp4_osc_t *o, double axnl,
                                          double aynl, double sineo1, double coseo1,
                                          orb__sgp4_short_t *sp)
{
    double am = o->am;
    double ecose = axnl * coseo1 + aynl * sineo1;
    double esine = axnl * sineo1 - aynl * coseo1;
    double el2 = axnl * axnl + aynl * aynl;
    double pl = am * (1.0 - el2);
    int bad_pl = pl < 0.0;
    double pl_safe = orb__select(bad_pl, 1.0, pl);
    double rl = am * (1.0 - ecose);
    double rdotl = orb__sqrt(am) * esine / rl;
    double rvdotl = orb__sqrt(pl_safe) / rl;
    double betal = orb__sqrt(1.0 - el2);
    double temp = esine / (1.0 + betal);
    double sinu = am / rl * (sineo1 - aynl - axnl * temp);
    double cosu = am / rl * (coseo1 - axnl + aynl * temp);
    double sin2u = (cosu + cosu) * sinu;
    double cos2u = 1.0 - 2.0 * sinu * sinu;
    double temp1 = 0.5 * g->j2 * (1.0 / pl_safe);
    double temp2 = temp1 * (1.0 / pl_safe);
    double mrt = rl * (1.0 - 1.5 * temp2 * betal * o->con41)
                 + 0.5 * temp1 * o->x1mth2 * cos2u;
    sp->mrt = mrt;
    sp->sinu = sinu;
    sp->cosu = cosu;
    sp->dsu = -0.25 * temp2 * o->x7thm1 * sin2u;
    sp->xnode = o->nodep + 1.5 * temp2 * o->cosip * sin2u;
    sp->xinc = o->inclp + 1.5 * temp2 * o->cosip * o->sinip * cos2u;
    sp->mvt = rdotl - o->nm * temp1 * o->x1mth2 * sin2u / g->xke;
    sp->rvdot = rvdotl + o->nm * temp1 * (o->x1mth2 * cos2u + 1.5 * o->con41) / g->xke;
    return (int)orb__select(bad_pl, 4.0, orb__select(mrt < 1.0, 6.0, 0.0));
}

/* Orientation vectors (u towards the satellite, v along-track) and the
 * TEME state.  The theory takes su = atan2(sinu, cosu) + dsu and its
 * sin/cos; rotating (sinu, cosu) by dsu is the same angle without atan2. */
ORB__INLINE void orb__sgp4_teme_state(const orb__sgp4_grav_t *g,
                                      const orb__sgp4_short_t *sp, orb__sgp4_pv_t *pv)
{
    double sd, cd, snod, cnod, sini, cosi;
    orb__sincos(sp->dsu, &sd, &cd);
    orb__sincos(sp->xnode, &snod, &cnod);
    orb__sincos(sp->xinc, &sini, &cosi);
    double sinsu = sp->sinu * cd + sp->cosu * sd;
    double cossu = sp->cosu * cd - sp->sinu * sd;
    double xmx = -snod * cosi;
    double xmy = cnod * cosi;
    double ux = xmx * sinsu + cnod * cossu;
    double uy = xmy * sinsu + snod * cossu;
    double uz = sini * sinsu;
    double vx = xmx * cossu - cnod * sinsu;
    double vy = xmy * cossu - snod * sinsu;
    double vz = sini * cossu;
    double mr = sp->mrt * g->radius_km;
    pv->x = mr * ux;
    pv->y = mr * uy;
    pv->z = mr * uz;
    pv->vx = (sp->mvt * ux + sp->rvdot * vx) * g->v_km_s;
    pv->vy = (sp->mvt * uy + sp->rvdot * vy) * g->v_km_s;
    pv->vz = (sp->mvt * uz + sp->rvdot * vz) * g->v_km_s;
}

/* True when all six numbers are finite (a NaN or inf in any makes the sum
 * non-finite; written so that it vectorises). */
ORB__INLINE int orb__all_finite(const orb__sgp4_pv_t *pv)
{
    double sum = pv->x + pv->y + pv->z + pv->vx + pv->vy + pv->vz;
    return fabs(sum) <= 1.7976931348623157e308;
}

/* Vallado code (1..6) to orb_sgp4_status. */
ORB__INLINE int orb__sgp4_status(int code)
{
    return code == 0 ? 0 : -100 - code;
}

#endif
