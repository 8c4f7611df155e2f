/* test_scenario.c: the scenario INI reader: every key and default, and
 * errors that name file, line and key. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbnet/frames.h"
#include "orbnet/ground.h"
#include "orbnet/scenario.h"
#include "fail_alloc.h"

#define DIR "tests/data/scenarios"
#define DEG (M_PI / 180.0)

static char tmpdir[64];
static char inipath[128];

/* Writes text to a fresh temporary INI; relative paths in it resolve
 * against the temporary folder, so fixtures are named by absolute path. */
static const char *write_ini(const char *text)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/orbnet_scn_XXXXXX");
        cr_assert_not_null(mkdtemp(tmpdir));
    }
    snprintf(inipath, sizeof inipath, "%s/t.ini", tmpdir);
    FILE *f = fopen(inipath, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return inipath;
}

static void cleanup(void)
{
    if (tmpdir[0]) {
        unlink(inipath);
        rmdir(tmpdir);
        tmpdir[0] = '\0';
    }
}

/* Loads text expecting failure with code at line, field. */
static void expect_error(const char *text, int code, long line, const char *field)
{
    orb_scenario_t *sc = (orb_scenario_t *)1;
    orb_error_t err;
    int rc = orb_scenario_load(write_ini(text), &sc, &err);
    char msg[1200];
    orb_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, code, "rc %d (%s), want %d", rc, msg, code);
    cr_assert_null(sc);
    cr_assert_eq(err.line, line, "line %ld, want %ld: %s", err.line, line, msg);
    cr_assert_str_eq(err.file, inipath);
    if (field)
        cr_assert_str_eq(err.field, field, "%s", msg);
    cleanup();
}

#define HEAD "[scenario]\nstart = 2026-06-24T00:00:00Z\nduration_s = 60\n"
#define SHELL "[shell a]\naltitude_km = 550\ninclination_deg = 53\nplanes = 2\nsats_per_plane = 2\n"

Test(scenario, every_key)
{
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(DIR "/full.ini", &sc, &err), ORB_OK, "%s", err.message);
    cr_assert_str_eq(sc->name, "full-test");
    char buf[40];
    cr_assert_str_eq(orb_time_format_iso(sc->start, 0, buf, sizeof buf), "2026-06-24T00:00:00Z");
    cr_assert_eq(sc->duration_s, 600.0);
    cr_assert_eq(sc->step_s, 2.0);
    cr_assert_eq(sc->element_file_count, 1);
    cr_assert_str_eq(sc->element_files[0].path, DIR "/three_sats.tle");
    cr_assert_eq(sc->element_files[0].line, 9);
    cr_assert_str_eq(sc->name_pattern, "STARLINK-*");
    cr_assert_float_eq(sc->incl_min_rad, 40 * DEG, 1e-15);
    cr_assert_float_eq(sc->incl_max_rad, 60 * DEG, 1e-15);
    cr_assert_eq(sc->alt_min_km, 300.0);
    cr_assert_eq(sc->alt_max_km, 600.0);
    cr_assert_eq(sc->min_shell_size, 2);

    cr_assert_eq(sc->shell_count, 2);
    orb_walker_shell_t *a = &sc->shells[0], *b = &sc->shells[1];
    cr_assert_str_eq(a->name, "small");
    cr_assert_eq(a->altitude_km, 550.0);
    cr_assert_float_eq(a->inclination_rad, 53 * DEG, 1e-15);
    cr_assert_eq(a->planes, 4);
    cr_assert_eq(a->sats_per_plane, 6);
    cr_assert_eq(a->phasing, 1);
    cr_assert_float_eq(a->raan_spread_rad, 2 * M_PI, 1e-15);
    cr_assert_float_eq(a->raan0_rad, 10 * DEG, 1e-15);
    cr_assert_str_eq(orb_time_format_iso(a->epoch, 0, buf, sizeof buf), "2026-06-23T12:00:00Z");
    cr_assert_eq(a->first_norad_id, 800001);
    cr_assert_str_eq(b->name, "star");
    cr_assert_eq(b->phasing, 0);
    cr_assert_float_eq(b->raan_spread_rad, M_PI, 1e-15);
    cr_assert_eq(b->raan0_rad, 0.0);
    cr_assert_eq(b->epoch.jd + b->epoch.fr, sc->start.jd + sc->start.fr); /* default: start */
    cr_assert_eq(b->first_norad_id, 800025); /* continues after the shell before */

    cr_assert_eq(sc->site_file_count, 1);
    cr_assert_eq(sc->site_files[0].role, ORB_SITE_FROM_FILE);
    cr_assert_eq(sc->gateway_antennas, 6);

    cr_assert_float_eq(sc->min_elevation_rad, 40 * DEG, 1e-15);
    cr_assert_eq(sc->max_gsl_range_km, 1500.0);
    cr_assert_eq(sc->isl, ORB_ISL_NEAREST);
    cr_assert_eq(sc->isl_k, 3);
    cr_assert_eq(sc->isl_max_range_km, 4000.0);
    cr_assert_eq(sc->lasers_per_sat, 3);
    cr_assert_eq(sc->grazing_height_km, 100.0);
    cr_assert_eq(sc->assignment, ORB_ASSIGN_LONGEST_VISIBLE);
    cr_assert_eq(sc->epoch_s, 30.0);
    cr_assert_eq(sc->epoch_offset_s, 5.0);

    cr_assert_eq(sc->mode, ORB_ROUTE_BENT_PIPE);
    cr_assert_eq(sc->fiber_factor, 1.25);
    cr_assert_str_eq(sc->pop, "Frankfurt PoP");

    cr_assert_eq(sc->dead_sat_count, 3);
    cr_assert_eq(sc->dead_sats[0], 800001);
    cr_assert_eq(sc->dead_sats[2], 800003);
    cr_assert_eq(sc->dead_fraction, 0.1);
    cr_assert_eq(sc->fault_seed, 42);
    cr_assert_eq(sc->gateway_down_count, 1);
    cr_assert_str_eq(sc->gateways_down[0], "Wola Krobowska");
    cr_assert_eq(sc->jam_zone_count, 2);
    cr_assert_float_eq(sc->jam_zones[1].lat_rad, 48.0 * DEG, 1e-15);
    cr_assert_float_eq(sc->jam_zones[1].lon_rad, 37.8 * DEG, 1e-15);
    cr_assert_eq(sc->jam_zones[1].radius_km, 100.5);
    cr_assert_eq(sc->jam_zones[1].line, 62);

    cr_assert_str_eq(sc->out_dir, "results");
    cr_assert_eq(sc->csv, 0);
    cr_assert_eq(sc->rtt_csv, 0);
    cr_assert_eq(sc->report, 0);
    cr_assert_eq(orb_scenario_step_count(sc), 301);
    orb_scenario_destroy(sc);
}

