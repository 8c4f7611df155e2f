/* test_ground.c: site CSV files (quoting, roles, defaults, errors with file,
 * line and field), PoP resolution, great-circle and fibre delays, faults. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbnet/ground.h"
#include "orbnet/scenario.h"

#define DEG (M_PI / 180.0)

static char tmpname[64];

static const char *write_csv(const char *text)
{
    snprintf(tmpname, sizeof tmpname, "/tmp/orbnet_ground_XXXXXX");
    int fd = mkstemp(tmpname);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return tmpname;
}

/* Loading text fails with code at line and field; the ground segment keeps
 * the one site it had before. */
static void expect_error(const char *text, orb_site_role_t role, int code, long line,
                         const char *field)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    cr_assert_eq(orb_ground_add(g, "Before", 0.1, 0.2, 0, ORB_SITE_POP, 0, NULL, "x", 1,
                                &err), ORB_OK);
    int rc = orb_ground_load_csv(g, write_csv(text), role, 8, &err);
    char msg[1200];
    orb_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, code, "rc %d, want %d: %s", rc, code, msg);
    cr_assert_eq(err.line, line, "%s", msg);
    cr_assert_str_eq(err.file, tmpname);
    if (field)
        cr_assert_str_eq(err.field, field, "%s", msg);
    cr_assert_eq(g->count, 1);
    unlink(tmpname);
    orb_ground_destroy(g);
}

