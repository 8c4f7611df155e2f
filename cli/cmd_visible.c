/* cmd_visible.c: `orbnet visible`: the satellites above a site's elevation
 * mask at one instant, with their look angles, highest first. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"

#define HELP_SHOWN 100
#define DEFAULT_MIN_ELEVATION_DEG 25.0 /* Starlink's authorised user-terminal mask */

typedef struct options {
    const char *file;
    cli_site_t site;
    orb_time_t time;
    double min_elevation_deg;
} options_t;

static void usage(FILE *f)
{
    fputs(
"usage: orbnet visible --tle FILE --site LAT,LON[,ALT_M] --time ISO\n"
"                      [--min-elevation DEG]\n"
"\n"
"Lists the satellites of an element-set file that are at or above the\n"
"elevation mask of a ground site at one instant, highest first.\n"
"\n"
"options:\n"
CLI_HELP_TLE
CLI_HELP_SITE
"  --time ISO             instant, ISO 8601 UTC, e.g. 2026-06-24T12:00:00Z\n"
"  --min-elevation DEG    elevation mask in degrees (default 25, the mask\n"
"                         Starlink user terminals are authorised for)\n"
"  -h, --help             show this help\n"
"\n"
"output: CSV with a header row\n"
"  norad_id,name,azimuth_deg,elevation_deg,range_km\n"
"  azimuth from north through east [0, 360), elevation above the geodetic\n"
"  horizon, both in degrees with 4 decimals; slant range in km with 3.\n"
"  Earth rotation uses UT1 = UTC (|UT1-UTC| < 0.9 s moves a satellite by\n"
"  under 0.5 km against the site).  Satellites SGP4 cannot propagate at that\n"
"  time are named on stderr and left out.\n"
"\n"
"example (Kyiv):\n"
"  orbnet visible --tle data/tle/starlink_celestrak_gp_2026-06-24.tle \\\n"
"      --site 50.45,30.5236,180 --time 2026-06-24T12:00:00Z\n"
"\n"
CLI_HELP_EXIT_CODES,
        f);
}

static int parse_option(int c, const char *arg, options_t *o, unsigned *seen)
{
    const char *cmd = "visible";
    switch (c) {
    case 't':
        return cli_set_element_file(cmd, &o->file, arg);
    case 's': *seen |= 1u; return cli_parse_site(cmd, "--site", arg, &o->site);
    case 'T': *seen |= 2u; return cli_parse_time(cmd, "--time", arg, &o->time);
    case 'e': return cli_parse_elevation_deg(cmd, "--min-elevation", arg, &o->min_elevation_deg);
    case 'h': usage(stdout); return HELP_SHOWN;
    default: return EXIT_USAGE;
    }
}

static int parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"tle", required_argument, NULL, 't'},  {"omm", required_argument, NULL, 't'},
        {"site", required_argument, NULL, 's'}, {"time", required_argument, NULL, 'T'},
        {"min-elevation", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    unsigned seen = 0;
    int c, rc;
    memset(o, 0, sizeof *o);
    o->min_elevation_deg = DEFAULT_MIN_ELEVATION_DEG;
    optind = 1;
    while ((c = cli_getopt(argc, argv, ":h", longopts)) != -1)
        if ((rc = parse_option(c, optarg, o, &seen)) != EXIT_OK)
            return rc;
    if ((rc = cli_no_operands("visible", argc, argv)) != EXIT_OK)
        return rc;
    if (!o->file)
        return cli_usage_error("visible", "missing --tle FILE");
    static const char *const names[] = {"--site LAT,LON[,ALT_M]", "--time ISO"};
    return cli_require_options("visible", seen, names, 2);
}

typedef struct seen_sat {
    size_t index;
    double az_deg, el_deg, range_km;
} seen_sat_t;

static int by_elevation_desc(const void *a, const void *b)
{
    const seen_sat_t *x = a, *y = b;
    if (x->el_deg != y->el_deg)
        return x->el_deg < y->el_deg ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Look angles of every propagated satellite at or above the mask into list;
 * returns their count.  Failures are named on stderr. */
static size_t collect(const orb_catalog_t *cat, const orb_states_t *st, const options_t *o,
                      const char *when, seen_sat_t *list)
{
    orb_topo_t site;
    orb_topo_init(&site, o->site.lat_deg * ORB_DEG, o->site.lon_deg * ORB_DEG,
                  o->site.alt_m / 1000.0);
    double gmst_rad = orb_gmst_rad(o->time);
    size_t n = 0;
    for (size_t i = 0; i < cat->count; i++) {
        if (st->status[i] != ORB_OK) {
            char why[160];
            fprintf(stderr, "orbnet: warning: satellite %ld %s cannot be propagated at %s: %s; "
                            "left out\n", cat->sats[i].norad_id, cat->sats[i].name, when,
                    cli_propagation_reason(st->status[i], why, sizeof why));
            continue;
        }
        double r[3] = {st->x_km[i], st->y_km[i], st->z_km[i]}, ecef[3], az, el, range;
        orb_teme_to_ecef_gmst(r, NULL, gmst_rad, ecef, NULL);
        orb_topo_look(&site, ecef, &az, &el, &range);
        if (el / ORB_DEG >= o->min_elevation_deg)
            list[n++] = (seen_sat_t){i, az / ORB_DEG, el / ORB_DEG, range};
    }
    return n;
}

static void write_rows(cli_out_t *out, const orb_catalog_t *cat, const seen_sat_t *list,
                       size_t n)
{
    cli_out_puts(out, "norad_id,name,azimuth_deg,elevation_deg,range_km\n");
    for (size_t j = 0; j < n; j++) {
        const orb_elements_t *el = &cat->sats[list[j].index];
        char name[2 * sizeof el->name + 2];
        cli_csv_field(name, el->name);
        cli_out_printf(out, "%ld,%s,%.4f,%.4f,%.3f\n", el->norad_id, name, list[j].az_deg,
                       list[j].el_deg, list[j].range_km);
    }
}

static int run(const options_t *o, const orb_catalog_t *cat)
{
    orb_sgp4_batch_t *batch = NULL;
    orb_states_t *st = orb_states_create(cat->count);
    seen_sat_t *list = malloc((cat->count ? cat->count : 1) * sizeof *list);
    int rc = EXIT_RUNTIME;
    if (!st || !list || orb_sgp4_batch_create(cat, ORB_WGS72, &batch, NULL) != ORB_OK) {
        cli_fail(EXIT_RUNTIME, "out of memory");
        goto done;
    }
    orb_sgp4_batch_propagate(batch, o->time, 0, cat->count, st);
    char when[40];
    orb_time_format_iso(o->time, 3, when, sizeof when);
    size_t n = collect(cat, st, o, when, list);
    qsort(list, n, sizeof *list, by_elevation_desc);
    cli_out_t out;
    if (cli_out_open(&out, NULL) == EXIT_OK) {
        write_rows(&out, cat, list, n);
        rc = cli_out_close(&out, 1);
    }
done:
    free(list);
    orb_states_destroy(st);
    orb_sgp4_batch_destroy(batch);
    return rc;
}

int cmd_visible(int argc, char **argv)
{
    options_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc != EXIT_OK)
        return rc == HELP_SHOWN ? EXIT_OK : rc;
    orb_catalog_t *cat = NULL;
    rc = cli_load_catalog(o.file, &cat);
    if (rc == EXIT_OK)
        rc = run(&o, cat);
    orb_catalog_destroy(cat);
    return rc;
}