Test(scenario, defaults)
{
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(DIR "/minimal.ini", &sc, &err), ORB_OK, "%s", err.message);
    cr_assert_str_eq(sc->name, "minimal");
    cr_assert_eq(sc->step_s, 1.0);
    cr_assert_eq(sc->element_file_count, 0);
    cr_assert_eq(sc->shells[0].raan_spread_rad, 2 * M_PI);
    cr_assert_float_eq(sc->min_elevation_rad, 25 * DEG, 1e-15);
    cr_assert_eq(sc->max_gsl_range_km, 0.0);
    cr_assert_eq(sc->isl, ORB_ISL_PLUS_GRID);
    cr_assert_eq(sc->isl_max_range_km, 5400.0);
    cr_assert_eq(sc->lasers_per_sat, 4);
    cr_assert_eq(sc->grazing_height_km, 80.0);
    cr_assert_eq(sc->assignment, ORB_ASSIGN_MAX_ELEVATION);
    cr_assert_eq(sc->epoch_s, 15.0);
    cr_assert_eq(sc->epoch_offset_s, 12.0);
    cr_assert_eq(sc->mode, ORB_ROUTE_LASER);
    cr_assert_eq(sc->fiber_factor, 1.5);
    cr_assert_str_eq(sc->pop, "");
    cr_assert_eq(sc->gateway_antennas, 8);
    cr_assert_eq(sc->min_shell_size, 30);
    cr_assert_str_eq(sc->out_dir, "out");
    cr_assert(sc->csv && sc->rtt_csv && sc->report);
    cr_assert_eq(orb_scenario_step_count(sc), 61);
    orb_scenario_destroy(sc);
}

/* Epochs at seconds 12, 27, 42, 57 of each minute: with 1 s steps from
 * 00:00:00 the epoch steps are exactly those seconds. */
