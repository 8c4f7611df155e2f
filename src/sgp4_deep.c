/* sgp4_deep.c: the deep-space part of SGP4 (SDP4) for orbits of 225 min or
 * more: lunar-solar secular and periodic terms and the numerically
 * integrated 12 h / 24 h geopotential resonances (Vallado et al. 2006). */
#include "sgp4_internal.h"

#include <math.h>

/* Solar and lunar constants of the theory: mean motions (rad/min), orbital
 * eccentricities, and the C1 coefficients c1ss / c1l. */
#define ZNS 1.19459e-5
#define ZES 0.01675
#define ZNL 1.5835218e-4
#define ZEL 0.05490
#define C1SS 2.9864797e-6
#define C1L 4.7968065e-7
/* Earth rotation rate, rad/min (rptim), and the resonance step (minutes) */
#define RPTIM 4.37526908801129966e-3
#define STEP_MIN 720.0
/* inclinations within 3 degrees of 0 or 180 drop the node terms */
#define LOW_INCL_RAD 5.2359877e-2

/* The orbit at epoch as dscom sees it. */
typedef struct orbit_geo {
    double em, emsq, betasq, rtemsq, xnoi;
    double sinim, cosim, sinomm, cosomm, snodm, cnodm;
} orbit_geo_t;

/* One body's terms of the disturbing function in the satellite's orbit
 * frame (the theory's s1..s7 and z1..z33, or ss1.. and sz1.. for the Sun). */
typedef struct body_terms {
    double s1, s2, s3, s4, s5, s6, s7;
    double z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33;
} body_terms_t;

/* The body's direction: cos/sin of its argument of perigee (zcosg/zsing),
 * inclination (zcosi/zsini) and node relative to the satellite's (zcosh/zsinh). */
typedef struct body_dir {
    double cg, sg, ci, si, ch, sh;
} body_dir_t;

/* dscom's inner loop body, for one perturbing body with coefficient cc. */
static void body_terms(const orbit_geo_t *o, const body_dir_t *d, double cc,
                       body_terms_t *b)
{
    double a1 = d->cg * d->ch + d->sg * d->ci * d->sh;
    double a3 = -d->sg * d->ch + d->cg * d->ci * d->sh;
    double a7 = -d->cg * d->sh + d->sg * d->ci * d->ch;
    double a8 = d->sg * d->si;
    double a9 = d->sg * d->sh + d->cg * d->ci * d->ch;
    double a10 = d->cg * d->si;
    double a2 = o->cosim * a7 + o->sinim * a8;
    double a4 = o->cosim * a9 + o->sinim * a10;
    double a5 = -o->sinim * a7 + o->cosim * a8;
    double a6 = -o->sinim * a9 + o->cosim * a10;
    double x1 = a1 * o->cosomm + a2 * o->sinomm;
    double x2 = a3 * o->cosomm + a4 * o->sinomm;
    double x3 = -a1 * o->sinomm + a2 * o->cosomm;
    double x4 = -a3 * o->sinomm + a4 * o->cosomm;
    double x5 = a5 * o->sinomm, x6 = a6 * o->sinomm;
    double x7 = a5 * o->cosomm, x8 = a6 * o->cosomm;
    double emsq = o->emsq;
    b->z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
    b->z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
    b->z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
    b->z1 = 3.0 * (a1 * a1 + a2 * a2) + b->z31 * emsq;
    b->z2 = 6.0 * (a1 * a3 + a2 * a4) + b->z32 * emsq;
    b->z3 = 3.0 * (a3 * a3 + a4 * a4) + b->z33 * emsq;
    b->z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
    b->z12 = -6.0 * (a1 * a6 + a3 * a5)
             + emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5));
    b->z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
    b->z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
    b->z22 = 6.0 * (a4 * a5 + a2 * a6)
             + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8));
    b->z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
    b->z1 = b->z1 + b->z1 + o->betasq * b->z31;
    b->z2 = b->z2 + b->z2 + o->betasq * b->z32;
    b->z3 = b->z3 + b->z3 + o->betasq * b->z33;
    b->s3 = cc * o->xnoi;
    b->s2 = -0.5 * b->s3 / o->rtemsq;
    b->s4 = b->s3 * o->rtemsq;
    b->s1 = -15.0 * o->em * b->s4;
    b->s5 = x1 * x3 + x2 * x4;
    b->s6 = x2 * x3 + x1 * x4;
    b->s7 = x2 * x4 - x1 * x3;
}

