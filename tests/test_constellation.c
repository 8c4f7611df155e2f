/* test_constellation.c: satellite identity.  Walker shells keep theirs
 * (checked against Hypatia's +Grid); for real element sets the inferred
 * shells are checked against the census files and the published Gen1 plane
 * counts, and a shuffled Walker shell must be recovered exactly. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbnet/constellation.h"
#include "orbnet/walker.h"
#include "fail_alloc.h"

#define DEG (M_PI / 180.0)

static orb_constellation_t *from_file(const char *path, const char *iso)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    cr_assert_eq(orb_catalog_load(path, cat, &err), ORB_OK, "%s", err.message);
    orb_time_t ref;
    cr_assert_eq(orb_time_parse_iso(iso, &ref), ORB_OK);
    orb_constellation_t *c;
    cr_assert_eq(orb_constellation_from_catalog(cat, ref, NULL, &c), ORB_OK);
    return c;
}

/* A family of census bins: inclination bin and altitude bin centres. */
typedef struct family {
    double incl_bin;
    int alt_lo, alt_hi;
} family_t;

/* Compares the inferred shells with the census bins, family by family.
 * The census counts every satellite of a 10 km bin, the inference only
 * those within 4 km (and 0.05 deg of inclination) of a shell's peak, so an
 * inferred family may hold fewer satellites (those in transit) but hardly
 * more: 90 % .. 101 % + 2 (+2 for the bin edges).  Its mean altitude must
 * lie within the census's resolution: 5 km of the count-weighted bin
 * centres. */
static void check_census(const orb_constellation_t *c, const char *census,
                         const family_t *fam, size_t nfam)
{
    for (size_t f = 0; f < nfam; f++) {
        FILE *fp = fopen(census, "r");
        cr_assert_not_null(fp);
        char line[128];
        double n_ref = 0, alt_ref = 0;
        while (fgets(line, sizeof line, fp)) {
            double inc;
            int alt, n;
            if (sscanf(line, "%lf,%d,%d", &inc, &alt, &n) == 3 && inc == fam[f].incl_bin &&
                alt >= fam[f].alt_lo && alt <= fam[f].alt_hi) {
                n_ref += n;
                alt_ref += (double)n * alt;
            }
        }
        fclose(fp);
        double n_got = 0, alt_got = 0;
        for (size_t k = 0; k < c->shell_count; k++) {
            const orb_shell_info_t *s = &c->shells[k];
            double bin = round(s->inclination_rad / DEG / 0.5) * 0.5;
            if (bin == fam[f].incl_bin && s->altitude_km >= fam[f].alt_lo - 5 &&
                s->altitude_km < fam[f].alt_hi + 5) {
                n_got += (double)s->count;
                alt_got += (double)s->count * s->altitude_km;
            }
        }
        cr_assert_gt(n_ref, 0);
        cr_assert(n_got >= 0.9 * n_ref && n_got <= 1.01 * n_ref + 2,
                  "%s %.1f deg %d-%d km: inferred %.0f, census %.0f", census,
                  fam[f].incl_bin, fam[f].alt_lo, fam[f].alt_hi, n_got, n_ref);
        cr_assert_float_eq(alt_got / n_got, alt_ref / n_ref, 5.0, "%.1f deg %d-%d km",
                           fam[f].incl_bin, fam[f].alt_lo, fam[f].alt_hi);
    }
}

Test(constellation, census_2026)
{
    orb_constellation_t *c = from_file("data/tle/starlink_celestrak_gp_2026-06-24.tle",
                                       "2026-06-24T00:00:00Z");
    /* every bin of >= 450 satellites; the 53 deg satellites being lowered to
       460-480 km form one family of three neighbouring bins */
    family_t fam[] = {{43.0, 480, 480}, {53.0, 460, 480}, {53.0, 540, 540},
                      {70.0, 570, 570}, {97.5, 470, 470}, {97.5, 550, 550},
                      {43.0, 360, 360}};
    check_census(c, "data/tle/shell_census_2026-06-24.csv", fam, sizeof fam / sizeof *fam);
    size_t sum = c->unassigned_count;
    for (size_t k = 0; k < c->shell_count; k++)
        sum += c->shells[k].count;
    cr_assert_eq(sum, 10631);
    cr_assert_lt(c->unassigned_count, 1100); /* about 9 % in transit or in small groups */
    orb_constellation_destroy(c);
}

