/* sgp4_batch.c: a whole catalogue propagated at once.  Near-Earth
 * satellites run through loops over structure-of-arrays coefficients that
 * the compiler vectorises; deep-space ones go through the scalar path. */

/* Vectorisation: every lane runs the same branch-free kernels as the scalar
 * path (sgp4_internal.h: own sin/cos and sqrt, selects instead of
 * branches), under `#pragma omp simd` (honoured with -fopenmp at -O2).  No
 * -ffast-math or reassociation: results equal the scalar path bit for bit. */

#include "sgp4_internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "orbnet/err.h"

/* Satellites per chunk: the stage arrays stay in L1 (a few KB each). */
#define CHUNK 64

/* The near-Earth coefficients held as arrays, one per field. */
#define NEAR_FIELDS(X)                                                        \
    X(mo) X(mdot) X(argpo) X(argpdot) X(nodeo) X(nodedot) X(nodecf) X(cc1)    \
    X(bstar_cc4) X(bstar_cc5) X(t2cof) X(t3cof) X(t4cof) X(t5cof) X(d2) X(d3) \
    X(d4) X(omgcof) X(xmcof) X(eta) X(delmo) X(sinmao) X(ecco) X(inclo) X(no) \
    X(ao) X(sinio) X(cosio) X(aycof) X(xlcof) X(con41) X(x1mth2) X(x7thm1)

enum { KIND_NEAR = 0, KIND_DEEP = 1, KIND_FAILED = 2 };

typedef struct near_soa {
#define DECLARE(f) double *f;
    NEAR_FIELDS(DECLARE)
#undef DECLARE
} near_soa_t;

struct orb_sgp4_batch {
    size_t count;
    orb__sgp4_grav_t grav;
    near_soa_t near;
    double *epoch_jd, *epoch_fr;  /* each satellite's epoch, two-part */
    unsigned char *kind;
    int *status;                  /* init status of failed satellites */
    orb_sgp4_t **scalar;          /* every usable satellite; deep ones use it */
    double *block;                /* the one allocation behind the arrays */
};

#define COUNT_FIELD(f) +1
enum { N_NEAR_FIELDS = 0 NEAR_FIELDS(COUNT_FIELD) };
#undef COUNT_FIELD

static void store_near(near_soa_t *soa, size_t i, const orb__sgp4_near_t *n)
{
#define STORE(f) soa->f[i] = n->f;
    NEAR_FIELDS(STORE)
#undef STORE
}

ORB__INLINE void load_near(const near_soa_t *soa, size_t i, orb__sgp4_near_t *n)
{
#define LOAD(f) n->f = soa->f[i];
    NEAR_FIELDS(LOAD)
#undef LOAD
}

static int batch_alloc(orb_sgp4_batch_t *b, size_t n)
{
    size_t m = n ? n : 1;
    size_t nd = (size_t)N_NEAR_FIELDS + 2;
    b->block = orb__calloc(nd * m, sizeof(double));
    b->kind = orb__calloc(m, 1);
    b->status = orb__calloc(m, sizeof(int));
    b->scalar = orb__calloc(m, sizeof(orb_sgp4_t *));
    if (!b->block || !b->kind || !b->status || !b->scalar)
        return ORB_ENOMEM;
    double *p = b->block;
#define ASSIGN(f) b->near.f = p; p += m;
    NEAR_FIELDS(ASSIGN)
#undef ASSIGN
    b->epoch_jd = p;
    b->epoch_fr = p + m;
    return ORB_OK;
}

int orb_sgp4_batch_create(const orb_catalog_t *cat, orb_gravity_t grav,
                          orb_sgp4_batch_t **out, int *init_status)
{
    if (out)
        *out = NULL;
    if (!cat || !out)
        return ORB_EINVAL;
    orb_sgp4_batch_t *b = orb__calloc(1, sizeof *b);
    if (!b)
        return ORB_ENOMEM;
    b->count = cat->count;
    orb__sgp4_grav_init(grav, &b->grav);
    if (batch_alloc(b, cat->count) != ORB_OK) {
        orb_sgp4_batch_destroy(b);
        return ORB_ENOMEM;
    }
    for (size_t i = 0; i < cat->count; i++) {
        orb_sgp4_t *s = NULL;
        int rc = orb_sgp4_create(&cat->sats[i], grav, &s);
        if (rc == ORB_ENOMEM || rc == ORB_EINVAL) {
            orb_sgp4_batch_destroy(b);
            return rc;
        }
        if (init_status)
            init_status[i] = rc;
        b->status[i] = rc;
        b->epoch_jd[i] = cat->sats[i].epoch.jd;
        b->epoch_fr[i] = cat->sats[i].epoch.fr;
        if (rc != ORB_OK) {
            b->kind[i] = KIND_FAILED;
            continue;
        }
        b->scalar[i] = s;
        b->kind[i] = s->deep ? KIND_DEEP : KIND_NEAR;
        /* deep-space lanes run the near kernel on their own (finite)
         * coefficients too; the result is then replaced */
        store_near(&b->near, i, &s->near);
    }
    *out = b;
    return ORB_OK;
}