Test(ground, fixture_with_quotes_roles_and_pops)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    cr_assert_eq(orb_ground_load_csv(g, "tests/data/scenarios/sites.csv", ORB_SITE_FROM_FILE,
                                     8, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(g->count, 6);
    cr_assert_str_eq(g->name[0], "Kyiv");
    cr_assert_float_eq(g->lat_rad[0], 50.45 * DEG, 1e-15);
    cr_assert_float_eq(g->lon_rad[0], 30.5236 * DEG, 1e-15);
    cr_assert_float_eq(g->alt_km[0], 0.179, 1e-15);
    cr_assert_eq(g->role[0], ORB_SITE_TERMINAL);
    cr_assert_eq(g->role[2], ORB_SITE_GATEWAY);
    cr_assert_eq(g->role[5], ORB_SITE_POP);
    cr_assert_eq(g->antennas[0], 1);
    cr_assert_eq(g->antennas[2], 8);
    cr_assert_eq(g->antennas[4], 0);
    cr_assert_eq(g->source_line[3], 5);
    cr_assert_eq(orb_ground_resolve(g, "Frankfurt PoP", &err), ORB_OK, "%s", err.message);
    cr_assert_eq(g->pop[0], 4); /* its own column: Warsaw PoP */
    cr_assert_eq(g->pop[1], 5); /* the default */
    cr_assert_eq(g->terminal_count, 2);
    cr_assert_eq(g->gateway_count, 2);
    cr_assert_eq(g->pop_count, 2);
    cr_assert_eq(g->gateways[1], 3);
    cr_assert_eq(orb_ground_resolve(g, "", &err), ORB_OK);
    cr_assert_eq(g->pop[1], -1); /* lowest latency, chosen by routing */
    cr_assert_eq(orb_ground_resolve(g, "Kyiv", &err), ORB_ENOTFOUND); /* not a PoP */
    /* Earth-fixed position of Kyiv: WGS-84 by hand,
       N = a / sqrt(1 - e2 sin^2 lat); x = (N + h) cos lat cos lon */
    double a = 6378.137, f = 1 / 298.257223563, e2 = f * (2 - f);
    double sl = sin(50.45 * DEG), N = a / sqrt(1 - e2 * sl * sl);
    cr_assert_float_eq(g->topo[0].r_ecef_km[0],
                       (N + 0.179) * cos(50.45 * DEG) * cos(30.5236 * DEG), 1e-9);
    cr_assert_float_eq(g->topo[0].r_ecef_km[2], (N * (1 - e2) + 0.179) * sl, 1e-9);
    cr_assert_eq(orb_ground_find(g, "Kaunas"), 3);
    cr_assert_eq(orb_ground_find(g, "Paris"), -1);
    orb_ground_destroy(g);
}

Test(ground, project_files)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    cr_assert_eq(orb_ground_load_csv(g, "data/cities/ukraine_cities_top30.csv",
                                     ORB_SITE_TERMINAL, 8, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(g->count, 30);
    cr_assert_str_eq(g->name[1], "Kharkiv");
    cr_assert_float_eq(g->lat_rad[1], 50.0 * DEG, 1e-15);
    cr_assert_eq(orb_ground_load_csv(g, "data/ground/starlink_ground_europe.csv",
                                     ORB_SITE_GATEWAY, 8, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(orb_ground_resolve(g, NULL, &err), ORB_OK);
    cr_assert_eq(g->terminal_count, 30);
    cr_assert_eq(g->gateway_count, 27); /* the file's kind column overrides the default */
    cr_assert_eq(g->pop_count, 6);
    cr_assert_eq(g->antennas[orb_ground_find(g, "Wherstead")], 32);
    cr_assert_eq(g->antennas[orb_ground_find(g, "Tromsø")], 2);
    cr_assert_eq(g->antennas[orb_ground_find(g, "Bristol")], 8); /* empty -> default */
    orb_ground_destroy(g);
}

Test(ground, great_circle_and_fibre)
{
    double R = 6371.0088;
    /* a quarter meridian and the antipode: pi R / 2 and pi R */
    cr_assert_float_eq(orb_great_circle_km(0, 0, M_PI / 2, 0), M_PI * R / 2, 1e-9);
    cr_assert_float_eq(orb_great_circle_km(0, 0, 0, M_PI / 2), M_PI * R / 2, 1e-9);
    cr_assert_float_eq(orb_great_circle_km(0.3, 0.1, -0.3, 0.1 - M_PI), M_PI * R, 1e-6);
    cr_assert_eq(orb_great_circle_km(0.5, 0.5, 0.5, 0.5), 0.0);
    /* 60 deg of longitude along the 60 deg parallel: cos c = sin^2 60 + cos^2 60 cos 60
       = 0.75 + 0.125 = 0.875 */
    cr_assert_float_eq(orb_great_circle_km(M_PI / 3, 0, M_PI / 3, M_PI / 3),
                       R * acos(0.875), 1e-9);
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    cr_assert_eq(orb_ground_add(g, "A", 0, 0, 0, ORB_SITE_GATEWAY, 8, NULL, NULL, 0, &err), 0);
    cr_assert_eq(orb_ground_add(g, "B", 0, DEG, 0, ORB_SITE_POP, 0, NULL, NULL, 0, &err), 0);
    /* 1 deg of equator = 111.19508 km; x 1.5 / (2/3 x 299792.458 km/s) = 0.8345404 ms */
    cr_assert_float_eq(orb_ground_fiber_ms(g, 0, 1, 1.5),
                       1000 * R * DEG * 1.5 / (299792.458 * 2 / 3), 1e-12);
    cr_assert_float_eq(orb_ground_fiber_ms(g, 0, 1, 1.5), 0.8345404424, 1e-9);
    orb_ground_destroy(g);
}

Test(ground, bad_rows)
{
    const char *H = "name,lat,lon,role\n";
    char t[512];
    snprintf(t, sizeof t, "%sA,50,30,terminal\nB,91,30,terminal\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ERANGE, 3, "lat");
    snprintf(t, sizeof t, "%sA,50,-180.5,terminal\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ERANGE, 2, "lon");
    snprintf(t, sizeof t, "%sA,nan,30,terminal\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ERANGE, 2, "lat");
    snprintf(t, sizeof t, "%sA,fifty,30,terminal\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ESYNTAX, 2, "lat");
    snprintf(t, sizeof t, "%sA,50,30,satellite\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ESYNTAX, 2, "role");
    snprintf(t, sizeof t, "%sA,50,30,terminal\n\nA,51,31,gateway\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ESYNTAX, 4, "name");
    snprintf(t, sizeof t, "%s\"A, the first,50,30,terminal\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ESYNTAX, 2, NULL);
    snprintf(t, sizeof t, "%sA,50\n", H);
    expect_error(t, ORB_SITE_FROM_FILE, ORB_ESYNTAX, 2, NULL);
    expect_error("name,lat,lon\nA,50,30\n", ORB_SITE_FROM_FILE, ORB_ESYNTAX, 1, "role");
    expect_error("name,lon\nA,30\n", ORB_SITE_TERMINAL, ORB_ESYNTAX, 1, "lat");
    expect_error("name,lat,lon,alt_m\nA,50,30,12000\n", ORB_SITE_TERMINAL, ORB_ERANGE, 2,
                 "alt_m");
    expect_error("name,lat,lon,antennas\nA,50,30,0\n", ORB_SITE_GATEWAY, ORB_ERANGE, 2,
                 "antennas");
    expect_error("\n\n", ORB_SITE_TERMINAL, ORB_EEMPTY, 0, NULL);
}

Test(ground, duplicate_names_name_both_places)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    const char *p = write_csv("name,lat,lon\nKyiv,50.45,30.52\n");
    cr_assert_eq(orb_ground_load_csv(g, "tests/data/scenarios/sites.csv", ORB_SITE_FROM_FILE,
                                     8, &err), ORB_OK);
    cr_assert_eq(orb_ground_load_csv(g, p, ORB_SITE_TERMINAL, 8, &err), ORB_ESYNTAX);
    cr_assert_eq(err.line, 2);
    cr_assert_not_null(strstr(err.message, "tests/data/scenarios/sites.csv:2"), "%s",
                       err.message);
    unlink(tmpname);
    orb_ground_destroy(g);
}

Test(ground, quoted_fields)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    const char *p = write_csv("\xEF\xBB\xBFName,Lat,Lon,Kind,note\r\n"
                              "\"Site, \"\"quoted\"\"\", 10.5 , -20.25 ,gateway,\"a,b\"\r\n"
                              " Plain ,0,0,pop,x\r\n");
    cr_assert_eq(orb_ground_load_csv(g, p, ORB_SITE_FROM_FILE, 3, &err), ORB_OK, "%s",
                 err.message);
    cr_assert_str_eq(g->name[0], "Site, \"quoted\"");
    cr_assert_str_eq(g->name[1], "Plain");
    cr_assert_float_eq(g->lon_rad[0], -20.25 * DEG, 1e-15);
    cr_assert_eq(g->antennas[0], 3);
    cr_assert_eq(g->role[1], ORB_SITE_POP);
    unlink(tmpname);
    orb_ground_destroy(g);
}

Test(ground, unknown_pop_names_the_terminal_line)
{
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    const char *p = write_csv("name,lat,lon,role,pop\nP,52,21,pop,\nT,50,30,terminal,Q\n");
    cr_assert_eq(orb_ground_load_csv(g, p, ORB_SITE_FROM_FILE, 8, &err), ORB_OK);
    cr_assert_eq(orb_ground_resolve(g, "", &err), ORB_ENOTFOUND);
    cr_assert_eq(err.line, 3);
    cr_assert_str_eq(err.field, "pop");
    unlink(tmpname);
    orb_ground_destroy(g);
}

Test(ground, build_from_scenario_and_faults)
{
    orb_scenario_t *sc;
    orb_error_t err;
    cr_assert_eq(orb_scenario_load("tests/data/scenarios/full.ini", &sc, &err), ORB_OK);
    orb_ground_t *g;
    cr_assert_eq(orb_ground_build(sc, &g, &err), ORB_OK, "%s", err.message);
    cr_assert_eq(g->count, 6);
    cr_assert_eq(g->antennas[2], 6); /* gateway_antennas = 6 */
    cr_assert_eq(g->pop[1], 5);      /* pop = Frankfurt PoP */
    unsigned char down[6];
    /* gateways_down = Wola Krobowska; jam 150 km around (50.0, 36.2): Kharkiv
       area, 407 km from Kyiv, so nothing else; (48.0, 37.8): nothing */
    cr_assert_eq(orb_ground_fault_mask(g, sc, down, &err), ORB_OK);
    unsigned char want[6] = {0, 0, 1, 0, 0, 0};
    cr_assert_arr_eq(down, want, 6);
    /* a jam zone of 470 km around Kyiv reaches Lviv (Kyiv-Lviv 467.4 km by
       great circle, python haversine) but not the gateways (667 km and more)
       nor the PoPs, which have no radio */
    sc->jam_zones[0] = (orb_jam_zone_t){50.45 * DEG, 30.5236 * DEG, 470.0, 1};
    cr_assert_eq(orb_ground_fault_mask(g, sc, down, &err), ORB_OK);
    unsigned char want2[6] = {1, 1, 1, 0, 0, 0}; /* gateway: gateways_down */
    cr_assert_arr_eq(down, want2, 6);
    orb_ground_destroy(g);
    /* a name that is not a gateway */
    orb_ground_build(sc, &g, &err);
    snprintf(sc->gateways_down[0], 5, "Kyiv");
    cr_assert_eq(orb_ground_fault_mask(g, sc, down, &err), ORB_ENOTFOUND);
    cr_assert_eq(err.line, 60);
    orb_ground_destroy(g);
    orb_scenario_destroy(sc);
}