Test(scenario, scheduling_epochs)
{
    orb_scenario_t sc;
    orb_scenario_init(&sc);
    sc.start = orb_time_from_calendar(2026, 6, 24, 0, 0, 0.0);
    sc.duration_s = 120;
    int want[] = {12, 27, 42, 57, 72, 87, 102, 117};
    int n = 0;
    for (size_t k = 1; k <= 120; k++)
        if (orb_scenario_is_epoch(&sc, k)) {
            cr_assert_lt(n, 8);
            cr_assert_eq((int)k, want[n], "step %zu", k);
            n++;
        }
    cr_assert_eq(n, 8);
    cr_assert(orb_scenario_is_epoch(&sc, 0));
    /* 10 s steps: epoch in (t-10, t] -> t = 20 (holds 12), 30 (27), 50 (42), 60 (57) */
    sc.step_s = 10;
    cr_assert(!orb_scenario_is_epoch(&sc, 1));
    cr_assert(orb_scenario_is_epoch(&sc, 2));
    cr_assert(orb_scenario_is_epoch(&sc, 3));
    cr_assert(!orb_scenario_is_epoch(&sc, 4));
    cr_assert(orb_scenario_is_epoch(&sc, 5));
    cr_assert(orb_scenario_is_epoch(&sc, 6));
    sc.epoch_s = 0;
    cr_assert(orb_scenario_is_epoch(&sc, 1));
    orb_scenario_clear(&sc);
}

Test(scenario, unknown_key_and_section)
{
    expect_error(HEAD "colour = blue\n" SHELL, ORB_ESYNTAX, 4, "colour");
    expect_error(HEAD SHELL "\n[linkz]\nisl = none\n", ORB_ESYNTAX, 10, "section");
    expect_error(HEAD SHELL "[traffic]\nrate_mbps = 5\n", ORB_ESYNTAX, 10, "rate_mbps");
    expect_error("start = 2026-06-24\n", ORB_ESYNTAX, 1, "start");
    expect_error(HEAD "this line has no equals sign\n" SHELL, ORB_ESYNTAX, 4, NULL);
}

Test(scenario, bad_values)
{
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = 0\n" SHELL, ORB_ERANGE, 3,
                 "duration_s");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = -5\n" SHELL, ORB_ERANGE, 3,
                 "duration_s");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = 60\nstep_s = 0\n" SHELL,
                 ORB_ERANGE, 4, "step_s");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = nan\n" SHELL, ORB_ESYNTAX, 3,
                 "duration_s");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = inf\n" SHELL, ORB_ESYNTAX, 3,
                 "duration_s");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = 60s\n" SHELL, ORB_ESYNTAX, 3,
                 "duration_s");
    expect_error("[scenario]\nstart = yesterday\nduration_s = 60\n" SHELL, ORB_ESYNTAX, 2,
                 "start");
    expect_error("[scenario]\nstart = 2026-06-24\nduration_s = 60\nstep_s = 61\n" SHELL,
                 ORB_ERANGE, 4, "step_s");
    expect_error(HEAD SHELL "[links]\nassignment = random\n", ORB_ESYNTAX, 10, "assignment");
    expect_error(HEAD SHELL "[links]\nisl = ring\n", ORB_ESYNTAX, 10, "isl");
    expect_error(HEAD SHELL "[links]\nisl = nearest:0\n", ORB_ERANGE, 10, "isl");
    expect_error(HEAD SHELL "[links]\nmin_elevation_deg = 90\n", ORB_ERANGE, 10,
                 "min_elevation_deg");
    expect_error(HEAD SHELL "[links]\nepoch_s = 15\nepoch_offset_s = 15\n", ORB_ERANGE, 11,
                 "epoch_offset_s");
    expect_error(HEAD SHELL "[routing]\nmode = carrier-pigeon\n", ORB_ESYNTAX, 10, "mode");
    expect_error(HEAD SHELL "[faults]\njam = 91, 30, 100\n", ORB_ERANGE, 10, "jam");
    expect_error(HEAD SHELL "[faults]\njam = 50, 30\n", ORB_ESYNTAX, 10, "jam");
    expect_error(HEAD SHELL "[faults]\ndead_sats = 12, x\n", ORB_ESYNTAX, 10, "dead_sats");
    expect_error(HEAD SHELL "[output]\ncsv = maybe\n", ORB_ESYNTAX, 10, "csv");
    expect_error(HEAD SHELL "[links]\nepoch_s = 15\nepoch_s = 30\n", ORB_ESYNTAX, 11,
                 "epoch_s");
}

Test(scenario, shell_errors)
{
    expect_error(HEAD "[shell a]\naltitude_km = 550\ninclination_deg = 53\nplanes = 2\n",
                 ORB_ESYNTAX, 4, "sats_per_plane");
    expect_error(HEAD SHELL "phasing = 2\n", ORB_ERANGE, 9, "phasing");
    expect_error(HEAD SHELL SHELL, ORB_ESYNTAX, 9, "section");
    expect_error(HEAD "[shell has space]\n", ORB_ESYNTAX, 4, "section");
    expect_error(HEAD "[shell a]\ninclination_deg = 0\n", ORB_ERANGE, 5, "inclination_deg");
    expect_error(HEAD, ORB_ESYNTAX, 0, "constellation");
}

