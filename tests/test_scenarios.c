/* test_scenarios.c: every .ini file in scenarios/ runs with `$ORBNET run` (shortened
 * to one minute), and the scenarios that ask a question answer it: Wola
 * Krobowska down is never used, bent pipe has no laser hop, the Gen1 Walker
 * design has the licensed 4,408 satellites in five shells. */
#include <criterion/criterion.h>
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHORT_S 60 /* seconds simulated instead of the file's duration_s */

/* A copy of scenarios/NAME with `duration_s = SHORT_S`, in a fresh temporary
 * folder laid out like the repository (TMP/scenarios/NAME, TMP/data and
 * TMP/tests linked to the real ones), so that the file's relative paths
 * resolve as they do in place.  Runs it into TMP/out and returns TMP. */
static char *short_run(const char *name)
{
    const char *orbnet = getenv("ORBNET");
    cr_assert_not_null(orbnet, "set ORBNET to the orbnet command (e.g. build/orbnet)");
    char *tmp = strdup("/tmp/orbnet_scen_XXXXXX"), cwd[1024], p[2048], q[2048];
    cr_assert_not_null(mkdtemp(tmp));
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    const char *links[] = {"data", "tests"};
    for (int k = 0; k < 2; k++) {
        snprintf(p, sizeof p, "%s/%s", cwd, links[k]);
        snprintf(q, sizeof q, "%s/%s", tmp, links[k]);
        cr_assert_eq(symlink(p, q), 0);
    }
    snprintf(q, sizeof q, "%s/scenarios", tmp);
    cr_assert_eq(mkdir(q, 0755), 0);
    snprintf(p, sizeof p, "scenarios/%s", name);
    snprintf(q, sizeof q, "%s/scenarios/%s", tmp, name);
    FILE *in = fopen(p, "r"), *out = fopen(q, "w");
    cr_assert(in && out, "cannot copy %s", p);
    char line[512];
    int replaced = 0;
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, "duration_s", 10) == 0 && strchr(" =", line[10])) {
            fprintf(out, "duration_s = %d\n", SHORT_S);
            replaced++;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
    cr_assert_eq(replaced, 1, "%s: expected one duration_s line", p);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run %s -o %s/out --quiet --threads 1 >%s/stdout 2>%s/stderr",
             orbnet, q, tmp, tmp, tmp);
    int st = system(cmd);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "orbnet run %s failed (see %s/stderr)",
              name, tmp);
    return tmp;
}

static void remove_tree(char *tmp)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_expect_eq(system(cmd), 0);
    free(tmp);
}

static json_t *summary_of(const char *tmp)
{
    char p[1100];
    json_error_t je;
    snprintf(p, sizeof p, "%s/out/summary.json", tmp);
    json_t *s = json_load_file(p, 0, &je);
    cr_assert_not_null(s, "%s: %s", p, je.text);
    return s;
}

/* Rows of TMP/out/rtt.csv whose 7th field (gateway) is GW, and rows whose
 * 5th field (hops) is not HOPS (HOPS < 0: not counted); rows without a path
 * are skipped.  Names in these scenarios hold no commas or quotes, except in
 * the last field (path), which is not looked at. */
static void scan_rtt(const char *tmp, const char *gw, long hops, long *gw_rows, long *other_hops,
                     long *rows)
{
    char p[1100], line[4096];
    snprintf(p, sizeof p, "%s/out/rtt.csv", tmp);
    FILE *f = fopen(p, "r");
    cr_assert_not_null(f, "%s", p);
    *gw_rows = *other_hops = *rows = 0;
    cr_assert_not_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char *field[8] = {0}, *s = line;
        for (int k = 0; k < 8 && s; k++) {
            field[k] = s;
            s = k < 7 ? strchr(s, ',') : NULL;
            if (s)
                *s++ = 0;
        }
        cr_assert_not_null(field[7], "short row in %s", p);
        if (field[3][0] == 0)
            continue;
        (*rows)++;
        if (strcmp(field[6], gw) == 0)
            (*gw_rows)++;
        if (hops >= 0 && strtol(field[4], NULL, 10) != hops)
            (*other_hops)++;
    }
    fclose(f);
}

Test(scenarios, every_file_runs_shortened)
{
    glob_t g;
    cr_assert_eq(glob("scenarios/*.ini", 0, NULL, &g), 0, "run from the repository root");
    cr_assert_geq(g.gl_pathc, 7, "expected at least the 7 scenarios of the README");
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *name = strrchr(g.gl_pathv[i], '/') + 1;
        char *tmp = short_run(name);
        json_t *s = summary_of(tmp);
        json_t *run = json_object_get(s, "run"), *terms = json_object_get(s, "terminals");
        double step = json_real_value(json_object_get(run, "step_s"));
        cr_assert_gt(step, 0, "%s", name);
        cr_expect_eq(json_integer_value(json_object_get(run, "steps")), (json_int_t)(SHORT_S / step) + 1,
                     "%s", name);
        cr_expect_gt(json_integer_value(json_object_get(run, "satellites")), 1000, "%s", name);
        cr_assert_gt(json_array_size(terms), 0, "%s", name);
        size_t k;
        json_t *t;
        json_array_foreach(terms, k, t) {
            double a = json_real_value(json_object_get(t, "availability"));
            cr_expect(a >= 0 && a <= 1, "%s: availability %g", name, a);
        }
        char p[1100];
        const char *files[] = {"rtt.csv", "handovers.csv", "report.html"};
        for (int f = 0; f < 3; f++) {
            snprintf(p, sizeof p, "%s/out/%s", tmp, files[f]);
            cr_expect_eq(access(p, R_OK), 0, "%s: no %s", name, files[f]);
        }
        json_decref(s);
        remove_tree(tmp);
    }
    globfree(&g);
}