void orb_sgp4_batch_destroy(orb_sgp4_batch_t *b)
{
    if (!b)
        return;
    if (b->scalar)
        for (size_t i = 0; i < b->count; i++)
            orb_sgp4_destroy(b->scalar[i]);
    orb__free(b->scalar);
    orb__free(b->status);
    orb__free(b->kind);
    orb__free(b->block);
    orb__free(b);
}

size_t orb_sgp4_batch_count(const orb_sgp4_batch_t *b)
{
    return b ? b->count : 0;
}

/* Per-chunk intermediate results between the three stages. */
typedef struct chunk {
    double am[CHUNK], nm[CHUNK], nodep[CHUNK], code[CHUNK];
    double axnl[CHUNK], aynl[CHUNK], u[CHUNK];
    double eo1[CHUNK], sin_e[CHUNK], cos_e[CHUNK], active[CHUNK];
} chunk_t;

/* The stages read the arrays through local copies of the pointers: stores
 * to the output could otherwise alias the pointer fields, and the compiler
 * would reload them on every lane and give up vectorising. */

/* Stage 1: secular update, mean elements, Kepler's starting point. */
ORB__INLINE void stage_mean(const orb_sgp4_batch_t *b, size_t base, size_t n,
                            const double *tsince, chunk_t *c)
{
    const near_soa_t soa = b->near;
    const orb__sgp4_grav_t g = b->grav;
#pragma omp simd
    for (size_t k = 0; k < n; k++) {
        orb__sgp4_near_t nr;
        orb__sgp4_secular_t sec;
        orb__sgp4_osc_t o;
        double axnl, aynl, u;
        load_near(&soa, base + k, &nr);
        orb__sgp4_secular(&nr, tsince[k], &sec);
        c->code[k] = orb__sgp4_near_mean(&g, &nr, &sec, &o);
        orb__sgp4_kepler_setup(&o, &axnl, &aynl, &u);
        c->axnl[k] = axnl;
        c->aynl[k] = aynl;
        c->u[k] = u;
        c->am[k] = o.am;
        c->nm[k] = o.nm;
        c->nodep[k] = o.nodep;
        c->eo1[k] = u;
        c->active[k] = 1.0;
    }
}

/* Stage 2: Newton on Kepler's equation, all lanes in step.  The costly
 * part (sin/cos and the division) runs vectorised over every lane; a short
 * scalar pass then applies the step only to lanes still iterating, so each
 * lane stops exactly where the scalar loop would (step below 1e-12 or ten
 * steps) and keeps bit-identical sin/cos. */
ORB__INLINE void stage_kepler(size_t n, chunk_t *c)
{
    double s[CHUNK], co[CHUNK], d[CHUNK];
    for (int iter = 0; iter < 10; iter++) {
#pragma omp simd
        for (size_t k = 0; k < n; k++)
            d[k] = orb__sgp4_kepler_step(c->u[k], c->axnl[k], c->aynl[k], c->eo1[k],
                                         &s[k], &co[k]);
        int any = 0;
        for (size_t k = 0; k < n; k++) {
            if (c->active[k] == 0.0)
                continue;
            c->sin_e[k] = s[k];
            c->cos_e[k] = co[k];
            c->eo1[k] += d[k];
            int more = fabs(d[k]) >= 1.0e-12;
            c->active[k] = more;
            any |= more;
        }
        if (!any)
            break;
    }
}

