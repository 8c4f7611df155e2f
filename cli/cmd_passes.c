/* cmd_passes.c: `orbnet passes`: rise (AOS), culmination (TCA) and set (LOS)
 * of every pass of the satellites of an element-set file over a site, found
 * by the passes module's root finding, as CSV ordered by AOS. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/passes.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"

#define HELP_SHOWN 100
#define DEFAULT_MIN_ELEVATION_DEG 25.0 /* as `orbnet visible` */

typedef struct options {
    const char *file;
    cli_site_t site;
    orb_time_t start;
    double duration_s;
    double min_elevation_deg;
    long *sat_ids;
    size_t n_sat_ids;
    const char *out_path;
} options_t;

static void usage(FILE *f)
{
    fputs(
"usage: orbnet passes --tle FILE --site LAT,LON[,ALT_M] --start ISO --duration S\n"
"                     [--min-elevation DEG] [--sat LIST] [-o FILE]\n"
"\n"
"Finds every pass of the satellites of an element-set file over a ground site\n"
"during [start, start+duration]: when each rises above the elevation mask\n"
"(AOS), culminates (TCA) and sets (LOS).  Elevation is sampled every 60 s and\n"
"each event is refined by root finding to 1 ms, so short passes are not lost.\n"
"\n"
"options:\n"
CLI_HELP_TLE
CLI_HELP_SITE
"  --start ISO            window start, ISO 8601 UTC, e.g. 2026-06-24T00:00:00Z\n"
"  --duration S           window length in seconds (> 0, at most 31 days)\n"
"  --min-elevation DEG    elevation mask in degrees (default 25, as visible)\n"
"  --sat LIST             only these catalogue numbers, comma-separated; for a\n"
"                         whole 10k catalogue a day takes some seconds\n"
"  -o, --output FILE      write to FILE (atomically) instead of standard output\n"
"  -h, --help             show this help\n"
"\n"
"output: CSV with a header row, ordered by AOS\n"
"  norad_id,name,aos_utc,tca_utc,los_utc,max_elevation_deg\n"
"  times rounded to the second; maximum elevation in degrees with 4 decimals.\n"
"  A pass already under way at the window start has aos_utc = start, one still\n"
"  under way at its end has los_utc = start + duration.  Earth rotation uses\n"
"  UT1 = UTC (pass times off by under ~0.1 s).  A satellite SGP4 cannot\n"
"  propagate within the window (decayed, ...) is named on stderr and left out.\n"
"  Progress is shown on stderr when it is a terminal.  Satellites are searched\n"
"  on all cores (OMP_NUM_THREADS=N to limit them); the output does not depend\n"
"  on how many.\n"
"\n"
"example (one satellite over Kyiv for a day):\n"
"  orbnet passes --tle data/tle/starlink_celestrak_gp_2026-06-24.tle \\\n"
"      --site 50.45,30.5236,180 --start 2026-06-24T00:00:00Z --duration 86400 \\\n"
"      --sat 44714\n"
"\n"
CLI_HELP_EXIT_CODES,
        f);
}

static int parse_option(int c, const char *arg, options_t *o, unsigned *seen)
{
    const char *cmd = "passes";
    switch (c) {
    case 't':
        return cli_set_element_file(cmd, &o->file, arg);
    case 's': *seen |= 1u; return cli_parse_site(cmd, "--site", arg, &o->site);
    case 'S': *seen |= 2u; return cli_parse_time(cmd, "--start", arg, &o->start);
    case 'd':
        *seen |= 4u;
        if (cli_parse_positive(cmd, "--duration", arg, &o->duration_s) != EXIT_OK)
            return EXIT_USAGE;
        if (o->duration_s > ORB_PASSES_MAX_DURATION_S)
            return cli_usage_error(cmd, "--duration: at most %.0f s (31 days), got '%s'",
                                   ORB_PASSES_MAX_DURATION_S, arg);
        return EXIT_OK;
    case 'e': return cli_parse_elevation_deg(cmd, "--min-elevation", arg, &o->min_elevation_deg);
    case 'n':
        free(o->sat_ids);
        return cli_parse_id_list(cmd, "--sat", arg, &o->sat_ids, &o->n_sat_ids);
    case 'o': o->out_path = arg; return EXIT_OK;
    case 'h': usage(stdout); return HELP_SHOWN;
    default: return EXIT_USAGE;
    }
}