/* Periodic coefficients of one body (dscom's tail); ze is its orbital
 * eccentricity. */
static void body_periodics(const body_terms_t *b, double emsq, double ze,
                           orb__sgp4_body_periodics_t *p)
{
    p->e2 = 2.0 * b->s1 * b->s6;
    p->e3 = 2.0 * b->s1 * b->s7;
    p->i2 = 2.0 * b->s2 * b->z12;
    p->i3 = 2.0 * b->s2 * (b->z13 - b->z11);
    p->l2 = -2.0 * b->s3 * b->z2;
    p->l3 = -2.0 * b->s3 * (b->z3 - b->z1);
    p->l4 = -2.0 * b->s3 * (-21.0 - 9.0 * emsq) * ze;
    p->gh2 = 2.0 * b->s4 * b->z32;
    p->gh3 = 2.0 * b->s4 * (b->z33 - b->z31);
    p->gh4 = -18.0 * b->s4 * ze;
    p->h2 = -2.0 * b->s2 * b->z22;
    p->h3 = -2.0 * b->s2 * (b->z23 - b->z21);
}

/* dscom: the Sun's and Moon's terms for the orbit at epoch.  day: days
 * since 1900 Jan 0.5 (the theory's epoch + 18261.5). */
static void lunar_solar_terms(const orbit_geo_t *o, double day, body_terms_t *sun,
                              body_terms_t *moon, orb__sgp4_deep_t *ds)
{
    /* the Moon's node (xnodce), inclination and perigee on this day */
    double xnodce = fmod(4.5236020 - 9.2422029e-4 * day, ORB__TWO_PI);
    double stem = sin(xnodce), ctem = cos(xnodce);
    double zcosil = 0.91375164 - 0.03568096 * ctem;
    double zsinil = sqrt(1.0 - zcosil * zcosil);
    double zsinhl = 0.089683511 * stem / zsinil;
    double zcoshl = sqrt(1.0 - zsinhl * zsinhl);
    double gam = 5.8351514 + 0.0019443680 * day;
    double zx = 0.39785416 * stem / zsinil;
    double zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
    zx = gam + atan2(zx, zy) - xnodce;
    /* the Sun's direction is fixed: obliquity 23.44 deg, perigee 281 deg */
    body_dir_t dsun = {0.1945905, -0.98088458, 0.91744867, 0.39785416, o->cnodm, o->snodm};
    body_dir_t dmoon = {cos(zx), sin(zx), zcosil, zsinil,
                        zcoshl * o->cnodm + zsinhl * o->snodm,
                        o->snodm * zcoshl - o->cnodm * zsinhl};
    body_terms(o, &dsun, C1SS, sun);
    body_terms(o, &dmoon, C1L, moon);
    ds->moon.zm0 = fmod(4.7199672 + 0.22997150 * day - gam, ORB__TWO_PI);
    ds->sun.zm0 = fmod(6.2565837 + 0.017201977 * day, ORB__TWO_PI);
    body_periodics(sun, o->emsq, ZES, &ds->sun);
    body_periodics(moon, o->emsq, ZEL, &ds->moon);
}

/* dsinit, first part: secular rates of e, i, M, w and the node caused by
 * the Sun and Moon.  Node terms vanish near 0 and 180 degrees. */