/* November 2024, before the lowering: the Gen1 shells as licensed (FCC
 * 2021, see /work/shared/data/params): 72 planes at 53.0 deg / 550 km,
 * 72 planes at 53.2 deg / 540 km, 6 planes at 97.6 deg / 560 km. */
Test(constellation, census_2024_and_gen1_planes)
{
    orb_constellation_t *c = from_file("data/tle/starlink_celestrak_gp_2024-11-27.tle",
                                       "2024-11-27T00:00:00Z");
    family_t fam[] = {{43.0, 560, 560}, {53.0, 540, 550}, {70.0, 570, 570},
                      {97.5, 560, 560}, {43.0, 440, 440}};
    check_census(c, "data/tle/shell_census_2024-11-27.csv", fam, sizeof fam / sizeof *fam);
    int found = 0;
    for (size_t k = 0; k < c->shell_count; k++) {
        const orb_shell_info_t *s = &c->shells[k];
        double inc = s->inclination_rad / DEG;
        if (fabs(inc - 53.05) < 0.03 && fabs(s->altitude_km - 547) < 5) {
            cr_assert_eq(s->planes, 72, "53.05 deg shell: %d planes", s->planes);
            found |= 1;
        } else if (fabs(inc - 53.22) < 0.03 && fabs(s->altitude_km - 540) < 5) {
            cr_assert_eq(s->planes, 72, "53.22 deg shell: %d planes", s->planes);
            found |= 2;
        } else if (fabs(inc - 97.65) < 0.1 && fabs(s->altitude_km - 563) < 5) {
            cr_assert_eq(s->planes, 6, "97.6 deg shell: %d planes", s->planes);
            found |= 4;
        }
    }
    cr_assert_eq(found, 7);
    /* plane members are ordered by slot, slots by argument of latitude */
    const size_t *sats;
    for (size_t k = 0; k < c->shell_count; k++)
        for (int p = 0; p < c->shells[k].planes; p++) {
            size_t n = orb_constellation_plane(c, (int)k, p, &sats);
            cr_assert_gt(n, 0);
            for (size_t j = 0; j < n; j++) {
                cr_assert_eq(c->shell[sats[j]], (int)k);
                cr_assert_eq(c->plane[sats[j]], p);
                cr_assert_eq(c->slot[sats[j]], (int)j);
                if (j > 0)
                    cr_assert_geq(c->u_ref_rad[sats[j]], c->u_ref_rad[sats[j - 1]]);
            }
        }
    orb_constellation_destroy(c);
}

/* A 72 x 22 Walker shell, shuffled and stripped of its identity, is
 * recovered: one shell, 72 planes of 22, each inferred plane one Walker
 * plane, consecutive slots consecutive Walker slots. */
/* Starlink's first shell as a 72 x 22 Walker shell at 550 km, 53 deg. */
static orb_walker_shell_t shell_72x22(const char *name, int phasing, orb_time_t epoch,
                                      long first_norad_id)
{
    orb_walker_shell_t sh;
    memset(&sh, 0, sizeof sh);
    snprintf(sh.name, sizeof sh.name, "%s", name);
    sh.altitude_km = 550;
    sh.inclination_rad = 53 * DEG;
    sh.planes = 72;
    sh.sats_per_plane = 22;
    sh.phasing = phasing;
    sh.raan_spread_rad = 2 * M_PI;
    sh.epoch = epoch;
    sh.first_norad_id = first_norad_id;
    return sh;
}

