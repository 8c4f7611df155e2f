/* sgp4_bench.c: SGP4 propagations per second on one core for a real
 * catalogue, through the batch (vectorised) path and the scalar path.
 * Usage: sgp4_bench [TLE_FILE] [MINUTES] [STEP_MIN] [REPEATS]
 * Times: MINUTES at STEP_MIN steps from the newest epoch in the file
 * (bench/satjs_bench.js uses the same satellites and instants). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"

/* CPU time of the process, not wall time: on a shared machine other load
 * then slows the run (caches) but does not count as our time.  The
 * benchmark is single-threaded (satjs_bench.js measures the same way). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The start instant: the newest epoch in the catalogue, rounded down to
 * the minute (satjs_bench.js computes the same). */
static orb_time_t start_time(const orb_catalog_t *cat)
{
    orb_time_t best = cat->sats[0].epoch;
    for (size_t i = 1; i < cat->count; i++)
        if (orb_time_diff_s(cat->sats[i].epoch, best) > 0)
            best = cat->sats[i].epoch;
    best.fr = (double)(long)(best.fr * 1440.0) / 1440.0;
    return best;
}

typedef struct run {
    const orb_catalog_t *cat;
    const orb_sgp4_batch_t *batch;
    orb_sgp4_t **sats;
    orb_states_t *st;
    orb_time_t t0;
    int steps;
    double step_min;
    double checksum;
} run_t;

static double run_batch(run_t *r)
{
    size_t n = r->cat->count;
    double t = now_s();
    for (int k = 0; k < r->steps; k++) {
        orb_time_t tk = orb_time_add_s(r->t0, k * r->step_min * 60.0);
        orb_sgp4_batch_propagate(r->batch, tk, 0, n, r->st);
        r->checksum += r->st->x_km[(size_t)k % n];
    }
    return (double)n * r->steps / (now_s() - t);
}

static double run_scalar(run_t *r)
{
    size_t n = r->cat->count;
    double t = now_s();
    for (int k = 0; k < r->steps; k++) {
        orb_time_t tk = orb_time_add_s(r->t0, k * r->step_min * 60.0);
        for (size_t i = 0; i < n; i++) {
            double pos[3], vel[3];
            if (!r->sats[i])
                continue;
            double ts = orb_time_diff_min(tk, r->cat->sats[i].epoch);
            orb_sgp4_propagate(r->sats[i], ts, pos, vel);
            r->checksum += pos[0] * 1e-12;
        }
    }
    return (double)n * r->steps / (now_s() - t);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/tle/starlink_celestrak_gp_2026-06-24.tle";
    double minutes = argc > 2 ? atof(argv[2]) : 1440.0;
    double step = argc > 3 ? atof(argv[3]) : 1.0;
    int repeats = argc > 4 ? atoi(argv[4]) : 5;
    if (repeats < 1 || repeats > 99 || step <= 0 || minutes < 0) {
        fprintf(stderr, "usage: sgp4_bench [TLE] [MINUTES] [STEP_MIN] [REPEATS<=99]\n");
        return 2;
    }
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    if (!cat || orb_catalog_load(path, cat, &err) != ORB_OK) {
        char msg[1024];
        fprintf(stderr, "sgp4_bench: %s\n", orb_error_format(&err, msg, sizeof msg));
        return 3;
    }
    run_t r = {.cat = cat, .steps = (int)(minutes / step) + 1, .step_min = step};
    r.t0 = start_time(cat);
    r.st = orb_states_create(cat->count);
    r.sats = calloc(cat->count, sizeof *r.sats);
    orb_sgp4_batch_t *batch;
    if (!r.st || !r.sats || orb_sgp4_batch_create(cat, ORB_WGS72, &batch, NULL) != ORB_OK)
        return 1;
    r.batch = batch;
    for (size_t i = 0; i < cat->count; i++)
        orb_sgp4_create(&cat->sats[i], ORB_WGS72, &r.sats[i]);
    double rb[99], rs[99];
    for (int k = 0; k < repeats; k++) {
        rb[k] = run_batch(&r);
        rs[k] = run_scalar(&r);
    }
    char t0[40];
    printf("satellites %zu, instants %d (%g min step from %s), repeats %d\n", cat->count,
           r.steps, step, orb_time_format_iso(r.t0, 0, t0, sizeof t0), repeats);
    printf("orbnet_batch_props_per_s %.0f\n", median(rb, repeats));
    printf("orbnet_scalar_props_per_s %.0f\n", median(rs, repeats));
    if (r.checksum == 12345.678)
        printf("(checksum)\n");
    for (size_t i = 0; i < cat->count; i++)
        orb_sgp4_destroy(r.sats[i]);
    free(r.sats);
    orb_sgp4_batch_destroy(batch);
    orb_states_destroy(r.st);
    orb_catalog_destroy(cat);
    return 0;
}