static void lunar_solar_rates(const orbit_geo_t *o, double inclo, const body_terms_t *s,
                              const body_terms_t *m, orb__sgp4_deep_t *ds)
{
    int low_incl = inclo < LOW_INCL_RAD || inclo > ORB__PI - LOW_INCL_RAD;
    double emsq = o->emsq;
    double ses = s->s1 * ZNS * s->s5;
    double sis = s->s2 * ZNS * (s->z11 + s->z13);
    double sls = -ZNS * s->s3 * (s->z1 + s->z3 - 14.0 - 6.0 * emsq);
    double sghs = s->s4 * ZNS * (s->z31 + s->z33 - 6.0);
    double shs = low_incl ? 0.0 : -ZNS * s->s2 * (s->z21 + s->z23);
    if (o->sinim != 0.0)
        shs = shs / o->sinim;
    double sgs = sghs - o->cosim * shs;
    ds->dedt = ses + m->s1 * ZNL * m->s5;
    ds->didt = sis + m->s2 * ZNL * (m->z11 + m->z13);
    ds->dmdt = sls - ZNL * m->s3 * (m->z1 + m->z3 - 14.0 - 6.0 * emsq);
    double sghl = m->s4 * ZNL * (m->z31 + m->z33 - 6.0);
    double shll = low_incl ? 0.0 : -ZNL * m->s2 * (m->z21 + m->z23);
    ds->domdt = sgs + sghl;
    ds->dnodt = shs;
    if (o->sinim != 0.0) {
        ds->domdt = ds->domdt - o->cosim / o->sinim * shll;
        ds->dnodt = ds->dnodt + shll / o->sinim;
    }
}

/* Eccentricity functions G of the half-day resonance, cubic fits in e
 * (the theory's g201..g533), for e above and below 0.65 / 0.7 / 0.715. */
static void half_day_g(double e, double g[7])
{
    double e2 = e * e, e3 = e * e2;
    g[0] = -0.306 - (e - 0.64) * 0.440; /* g201 */
    if (e <= 0.65) {
        g[1] = 3.616 - 13.2470 * e + 16.2900 * e2;                         /* g211 */
        g[2] = -19.302 + 117.3900 * e - 228.4190 * e2 + 156.5910 * e3;     /* g310 */
        g[3] = -18.9068 + 109.7927 * e - 214.6334 * e2 + 146.5816 * e3;    /* g322 */
        g[4] = -41.122 + 242.6940 * e - 471.0940 * e2 + 313.9530 * e3;     /* g410 */
        g[5] = -146.407 + 841.8800 * e - 1629.014 * e2 + 1083.4350 * e3;   /* g422 */
        g[6] = -532.114 + 3017.977 * e - 5740.032 * e2 + 3708.2760 * e3;   /* g520 */
    } else {
        g[1] = -72.099 + 331.819 * e - 508.738 * e2 + 266.724 * e3;
        g[2] = -346.844 + 1582.851 * e - 2415.925 * e2 + 1246.113 * e3;
        g[3] = -342.585 + 1554.908 * e - 2366.899 * e2 + 1215.972 * e3;
        g[4] = -1052.797 + 4758.686 * e - 7193.992 * e2 + 3651.957 * e3;
        g[5] = -3581.690 + 16178.110 * e - 24462.770 * e2 + 12422.520 * e3;
        g[6] = e > 0.715 ? -5149.66 + 29936.92 * e - 54087.36 * e2 + 31324.56 * e3
                         : 1464.74 - 4664.75 * e + 3763.64 * e2;
    }
}

/* Half-day resonance (Molniya-type orbits): the d-coefficients of the
 * 2-2, 3-2, 4-4, 5-2 and 5-4 tesseral terms. */