Test(constellation, recovers_a_shuffled_walker_shell)
{
    orb_walker_shell_t sh = shell_72x22("w", 17, orb_time_from_calendar(2026, 6, 24, 0, 0, 0.0),
                                        1000);
    orb_catalog_t *cat = orb_catalog_create();
    cr_assert_eq(orb_walker_generate(&sh, cat, NULL), ORB_OK);
    for (size_t i = cat->count - 1; i > 0; i--) { /* deterministic shuffle */
        size_t j = (i * 7919 + 13) % (i + 1);
        orb_elements_t t = cat->sats[i];
        cat->sats[i] = cat->sats[j];
        cat->sats[j] = t;
    }
    orb_constellation_t *c;
    orb_time_t ref = orb_time_add_s(sh.epoch, 3 * 86400.0);
    cr_assert_eq(orb_constellation_from_catalog(cat, ref, NULL, &c), ORB_OK);
    cr_assert_eq(c->shell_count, 1);
    cr_assert_eq(c->unassigned_count, 0);
    cr_assert_eq(c->shells[0].planes, 72);
    cr_assert_eq(c->shells[0].sats_per_plane, 22);
    cr_assert_float_eq(c->shells[0].altitude_km, 550.0, 2.0); /* Kozai a - Re, not SGP4 mean */
    for (int p = 0; p < 72; p++) {
        const size_t *sats;
        cr_assert_eq(orb_constellation_plane(c, 0, p, &sats), 22);
        long id0 = c->cat->sats[sats[0]].norad_id - 1000;
        for (size_t j = 1; j < 22; j++) {
            long id = c->cat->sats[sats[j]].norad_id - 1000;
            cr_assert_eq(id / 22, id0 / 22, "plane %d mixes Walker planes", p);
            cr_assert_eq(id % 22, (id0 % 22 + (long)j) % 22);
        }
        /* the next inferred plane is the next Walker plane (RAAN order) */
        const size_t *next;
        orb_constellation_plane(c, 0, (p + 1) % 72, &next);
        long idn = c->cat->sats[next[0]].norad_id - 1000;
        cr_assert_eq(idn / 22, (id0 / 22 + 1) % 72);
    }
    /* +Grid by nearest argument of latitude: the same Walker slot in the
       next plane (F = 17 moves it by 17 x 360 / 1584 = 3.9 deg, less than
       half the 16.4 deg slot spacing), except across the seam */
    for (size_t i = 0; i < c->cat->count; i++) {
        long id = c->cat->sats[i].norad_id - 1000;
        if (id / 22 == 71)
            continue;
        long j = orb_constellation_neighbor(c, i, +1, 0);
        cr_assert_geq(j, 0);
        cr_assert_eq(c->cat->sats[j].norad_id - 1000, id + 22);
        long k = orb_constellation_neighbor(c, i, 0, +1);
        cr_assert_eq(c->cat->sats[k].norad_id - 1000, id / 22 * 22 + (id % 22 + 1) % 22);
    }
    orb_constellation_destroy(c);
}

static int cmp_pair(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* +Grid of a Walker shell: exactly Hypatia's 3,168 links (isls.txt written
 * by satgenpy for its Starlink-550 72 x 22 shell; node id = index). */