/* Stage 3: short periodics, TEME state, status; failed lanes get zeros. */
ORB__INLINE void stage_state(const orb_sgp4_batch_t *b, size_t base, size_t n,
                             const double *tsince, const chunk_t *c, orb_states_t *out)
{
    const near_soa_t s = b->near;
    const orb__sgp4_grav_t g = b->grav;
    double *restrict x = out->x_km + base, *restrict y = out->y_km + base;
    double *restrict z = out->z_km + base, *restrict vx = out->vx_km_s + base;
    double *restrict vy = out->vy_km_s + base, *restrict vz = out->vz_km_s + base;
    int *restrict status = out->status + base;
#pragma omp simd
    for (size_t k = 0; k < n; k++) {
        size_t i = base + k;
        orb__sgp4_osc_t o = {
            .am = c->am[k], .nm = c->nm[k], .inclp = s.inclo[i], .sinip = s.sinio[i],
            .cosip = s.cosio[i], .nodep = c->nodep[k], .con41 = s.con41[i],
            .x1mth2 = s.x1mth2[i], .x7thm1 = s.x7thm1[i]};
        orb__sgp4_short_t sp;
        orb__sgp4_pv_t pv;
        int code = orb__sgp4_short_periodics(&g, &o, c->axnl[k], c->aynl[k],
                                             c->sin_e[k], c->cos_e[k], &sp);
        orb__sgp4_teme_state(&g, &sp, &pv);
        /* the scalar path's order: mean elements, short periodics, finite */
        double fail = orb__select(c->code[k] != 0.0, 1.0, (double)code);
        double nonfinite = orb__select(orb__all_finite(&pv), 0.0, 1.0);
        fail = orb__select(fail == 0.0, nonfinite, fail);
        code = (int)fail;
        int in_range = fabs(tsince[k]) <= ORB_SGP4_MAX_TSINCE_MIN;
        int ok = (code == 0) & in_range;
        x[k] = orb__select(ok, pv.x, 0.0);
        y[k] = orb__select(ok, pv.y, 0.0);
        z[k] = orb__select(ok, pv.z, 0.0);
        vx[k] = orb__select(ok, pv.vx, 0.0);
        vy[k] = orb__select(ok, pv.vy, 0.0);
        vz[k] = orb__select(ok, pv.vz, 0.0);
        status[k] = in_range ? orb__sgp4_status(code) : ORB_EINVAL;
    }
}

/* Satellites that are not near-Earth: deep space through the scalar path,
 * refused ones with their init status and zero vectors. */
static void fix_up(const orb_sgp4_batch_t *b, size_t base, size_t n,
                   const double *tsince, orb_states_t *out)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = base + k;
        if (b->kind[i] == KIND_NEAR)
            continue;
        double r[3] = {0, 0, 0}, v[3] = {0, 0, 0};
        int rc = b->status[i];
        if (b->kind[i] == KIND_DEEP)
            rc = orb_sgp4_propagate(b->scalar[i], tsince[k], r, v);
        out->x_km[i] = r[0];
        out->y_km[i] = r[1];
        out->z_km[i] = r[2];
        out->vx_km_s[i] = v[0];
        out->vy_km_s[i] = v[1];
        out->vz_km_s[i] = v[2];
        out->status[i] = rc;
    }
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) \
    && !defined(__SANITIZE_ADDRESS__)
/* AVX-512 or AVX2 where the machine has them (8 or 4 lanes instead of
 * SSE2's 2), chosen at load time; on the development machine (AMD EPYC)
 * AVX-512 gives 31 M/s, AVX2 23 M/s.  The build compiles in ISO C mode, so
 * -ffp-contract=off: no FMA contraction, and the vector code rounds exactly
 * like the scalar code. */
#define ORB__CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ORB__CLONES
#endif

ORB__CLONES
static void propagate_chunk(const orb_sgp4_batch_t *b, size_t base, size_t n,
                            const double *tsince, orb_states_t *out)
{
    chunk_t c;
    stage_mean(b, base, n, tsince, &c);
    stage_kepler(n, &c);
    stage_state(b, base, n, tsince, &c, out);
    fix_up(b, base, n, tsince, out);
}

/* end clipped to what both the batch and the output hold. */
static size_t clip_end(const orb_sgp4_batch_t *b, size_t end, const orb_states_t *out)
{
    end = end < b->count ? end : b->count;
    return end < out->count ? end : out->count;
}

void orb_sgp4_batch_propagate(const orb_sgp4_batch_t *b, orb_time_t t, size_t begin,
                              size_t end, orb_states_t *out)
{
    double tsince[CHUNK];
    end = clip_end(b, end, out);
    for (size_t base = begin; base < end; base += CHUNK) {
        size_t n = end - base < CHUNK ? end - base : CHUNK;
        /* as orb_time_diff_min(t, epoch) computes it */
        for (size_t k = 0; k < n; k++)
            tsince[k] = ((t.jd - b->epoch_jd[base + k]) + (t.fr - b->epoch_fr[base + k]))
                        * 1440.0;
        propagate_chunk(b, base, n, tsince, out);
    }
}

void orb_sgp4_batch_propagate_tsince(const orb_sgp4_batch_t *b, const double *tsince_min,
                                     size_t begin, size_t end, orb_states_t *out)
{
    end = clip_end(b, end, out);
    for (size_t base = begin; base < end; base += CHUNK) {
        size_t n = end - base < CHUNK ? end - base : CHUNK;
        propagate_chunk(b, base, n, tsince_min + base, out);
    }
}