static void half_day_resonance(double e, double sini, double cosi, double nm,
                               double aonv, orb__sgp4_deep_t *ds)
{
    double g[7];
    half_day_g(e, g);
    double e2 = e * e, e3 = e * e2;
    double g533, g521, g532;
    if (e < 0.7) {
        g533 = -919.22770 + 4988.6100 * e - 9064.7700 * e2 + 5542.21 * e3;
        g521 = -822.71072 + 4568.6173 * e - 8491.4146 * e2 + 5337.524 * e3;
        g532 = -853.66600 + 4690.2500 * e - 8624.7700 * e2 + 5341.4 * e3;
    } else {
        g533 = -37995.780 + 161616.52 * e - 229838.20 * e2 + 109377.94 * e3;
        g521 = -51752.104 + 218913.95 * e - 309468.16 * e2 + 146349.42 * e3;
        g532 = -40023.880 + 170470.89 * e - 242699.48 * e2 + 115605.82 * e3;
    }
    /* inclination functions F */
    double c = cosi, c2 = cosi * cosi, s2 = sini * sini;
    double f220 = 0.75 * (1.0 + 2.0 * c + c2);
    double f221 = 1.5 * s2;
    double f321 = 1.875 * sini * (1.0 - 2.0 * c - 3.0 * c2);
    double f322 = -1.875 * sini * (1.0 + 2.0 * c - 3.0 * c2);
    double f441 = 35.0 * s2 * f220;
    double f442 = 39.3750 * s2 * s2;
    double f522 = 9.84375 * sini * (s2 * (1.0 - 2.0 * c - 5.0 * c2)
                                    + 0.33333333 * (-2.0 + 4.0 * c + 6.0 * c2));
    double f523 = sini * (4.92187512 * s2 * (-2.0 - 4.0 * c + 10.0 * c2)
                          + 6.56250012 * (1.0 + 2.0 * c - 3.0 * c2));
    double f542 = 29.53125 * sini * (2.0 - 8.0 * c + c2 * (-12.0 + 8.0 * c + 10.0 * c2));
    double f543 = 29.53125 * sini * (-2.0 - 8.0 * c + c2 * (12.0 + 8.0 * c - 10.0 * c2));
    /* root22 .. root54: normalised tesseral harmonic coefficients */
    double temp1 = 3.0 * (nm * nm) * (aonv * aonv);
    double temp = temp1 * 1.7891679e-6;
    ds->d2201 = temp * f220 * g[0];
    ds->d2211 = temp * f221 * g[1];
    temp1 = temp1 * aonv;
    temp = temp1 * 3.7393792e-7;
    ds->d3210 = temp * f321 * g[2];
    ds->d3222 = temp * f322 * g[3];
    temp1 = temp1 * aonv;
    temp = 2.0 * temp1 * 7.3636953e-9;
    ds->d4410 = temp * f441 * g[4];
    ds->d4422 = temp * f442 * g[5];
    temp1 = temp1 * aonv;
    temp = temp1 * 1.1428639e-7;
    ds->d5220 = temp * f522 * g[6];
    ds->d5232 = temp * f523 * g532;
    temp = 2.0 * temp1 * 2.1765803e-9;
    ds->d5421 = temp * f542 * g521;
    ds->d5433 = temp * f543 * g533;
}

/* One-day resonance (geosynchronous orbits): the 2-2, 3-1 and 3-3 terms. */
static void one_day_resonance(double emsq, double sini, double cosi, double nm,
                              double aonv, orb__sgp4_deep_t *ds)
{
    double g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
    double g310 = 1.0 + 2.0 * emsq;
    double g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
    double f220 = 0.75 * (1.0 + cosi) * (1.0 + cosi);
    double f311 = 0.9375 * sini * sini * (1.0 + 3.0 * cosi) - 0.75 * (1.0 + cosi);
    double f330 = 1.0 + cosi;
    f330 = 1.875 * f330 * f330 * f330;
    double del1 = 3.0 * nm * nm * aonv * aonv;
    ds->del2 = 2.0 * del1 * f220 * g200 * 1.7891679e-6;      /* q22 */
    ds->del3 = 3.0 * del1 * f330 * g300 * 2.2123015e-7 * aonv; /* q33 */
    ds->del1 = del1 * f311 * g310 * 2.1460748e-6 * aonv;      /* q31 */
}