Test(constellation, walker_plus_grid_equals_hypatia)
{
    orb_scenario_t sc;
    orb_scenario_init(&sc);
    sc.start = orb_time_from_calendar(2000, 1, 1, 0, 0, 0.0);
    orb_walker_shell_t sh = shell_72x22("starlink-550", 0, sc.start, 1);
    sc.shells = &sh;
    sc.shell_count = 1;
    orb_constellation_t *c;
    orb_error_t err;
    cr_assert_eq(orb_constellation_build(&sc, &c, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_constellation_count(c), 1584);
    cr_assert(c->shells[0].is_walker);
    long (*mine)[2] = malloc(2 * 1584 * sizeof *mine);
    size_t n = 0;
    for (size_t i = 0; i < 1584; i++) {
        long nb[2] = {orb_constellation_neighbor(c, i, 0, +1),
                      orb_constellation_neighbor(c, i, +1, 0)};
        for (int k = 0; k < 2; k++) {
            mine[n][0] = (long)i < nb[k] ? (long)i : nb[k];
            mine[n][1] = (long)i < nb[k] ? nb[k] : (long)i;
            n++;
        }
        /* -1 steps are the inverse */
        cr_assert_eq(orb_constellation_neighbor(c, (size_t)nb[0], 0, -1), (long)i);
        cr_assert_eq(orb_constellation_neighbor(c, (size_t)nb[1], -1, 0), (long)i);
    }
    qsort(mine, n, sizeof *mine, cmp_pair);
    FILE *f = fopen("tests/data/hypatia/isls.txt", "r");
    cr_assert_not_null(f);
    long (*ref)[2] = malloc(4000 * sizeof *ref);
    size_t m = 0;
    while (m < 4000 && fscanf(f, "%ld %ld", &ref[m][0], &ref[m][1]) == 2) {
        if (ref[m][0] > ref[m][1]) {
            long t = ref[m][0];
            ref[m][0] = ref[m][1];
            ref[m][1] = t;
        }
        m++;
    }
    fclose(f);
    qsort(ref, m, sizeof *ref, cmp_pair);
    cr_assert_eq(m, 3168);
    cr_assert_eq(n, 3168);
    cr_assert_arr_eq(mine, ref, 3168 * sizeof *ref);
    free(mine);
    free(ref);
    orb_constellation_destroy(c);
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

Test(constellation, scenario_build_selection_and_faults)
{
    cr_assert_eq(splitmix64(0), 0xE220A8397B1DCDAFull); /* published first output, seed 0 */
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load("tests/data/scenarios/full.ini", &sc, &err), ORB_OK);
    orb_constellation_t *c;
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_constellation_count(c), 3 + 24 + 15);
    cr_assert_eq(c->cat->sats[0].norad_id, 44714);
    cr_assert_eq(c->cat->sats[3].norad_id, 800001);
    size_t last = c->shell_count - 1;
    cr_assert_str_eq(c->shells[last].name, "star");
    cr_assert_eq(c->shells[last].planes, 3);
    cr_assert_eq(c->shell[41], (int)last);
    cr_assert_eq(c->plane[41], 2);
    cr_assert_eq(c->slot[41], 4);
    char buf[2048];
    size_t need = orb_constellation_report(c, buf, sizeof buf);
    cr_assert_eq(need, strlen(buf));
    cr_assert_not_null(strstr(buf, "small"));
    cr_assert_not_null(strstr(buf, "unassigned"));
    char tiny[8];
    cr_assert_eq(orb_constellation_report(c, tiny, sizeof tiny), need);
    cr_assert_eq(strlen(tiny), 7);

    unsigned char dead[42];
    cr_assert_eq(orb_constellation_fault_mask(c, sc, dead, &err), ORB_OK);
    for (size_t i = 0; i < 42; i++) {
        long id = c->cat->sats[i].norad_id;
        double u = (double)(splitmix64((uint64_t)id ^ 42u) >> 11) * 0x1p-53;
        int want = (id >= 800001 && id <= 800003) || u < 0.1;
        cr_assert_eq(dead[i], want, "sat %ld", id);
    }
    sc->dead_sats[1] = 12345;
    cr_assert_eq(orb_constellation_fault_mask(c, sc, dead, &err), ORB_ENOTFOUND);
    cr_assert_eq(err.line, 56); /* the line that named 800002 */
    orb_constellation_destroy(c);

    /* selection: the altitude band keeps the two lower satellites only
       (15.51 rev/day = 411 km, 15.33 rev/day = 441 km by Kepler, WGS-72) */
    sc->alt_max_km = 430;
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_OK);
    cr_assert_eq(orb_constellation_count(c), 2 + 24 + 15);
    orb_constellation_destroy(c);
    snprintf(sc->name_pattern, sizeof sc->name_pattern, "STARLINK-101?");
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_OK);
    cr_assert_eq(orb_constellation_count(c), 1 + 24 + 15);
    cr_assert_eq(c->cat->sats[0].norad_id, 44718);
    orb_constellation_destroy(c);
    /* name_exclude drops what it matches: the same satellite goes again */
    sc->name_pattern[0] = '\0';
    snprintf(sc->name_exclude, sizeof sc->name_exclude, "STARLINK-101?");
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_OK);
    cr_assert_eq(orb_constellation_count(c), 1 + 24 + 15);
    cr_assert_neq(c->cat->sats[0].norad_id, 44718);
    orb_constellation_destroy(c);
    orb_scenario_destroy(sc);
}

/* Writes text into the temporary file ini (created by mkstemp when fd is
 * -1, else the open file fd) and loads it as a scenario. */
static orb_scenario_t *load_ini_text(char *ini, int fd, const char *text)
{
    if (fd < 0)
        fd = mkstemp(ini);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(ini, &sc, &err), ORB_OK, "%s", err.message);
    return sc;
}