static int parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"tle", required_argument, NULL, 't'},      {"omm", required_argument, NULL, 't'},
        {"site", required_argument, NULL, 's'},     {"start", required_argument, NULL, 'S'},
        {"duration", required_argument, NULL, 'd'},
        {"min-elevation", required_argument, NULL, 'e'},
        {"sat", required_argument, NULL, 'n'},      {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    unsigned seen = 0;
    int c, rc;
    memset(o, 0, sizeof *o);
    o->min_elevation_deg = DEFAULT_MIN_ELEVATION_DEG;
    optind = 1;
    while ((c = cli_getopt(argc, argv, ":o:h", longopts)) != -1)
        if ((rc = parse_option(c, optarg, o, &seen)) != EXIT_OK)
            return rc;
    if ((rc = cli_no_operands("passes", argc, argv)) != EXIT_OK)
        return rc;
    if (!o->file)
        return cli_usage_error("passes", "missing --tle FILE");
    static const char *const names[] = {"--site LAT,LON[,ALT_M]", "--start ISO", "--duration S"};
    return cli_require_options("passes", seen, names, 3);
}

/* A pass and the catalogue index of its satellite. */
typedef struct found {
    orb_pass_t pass;
    size_t sat;
} found_t;

typedef struct found_list {
    found_t *v;
    size_t n, cap;
} found_list_t;

static int found_add(found_list_t *l, const orb_pass_t *p, size_t count, size_t sat)
{
    if (l->n + count > l->cap) {
        size_t cap = (l->n + count) * 2 + 64;
        found_t *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return EXIT_RUNTIME;
        l->v = v;
        l->cap = cap;
    }
    for (size_t i = 0; i < count; i++)
        l->v[l->n++] = (found_t){p[i], sat};
    return EXIT_OK;
}

static int by_aos(const void *a, const void *b)
{
    const found_t *x = a, *y = b;
    double d = orb_time_diff_s(x->pass.aos, y->pass.aos);
    if (d != 0.0)
        return d < 0.0 ? -1 : 1;
    return x->sat < y->sat ? -1 : x->sat > y->sat;
}

static void warn_skipped(const orb_elements_t *el, const char *why)
{
    fprintf(stderr, "orbnet: warning: satellite %ld%s%s left out: %s\n", el->norad_id,
            el->name[0] ? " " : "", el->name, why);
}

/* One satellite's search, done on any thread. */
typedef struct sat_result {
    orb_pass_t *passes;
    size_t count;
    int status;      /* ORB_OK, ORB_ENOMEM, or why SGP4 failed */
    char why[300];   /* for a failure: the reason, with the instant */
} sat_result_t;

static void passes_of(const options_t *o, const orb_elements_t *el, const orb_topo_t *site,
                      sat_result_t *res)
{
    orb_sgp4_t *sat = NULL;
    memset(res, 0, sizeof *res);
    res->status = orb_sgp4_create(el, ORB_WGS72, &sat);
    if (res->status != ORB_OK) {
        cli_propagation_reason(res->status, res->why, sizeof res->why);
        return;
    }
    orb_error_t err;
    orb_error_clear(&err);
    res->status = orb_passes_find(sat, site, o->start, o->duration_s,
                                  o->min_elevation_deg * ORB_DEG, 0.0, &res->passes,
                                  &res->count, &err);
    orb_sgp4_destroy(sat);
    if (res->status != ORB_OK)
        orb_error_format(&err, res->why, sizeof res->why);
}