/* dsinit, second part: which resonance applies and its coefficients. */
static void resonance_init(const orb_sgp4_t *s, const orbit_geo_t *o, double xpidot,
                           orb__sgp4_deep_t *ds)
{
    const orb__sgp4_near_t *n = &s->near;
    double nm = n->no, em = n->ecco;
    ds->irez = 0;
    if (nm > 0.0034906585 && nm < 0.0052359877)
        ds->irez = 1;
    if (nm >= 8.26e-3 && nm <= 9.24e-3 && em >= 0.5)
        ds->irez = 2;
    if (ds->irez == 0)
        return;
    double theta = fmod(ds->gsto, ORB__TWO_PI);
    double aonv = pow(nm / s->grav.xke, ORB__X2O3);
    if (ds->irez == 2) {
        half_day_resonance(em, o->sinim, o->cosim, nm, aonv, ds);
        ds->xlamo = fmod(n->mo + n->nodeo + n->nodeo - theta - theta, ORB__TWO_PI);
        ds->xfact = n->mdot + ds->dmdt + 2.0 * (n->nodedot + ds->dnodt - RPTIM) - n->no;
    } else {
        one_day_resonance(o->emsq, o->sinim, o->cosim, nm, aonv, ds);
        ds->xlamo = fmod(n->mo + n->nodeo + n->argpo - theta, ORB__TWO_PI);
        ds->xfact = n->mdot + xpidot - RPTIM + ds->dmdt + ds->domdt + ds->dnodt - n->no;
    }
}

void orb__sgp4_deep_init(orb_sgp4_t *s, double epoch_1950_days, double xpidot)
{
    const orb__sgp4_near_t *n = &s->near;
    orb__sgp4_deep_t *ds = &s->ds;
    ds->gsto = orb_gmst_rad((orb_time_t){epoch_1950_days + 2433281.5, 0.0});
    orbit_geo_t o;
    o.em = n->ecco;
    o.emsq = n->ecco * n->ecco;
    o.betasq = 1.0 - o.emsq;
    o.rtemsq = sqrt(o.betasq);
    o.xnoi = 1.0 / n->no;
    o.sinim = sin(n->inclo);
    o.cosim = cos(n->inclo);
    o.sinomm = sin(n->argpo);
    o.cosomm = cos(n->argpo);
    o.snodm = sin(n->nodeo);
    o.cnodm = cos(n->nodeo);
    body_terms_t sun, moon;
    lunar_solar_terms(&o, epoch_1950_days + 18261.5, &sun, &moon, ds);
    lunar_solar_rates(&o, n->inclo, &sun, &moon, ds);
    resonance_init(s, &o, xpidot, ds);
}

/* Rates of the resonant longitude xli and mean motion xni at one grid
 * point: xndt (dn/dt), xldot (dl/dt) and xnddt (d2n/dt2). */
static void resonance_rates(const orb__sgp4_deep_t *ds, double omega, double xli,
                            double xni, double *xndt, double *xldot, double *xnddt)
{
    /* phase constants fasx2..fasx6 and g22..g54 of the theory */
    if (ds->irez != 2) {
        *xndt = ds->del1 * sin(xli - 0.13130908) + ds->del2 * sin(2.0 * (xli - 2.8843198))
                + ds->del3 * sin(3.0 * (xli - 0.37448087));
        *xldot = xni + ds->xfact;
        *xnddt = (ds->del1 * cos(xli - 0.13130908)
                  + 2.0 * ds->del2 * cos(2.0 * (xli - 2.8843198))
                  + 3.0 * ds->del3 * cos(3.0 * (xli - 0.37448087))) * *xldot;
        return;
    }
    double w2 = omega + omega, l2 = xli + xli;
    const double g22 = 5.7686396, g32 = 0.95240898, g44 = 1.8014998;
    const double g52 = 1.0508330, g54 = 4.4108898;
    *xndt = ds->d2201 * sin(w2 + xli - g22) + ds->d2211 * sin(xli - g22)
            + ds->d3210 * sin(omega + xli - g32) + ds->d3222 * sin(-omega + xli - g32)
            + ds->d4410 * sin(w2 + l2 - g44) + ds->d4422 * sin(l2 - g44)
            + ds->d5220 * sin(omega + xli - g52) + ds->d5232 * sin(-omega + xli - g52)
            + ds->d5421 * sin(omega + l2 - g54) + ds->d5433 * sin(-omega + l2 - g54);
    *xldot = xni + ds->xfact;
    *xnddt = (ds->d2201 * cos(w2 + xli - g22) + ds->d2211 * cos(xli - g22)
              + ds->d3210 * cos(omega + xli - g32) + ds->d3222 * cos(-omega + xli - g32)
              + ds->d5220 * cos(omega + xli - g52) + ds->d5232 * cos(-omega + xli - g52)
              + 2.0 * (ds->d4410 * cos(w2 + l2 - g44) + ds->d4422 * cos(l2 - g44)
                       + ds->d5421 * cos(omega + l2 - g54)
                       + ds->d5433 * cos(-omega + l2 - g54))) * *xldot;
}