/* The first minute of ukraine.ini lands traffic at Wola Krobowska (1,542 of
 * its 1,798 rows with a path); with that gateway down no row may. */
Test(scenarios, wola_down_is_never_used)
{
    long gw, other, rows;
    char *tmp = short_run("ukraine.ini");
    scan_rtt(tmp, "Wola Krobowska", -1, &gw, &other, &rows);
    cr_expect_gt(gw, 0, "ukraine.ini should use Wola Krobowska in its first minute");
    remove_tree(tmp);
    tmp = short_run("ukraine-wola-down.ini");
    scan_rtt(tmp, "Wola Krobowska", -1, &gw, &other, &rows);
    cr_expect_gt(rows, 0);
    cr_expect_eq(gw, 0, "%ld rows through a gateway that is down", gw);
    remove_tree(tmp);
}

/* Bent pipe: terminal -> satellite -> gateway -> PoP, three hops, always. */
Test(scenarios, bent_pipe_has_no_laser_hop)
{
    long gw, other, rows;
    char *tmp = short_run("ukraine-bent-pipe.ini");
    scan_rtt(tmp, "", 3, &gw, &other, &rows);
    cr_expect_gt(rows, 1000);
    cr_expect_eq(other, 0, "%ld of %ld rows have other than 3 hops", other, rows);
    json_t *s = summary_of(tmp);
    json_t *run = json_object_get(s, "run");
    cr_expect_str_eq(json_string_value(json_object_get(run, "routing")), "bent-pipe");
    cr_expect_str_eq(json_string_value(json_object_get(run, "isl")), "none");
    json_decref(s);
    remove_tree(tmp);
}

/* The Gen1 design of the FCC order of 27 April 2021 (Bassa et al. 2022,
 * Table 1): 1584 + 1584 + 720 + 348 + 172 = 4408 satellites. */
Test(scenarios, gen1_walker_has_the_licensed_shells)
{
    static const long sats[5] = {1584, 1584, 720, 348, 172};
    static const double alt_km[5] = {550, 540, 570, 560, 560};
    char *tmp = short_run("gen1-walker.ini");
    json_t *s = summary_of(tmp), *shells = json_object_get(s, "shells");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(s, "run"), "satellites")), 4408);
    cr_assert_eq(json_array_size(shells), 5);
    for (size_t k = 0; k < 5; k++) {
        json_t *sh = json_array_get(shells, k);
        cr_expect_eq(json_integer_value(json_object_get(sh, "satellites")), sats[k], "shell %zu", k);
        /* Walker shells fly at their altitude_km as a mean under SGP4
         * (docs/scenario.md); 0.5 km covers how the summary averages it */
        double a = json_real_value(json_object_get(sh, "altitude_km"));
        cr_expect(a > alt_km[k] - 0.5 && a < alt_km[k] + 0.5, "shell %zu at %g km", k, a);
    }
    json_decref(s);
    remove_tree(tmp);
}

/* The 2024-11-27 snapshot: 6,693 element sets less the 297 direct-to-cell
 * ones (name_exclude = *DTC*), Gen1 shells at 540-550 km. */
Test(scenarios, snapshot_2024_has_gen1_altitudes)
{
    char *tmp = short_run("ukraine-2024.ini");
    json_t *s = summary_of(tmp), *run = json_object_get(s, "run");
    cr_assert_eq(json_integer_value(json_object_get(run, "satellites")), 6693 - 297);
    cr_expect_str_eq(json_string_value(json_object_get(run, "start_utc")), "2024-11-27T00:00:00Z");
    size_t k, big53 = 0;
    json_t *sh;
    json_array_foreach(json_object_get(s, "shells"), k, sh) {
        double inc = json_real_value(json_object_get(sh, "inclination_deg"));
        double alt = json_real_value(json_object_get(sh, "altitude_km"));
        if (inc > 52.5 && inc < 53.5 && alt > 535 && alt < 555)
            big53 += (size_t)json_integer_value(json_object_get(sh, "satellites"));
    }
    /* shell_census_2024-11-27.csv: 1455 + 1006 satellites at 53 deg in the
     * 540 and 550 km bins; inferred shells leave out a few stragglers */
    cr_expect_gt(big53, 2000, "%zu satellites in 53 deg shells at 535-555 km", big53);
    json_decref(s);
    remove_tree(tmp);
}
