/* net_bench.c: network-engine benchmark on Hypatia's Starlink-550 network
 * (72x22 +Grid, 100 cities, tests/data/hypatia/): per time step, satellite
 * propagation, ground and laser links, and all-pairs RTTs between the 100
 * cities (100 Dijkstra searches), as satgenpy's forwarding state has.
 *
 * usage: net_bench [STEPS]   (run from the repository root; default 200)
 * prints: orbnet_hypatia_ms_per_step=<median CPU ms per step, one thread>
 * (CPU time, like bench/hypatia_peer.sh, so that other load on a shared
 * machine does not inflate it).  (orb_sim_all_pairs can spread its
 * searches over threads, but on a machine shared with other work the wall
 * time of two threads says more about that work than about orbnet.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <omp.h>
#include <unistd.h>

#include "orbnet.h"

#define HYP "tests/data/hypatia/"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Median ms per step over `steps` steps of all-pairs RTTs on `threads`
 * threads, timed with clock `id`. */
static double time_steps(orb_sim_t *sim, orb_time_t start, int steps, int threads,
                         clockid_t id, double *rtt, double *ms, double *check)
{
    size_t sites[100];
    for (size_t i = 0; i < 100; i++)
        sites[i] = i;
    omp_set_num_threads(threads);
    orb_sim_all_pairs(sim, sites, 100, start, rtt); /* warm-up: allocations */
    *check = 0;
    for (int k = 0; k < steps; k++) {
        double t0 = clock_s(id);
        orb_sim_all_pairs(sim, sites, 100, orb_time_add_s(start, k), rtt);
        ms[k] = 1000 * (clock_s(id) - t0);
        *check += rtt[24 * 100 + 66];
    }
    qsort(ms, (size_t)steps, sizeof *ms, cmp_double);
    return ms[steps / 2];
}

/* tles.txt without its "72 22" line; isls.txt with catalogue numbers. */
static int write_inputs(const char *tle, const char *isl)
{
    FILE *in = fopen(HYP "tles.txt", "r"), *o = fopen(tle, "w");
    if (!in || !o)
        return -1;
    char line[256];
    if (!fgets(line, sizeof line, in))
        return -1;
    while (fgets(line, sizeof line, in))
        fputs(line, o);
    fclose(in);
    fclose(o);
    in = fopen(HYP "isls.txt", "r");
    o = fopen(isl, "w");
    if (!in || !o)
        return -1;
    long a, b;
    while (fscanf(in, "%ld %ld", &a, &b) == 2)
        fprintf(o, "%ld %ld\n", a + 1, b + 1);
    fclose(in);
    fclose(o);
    return 0;
}

static orb_ground_t *load_ground(void)
{
    orb_ground_t *g = orb_ground_create();
    FILE *f = fopen(HYP "ground_stations.txt", "r");
    if (!g || !f)
        return NULL;
    char line[512], name[128];
    int gid;
    double lat, lon, elev;
    orb_error_t err;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%d,%127[^,],%lf,%lf,%lf", &gid, name, &lat, &lon, &elev) == 5)
            orb_ground_add(g, name, lat * ORB_DEG, lon * ORB_DEG, elev / 1000,
                           ORB_SITE_TERMINAL, 1, NULL, NULL, 0, &err);
    fclose(f);
    orb_ground_resolve(g, "", &err);
    return g;
}

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 200;
    if (steps < 1)
        steps = 1;
    char tle[64], isl[64];
    snprintf(tle, sizeof tle, "/tmp/net_bench_%d.tle", (int)getpid());
    snprintf(isl, sizeof isl, "/tmp/net_bench_%d.isl", (int)getpid());
    if (write_inputs(tle, isl)) {
        fprintf(stderr, "net_bench: cannot read %s (run from the repository root)\n", HYP);
        return 1;
    }
    orb_scenario_t sc;
    orb_scenario_init(&sc);
    sc.start = orb_time_from_calendar(2000, 1, 1, 0, 0, 0);
    sc.duration_s = steps;
    sc.min_elevation_rad = -90 * ORB_DEG;
    sc.max_gsl_range_km = 1089.6864181956202;
    sc.isl = ORB_ISL_FILE;
    sc.isl_file.path = isl;
    sc.isl_max_range_km = 0;
    sc.assignment = ORB_ASSIGN_ANY;
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    orb_constellation_t *c = NULL;
    orb_sim_t *sim = NULL;
    if (orb_catalog_load(tle, cat, &err) ||
        orb_constellation_from_catalog(cat, sc.start, NULL, &c) ||
        orb_sim_create_from(&sc, c, load_ground(), &sim, &err)) {
        fprintf(stderr, "net_bench: setup failed: %s\n", err.message);
        return 1;
    }
    double *rtt = calloc(100 * 100, sizeof *rtt), *ms = calloc((size_t)steps, sizeof *ms);
    double check;
    double one = time_steps(sim, sc.start, steps, 1, CLOCK_THREAD_CPUTIME_ID, rtt, ms, &check);
    fprintf(stderr, "net_bench: %d steps of 1584 satellites, 100 cities, all pairs; "
                    "Paris-Luanda mean RTT %.3f ms; one thread: fastest %.3f ms, median %.3f ms "
                    "CPU\n", steps, check / steps, ms[0], one);
    printf("orbnet_hypatia_ms_per_step=%.3f\n", one);
    orb_sim_destroy(sim);
    sc.isl_file.path = NULL;
    remove(tle);
    remove(isl);
    free(rtt);
    free(ms);
    return 0;
}