/* dspace's resonance integration: Euler-Maclaurin steps of 720 min from
 * epoch towards t, then a Taylor step of the remaining ft.  Restarting
 * from epoch on every call keeps propagation pure and gives the same
 * numbers as the theory's incremental version (same grid, same sums).
 * Returns the resonant mean motion and longitude at t. */
static void resonance_integrate(const orb_sgp4_t *s, double t, double *nm, double *xl)
{
    const orb__sgp4_deep_t *ds = &s->ds;
    double delt = t > 0.0 ? STEP_MIN : -STEP_MIN;
    double atime = 0.0, xli = ds->xlamo, xni = s->near.no;
    double xndt, xldot, xnddt;
    for (;;) {
        double omega = s->near.argpo + s->near.argpdot * atime;
        resonance_rates(ds, omega, xli, xni, &xndt, &xldot, &xnddt);
        if (!(fabs(t - atime) >= STEP_MIN))
            break;
        xli = xli + xldot * delt + xndt * (STEP_MIN * STEP_MIN / 2.0);
        xni = xni + xndt * delt + xnddt * (STEP_MIN * STEP_MIN / 2.0);
        atime = atime + delt;
    }
    double ft = t - atime;
    *nm = xni + xndt * ft + xnddt * ft * ft * 0.5;
    *xl = xli + xldot * ft + xndt * ft * ft * 0.5;
}

/* dspace: lunar-solar secular drift and the resonance effects on the mean
 * elements m = {em, inclm, argpm, nodem, mm, nm}. */
static void deep_secular(const orb_sgp4_t *s, double t, double m[6])
{
    const orb__sgp4_deep_t *ds = &s->ds;
    m[0] += ds->dedt * t;
    m[1] += ds->didt * t;
    m[2] += ds->domdt * t;
    m[3] += ds->dnodt * t;
    m[4] += ds->dmdt * t;
    if (ds->irez == 0)
        return;
    double theta = fmod(ds->gsto + t * RPTIM, ORB__TWO_PI);
    double nm, xl;
    resonance_integrate(s, t, &nm, &xl);
    if (ds->irez != 1)
        m[4] = xl - 2.0 * m[3] + 2.0 * theta;
    else
        m[4] = xl - m[3] - m[2] + theta;
    double dndt = nm - s->near.no;
    m[5] = s->near.no + dndt;
}

/* One body's periodic contributions at t (part of dpper):
 * out = {pe, pinc, pl, pgh, ph}. */
static void body_periodic_terms(const orb__sgp4_body_periodics_t *b, double zn,
                                double ze, double t, double out[5])
{
    double zm = b->zm0 + zn * t;
    double zf = zm + 2.0 * ze * sin(zm);
    double sinzf = sin(zf);
    double f2 = 0.5 * sinzf * sinzf - 0.25;
    double f3 = -0.5 * sinzf * cos(zf);
    out[0] = b->e2 * f2 + b->e3 * f3;
    out[1] = b->i2 * f2 + b->i3 * f3;
    out[2] = b->l2 * f2 + b->l3 * f3 + b->l4 * sinzf;
    out[3] = b->gh2 * f2 + b->gh3 * f3 + b->gh4 * sinzf;
    out[4] = b->h2 * f2 + b->h3 * f3;
}

/* Lyddane's form of the periodics for inclinations below 0.2 rad, where
 * dividing by sin i would blow up: applied to the node vector instead. */