Test(constellation, duplicate_catalogue_numbers)
{
    char ini[] = "/tmp/orbnet_cons_XXXXXX", cwd[512], text[2048];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, "[scenario]\nstart = 2026-06-24\nduration_s = 60\n"
             "[constellation]\ntle = %s/tests/data/scenarios/three_sats.tle\n"
             "tle = %s/tests/data/walker/hypatia_first.tle\n"
             "[shell a]\naltitude_km = 550\ninclination_deg = 53\nplanes = 1\n"
             "sats_per_plane = 2\nfirst_id = 44718\n", cwd, cwd);
    orb_scenario_t *sc = load_ini_text(ini, -1, text);
    orb_error_t err;
    orb_constellation_t *c;
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_ESYNTAX);
    cr_assert_null(c);
    cr_assert_str_eq(err.field, "first_id");
    cr_assert_not_null(strstr(err.message, "44718"));
    orb_scenario_destroy(sc);
    /* the same file twice: the second copy's first record is named */
    snprintf(text, sizeof text, "[scenario]\nstart = 2026-06-24\nduration_s = 60\n"
             "[constellation]\ntle = %s/tests/data/scenarios/three_sats.tle\n"
             "tle = %s/tests/data/scenarios/three_sats.tle\n", cwd, cwd);
    sc = load_ini_text(ini, open(ini, O_WRONLY | O_TRUNC), text);
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_ESYNTAX);
    cr_assert_str_eq(err.file, sc->element_files[1].path);
    cr_assert_eq(err.line, 1);
    cr_assert_not_null(strstr(err.message, "44714"), "%s", err.message);
    orb_scenario_destroy(sc);
    unlink(ini);
}

Test(constellation, bounds)
{
    orb_constellation_t *c = from_file("tests/data/scenarios/three_sats.tle",
                                       "2026-06-24T00:00:00Z");
    cr_assert_eq(c->shell_count, 0); /* three satellites are no shell */
    cr_assert_eq(c->unassigned_count, 3);
    const size_t *sats;
    cr_assert_eq(orb_constellation_plane(c, 0, 0, &sats), 0);
    cr_assert_null(sats);
    cr_assert_eq(orb_constellation_neighbor(c, 0, 0, 1), -1);
    cr_assert_eq(orb_constellation_neighbor(c, 99, 0, 1), -1);
    orb_constellation_destroy(c);
}

/* ---- allocation failures: ORB_ENOMEM (or an SGP4 refusal reported as
 * such) and no leak at every failing allocation; ASan checks the leaks ---- */

Test(constellation, out_of_memory_at_every_allocation)
{
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load("tests/data/scenarios/full.ini", &sc, &err), ORB_OK);
    int ok = 0;
    for (long n = 0; n < 100000 && !ok; n++) {
        fail_alloc_install(n);
        orb_constellation_t *c = NULL;
        int rc = orb_constellation_build(sc, &c, &err);
        fail_alloc_remove();
        cr_assert(rc == ORB_OK || rc == ORB_ENOMEM, "budget %ld: rc %d (%s)", n, rc,
                  err.message);
        cr_assert((rc == ORB_OK) == (c != NULL));
        ok = rc == ORB_OK;
        orb_constellation_destroy(c);
    }
    cr_assert(ok);
    orb_scenario_destroy(sc);
}

/* The OMM path and the selection keys on CelesTrak's OMM CSV snapshot
 * (2026-06-20): 'STARLINK-1*' between 52.5 and 53.5 deg is 594 of its
 * 10,634 rows (counted with awk on columns OBJECT_NAME and INCLINATION). */
Test(constellation, omm_file_with_selection)
{
    char ini[] = "/tmp/orbnet_omm_XXXXXX", cwd[512], text[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, "[scenario]\nstart = 2026-06-20\nduration_s = 60\n"
             "[constellation]\nomm = %s/tests/data/elsets/starlink_celestrak_omm_2026-06-20.csv\n"
             "name_pattern = STARLINK-1*\ninclination_min_deg = 52.5\n"
             "inclination_max_deg = 53.5\n", cwd);
    orb_scenario_t *sc = load_ini_text(ini, -1, text);
    orb_error_t err;
    orb_constellation_t *c;
    cr_assert_eq(orb_constellation_build(sc, &c, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_constellation_count(c), 594);
    for (size_t k = 0; k < c->shell_count; k++)
        cr_assert_float_eq(c->shells[k].inclination_rad / DEG, 53.0, 0.5);
    orb_constellation_destroy(c);
    orb_scenario_destroy(sc);
    unlink(ini);
}