Test(scenario, missing_files)
{
    expect_error(HEAD "[constellation]\ntle = no_such_file.tle\n", ORB_ENOTFOUND, 5, "tle");
    char text[4096], cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, HEAD "[constellation]\ntle = %s/" DIR "/three_sats.tle\n"
             "[ground]\nterminals = %s/" DIR "/sites.csv, nowhere.csv\n", cwd, cwd);
    expect_error(text, ORB_ENOTFOUND, 7, "terminals");
    snprintf(text, sizeof text, HEAD SHELL "[links]\nisl = file:missing_isls.txt\n");
    expect_error(text, ORB_ENOTFOUND, 10, "isl");
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load("tests/data/scenarios/none.ini", &sc, &err), ORB_EIO);
    cr_assert_null(sc);
}

Test(scenario, path_lists_and_roles)
{
    char text[4096], cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, HEAD "[constellation]\ntle = %s/" DIR "/three_sats.tle,"
             " %s/" DIR "/three_sats.tle\nomm = %s/" DIR "/three_sats.tle\n[ground]\n"
             "terminals = %s/" DIR "/sites.csv\ngateways = %s/" DIR "/sites.csv\n"
             "pops = %s/" DIR "/sites.csv\n", cwd, cwd, cwd, cwd, cwd, cwd);
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(write_ini(text), &sc, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(sc->element_file_count, 3);
    cr_assert_eq(sc->element_files[2].line, 6);
    cr_assert_eq(sc->site_file_count, 3);
    cr_assert_eq(sc->site_files[0].role, ORB_SITE_TERMINAL);
    cr_assert_eq(sc->site_files[1].role, ORB_SITE_GATEWAY);
    cr_assert_eq(sc->site_files[2].role, ORB_SITE_POP);
    orb_scenario_destroy(sc);
    cleanup();
}

/* The example scenarios shipped in scenarios/ load, with their ground. */
Test(scenario, shipped_examples_load)
{
    const char *files[] = {"scenarios/ukraine.ini", "scenarios/walker-550.ini",
                           "scenarios/walker-550-bent-pipe.ini"};
    for (size_t i = 0; i < 3; i++) {
        orb_scenario_t *sc;
        orb_error_t err;
        cr_assert_eq(orb_scenario_load(files[i], &sc, &err), ORB_OK, "%s: %s", files[i],
                     err.message);
        orb_ground_t *g;
        cr_assert_eq(orb_ground_build(sc, &g, &err), ORB_OK, "%s: %s", files[i], err.message);
        cr_assert_eq(g->terminal_count, 30);
        cr_assert_eq(g->gateway_count, 27);
        cr_assert_eq(g->pop_count, 6);
        orb_ground_destroy(g);
        orb_scenario_destroy(sc);
    }
}

Test(scenario, long_line)
{
    char text[600];
    snprintf(text, sizeof text, HEAD SHELL "[output]\ndir = %0300d\n", 0);
    expect_error(text, ORB_ETOOBIG, 10, NULL);
}

/* ---- allocation failures: every failing allocation gives ORB_ENOMEM and
 * leaks nothing (the ASan run checks the leaks) ---- */

Test(scenario, out_of_memory_at_every_allocation)
{
    int ok = 0;
    for (long n = 0; n < 10000 && !ok; n++) {
        fail_alloc_install(n);
        orb_scenario_t *sc = NULL;
        orb_ground_t *g = NULL;
        orb_error_t err;
        int rc = orb_scenario_load(DIR "/full.ini", &sc, &err);
        if (rc == ORB_OK)
            rc = orb_ground_build(sc, &g, &err);
        fail_alloc_remove();
        cr_assert(rc == ORB_OK || rc == ORB_ENOMEM, "budget %ld: rc %d (%s)", n, rc,
                  err.message);
        ok = rc == ORB_OK;
        orb_ground_destroy(g);
        orb_scenario_destroy(sc);
    }
    cr_assert(ok);
}

/* inih reads an indented line after a key as a continuation of that key:
 * an indented "[links]" is then a value, not a section. */
Test(scenario, indented_section_is_a_continuation)
{
    expect_error(HEAD SHELL "  [links]\n", ORB_ESYNTAX, 9, "sats_per_plane");
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load(write_ini("  [scenario]\nstart = 2026-06-24\n"
                                             "duration_s = 60\n" SHELL), &sc, &err), ORB_OK,
                 "%s", err.message);
    orb_scenario_destroy(sc);
    cleanup();
}