/* Satellites searched in parallel per chunk; the results are then taken
 * in file order, so output and warnings do not depend on threads. */
#define CHUNK 256

static int take_result(const orb_elements_t *el, size_t i, sat_result_t *res,
                       found_list_t *list)
{
    int rc = EXIT_OK;
    if (res->status == ORB_ENOMEM)
        rc = cli_fail(EXIT_RUNTIME, "out of memory");
    else if (res->status != ORB_OK)
        warn_skipped(el, res->why);
    else if (found_add(list, res->passes, res->count, i) != EXIT_OK)
        rc = cli_fail(EXIT_RUNTIME, "out of memory");
    orb_passes_free(res->passes);
    res->passes = NULL;
    return rc;
}

static int find_all(const options_t *o, const orb_catalog_t *cat, found_list_t *list)
{
    orb_topo_t site;
    orb_topo_init(&site, o->site.lat_deg * ORB_DEG, o->site.lon_deg * ORB_DEG,
                  o->site.alt_m / 1000.0);
    sat_result_t *res = calloc(CHUNK, sizeof *res);
    if (!res)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    cli_progress_t prog;
    cli_progress_start(&prog, "finding passes", (double)cat->count);
    int rc = EXIT_OK;
    for (size_t i0 = 0; i0 < cat->count && rc == EXIT_OK; i0 += CHUNK) {
        int m = (int)(cat->count - i0 < CHUNK ? cat->count - i0 : CHUNK);
#pragma omp parallel for schedule(dynamic, 4)
        for (int j = 0; j < m; j++)
            passes_of(o, &cat->sats[i0 + (size_t)j], &site, &res[j]);
        for (int j = 0; j < m; j++) /* frees every result, even after a failure */
            if (take_result(&cat->sats[i0 + (size_t)j], i0 + (size_t)j, &res[j], list)
                != EXIT_OK)
                rc = EXIT_RUNTIME;
        cli_progress_update(&prog, (double)(i0 + (size_t)m));
    }
    cli_progress_end(&prog);
    free(res);
    return rc;
}

static void write_rows(cli_out_t *out, const orb_catalog_t *cat, const found_list_t *list)
{
    cli_out_puts(out, "norad_id,name,aos_utc,tca_utc,los_utc,max_elevation_deg\n");
    for (size_t i = 0; i < list->n; i++) {
        const orb_pass_t *p = &list->v[i].pass;
        const orb_elements_t *el = &cat->sats[list->v[i].sat];
        char name[2 * sizeof el->name + 2], aos[40], tca[40], los[40];
        cli_csv_field(name, el->name);
        cli_out_printf(out, "%ld,%s,%s,%s,%s,%.4f\n", el->norad_id, name,
                       orb_time_format_iso(p->aos, 0, aos, sizeof aos),
                       orb_time_format_iso(p->tca, 0, tca, sizeof tca),
                       orb_time_format_iso(p->los, 0, los, sizeof los),
                       p->max_elevation_rad / ORB_DEG);
    }
}

static int run(const options_t *o, const orb_catalog_t *cat)
{
    found_list_t list = {NULL, 0, 0};
    int rc = find_all(o, cat, &list);
    if (rc == EXIT_OK) {
        qsort(list.v, list.n, sizeof *list.v, by_aos);
        cli_out_t out;
        rc = cli_out_open(&out, o->out_path);
        if (rc == EXIT_OK) {
            write_rows(&out, cat, &list);
            rc = cli_out_close(&out, 1);
        }
    }
    free(list.v);
    return rc;
}

int cmd_passes(int argc, char **argv)
{
    options_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc == EXIT_OK) {
        orb_catalog_t *cat = NULL;
        rc = cli_load_selection("passes", o.file, o.sat_ids, o.n_sat_ids, &cat);
        if (rc == EXIT_OK)
            rc = run(&o, cat);
        orb_catalog_destroy(cat);
    }
    free(o.sat_ids);
    return rc == HELP_SHOWN ? EXIT_OK : rc;
}