static void apply_lyddane(double ph, double pinc, double pl, double pgh,
                          orb__sgp4_osc_t *o)
{
    double sinop = sin(o->nodep), cosop = cos(o->nodep);
    double alfdp = o->sinip * sinop + (ph * cosop + pinc * o->cosip * sinop);
    double betdp = o->sinip * cosop + (-ph * sinop + pinc * o->cosip * cosop);
    o->nodep = fmod(o->nodep, ORB__TWO_PI);
    double xls = o->mp + o->argpp + pl + pgh + (o->cosip - pinc * o->sinip) * o->nodep;
    double xnoh = o->nodep;
    o->nodep = atan2(alfdp, betdp);
    if (fabs(xnoh - o->nodep) > ORB__PI)
        o->nodep += o->nodep < xnoh ? ORB__TWO_PI : -ORB__TWO_PI;
    o->mp += pl;
    o->argpp = xls - o->mp - o->cosip * o->nodep;
}

/* dpper: lunar-solar periodics applied to the mean elements in o. */
static void deep_periodics(const orb__sgp4_deep_t *ds, double t, orb__sgp4_osc_t *o)
{
    double sp[5], mp[5];
    body_periodic_terms(&ds->sun, ZNS, ZES, t, sp);
    body_periodic_terms(&ds->moon, ZNL, ZEL, t, mp);
    double pe = sp[0] + mp[0], pinc = sp[1] + mp[1], pl = sp[2] + mp[2];
    double pgh = sp[3] + mp[3], ph = sp[4] + mp[4];
    o->inclp += pinc;
    o->ep += pe;
    o->sinip = sin(o->inclp);
    o->cosip = cos(o->inclp);
    if (o->inclp >= 0.2) {
        ph /= o->sinip;
        pgh -= o->cosip * ph;
        o->argpp += pgh;
        o->nodep += ph;
        o->mp += pl;
    } else {
        apply_lyddane(ph, pinc, pl, pgh, o);
    }
}

/* Short-period coefficients that depend on the perturbed inclination. */
static void inclination_terms(const orb__sgp4_grav_t *g, orb__sgp4_osc_t *o)
{
    o->sinip = sin(o->inclp);
    o->cosip = cos(o->inclp);
    o->aycof = -0.5 * g->j3oj2 * o->sinip;
    double den = fabs(o->cosip + 1.0) > 1.5e-12 ? 1.0 + o->cosip : 1.5e-12;
    o->xlcof = -0.25 * g->j3oj2 * o->sinip * (3.0 + 5.0 * o->cosip) / den;
    double cosisq = o->cosip * o->cosip;
    o->con41 = 3.0 * cosisq - 1.0;
    o->x1mth2 = 1.0 - cosisq;
    o->x7thm1 = 7.0 * cosisq - 1.0;
}

int orb__sgp4_deep_mean(const orb_sgp4_t *s, double t, const orb__sgp4_secular_t *sec,
                        orb__sgp4_osc_t *o)
{
    const orb__sgp4_near_t *n = &s->near;
    double m[6] = {n->ecco, n->inclo, sec->argpm, sec->nodem, sec->mm, n->no};
    deep_secular(s, t, m);
    double em = m[0], nm = m[5];
    if (nm <= 0.0)
        return 2;
    double am = pow(s->grav.xke / nm, ORB__X2O3) * sec->tempa * sec->tempa;
    o->am = am;
    o->nm = s->grav.xke / pow(am, 1.5);
    em = em - sec->tempe;
    if (em >= 1.0 || em < -0.001)
        return 1;
    if (em < 1.0e-6)
        em = 1.0e-6;
    double mm = m[4] + n->no * sec->templ;
    double xlm = mm + m[2] + m[3];
    /* exact fmod here: Lyddane's form is not invariant under 2 pi shifts */
    o->nodep = fmod(m[3], ORB__TWO_PI);
    o->argpp = fmod(m[2], ORB__TWO_PI);
    xlm = fmod(xlm, ORB__TWO_PI);
    o->mp = fmod(xlm - o->argpp - o->nodep, ORB__TWO_PI);
    o->ep = em;
    o->inclp = m[1];
    deep_periodics(&s->ds, t, o);
    if (o->inclp < 0.0) {
        o->inclp = -o->inclp;
        o->nodep += ORB__PI;
        o->argpp -= ORB__PI;
    }
    if (o->ep < 0.0 || o->ep > 1.0)
        return 3;
    inclination_terms(&s->grav, o);
    return 0;
}
