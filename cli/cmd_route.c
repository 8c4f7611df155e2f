/* cmd_route.c: `orbnet route`: the path between two sites of a scenario at
 * one instant, hop by hop, as text or one JSON object. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "orbnet/scenario.h"
#include "orbnet/sim.h"

#define HELP_SHOWN 100

typedef struct options {
    const char *scenario, *from, *to;
    orb_time_t time;
    int have_time;
    int json;
} options_t;

static void usage(FILE *f)
{
    fputs(
"usage: orbnet route SCENARIO.ini --from SITE --to SITE --time ISO\n"
"                    [--format text|json]\n"
"\n"
"The lowest-latency path between two sites of the scenario at one instant,\n"
"with the scenario's rules: a terminal enters through the satellite its\n"
"assignment policy picks at that instant (policy any: any satellite it\n"
"sees), a gateway through the satellites its antennas hold, a PoP through\n"
"a gateway and the fibre to it; laser links between satellites (mode\n"
"laser) or one satellite seeing both ends (bent-pipe).  Ground sites never\n"
"relay traffic between satellites.\n"
"\n"
"options:\n"
"  --from SITE        source site name (as in the scenario's site files)\n"
"  --to SITE          destination site name\n"
"  --time ISO         instant, ISO 8601 UTC, e.g. 2026-06-24T12:00:00Z\n"
"  --format FMT       text (default) or json\n"
"  -h, --help         show this help\n"
"\n"
"output (text): one line per node with the link that leaves it, then the\n"
"round-trip time (twice the one-way delay).  JSON: one object with from,\n"
"to, time_utc, rtt_ms and hops (both null when unreachable) and path: [{name,\n"
"kind (terminal|satellite|gateway|pop), lat_deg, lon_deg, alt_km,\n"
"length_km, delay_ms}], the last two for the link leaving the node (0 on\n"
"the last).  An unreachable destination is not an error (exit 0).\n"
"\n"
"example:\n"
"  orbnet route scenarios/ukraine.ini --from Kyiv --to \"Warsaw PoP\" \\\n"
"      --time 2026-06-24T12:00:00Z --format json\n"
"\n"
CLI_HELP_EXIT_CODES,
        f);
}

static int parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"time", required_argument, NULL, 'T'}, {"format", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    int c, rc;
    memset(o, 0, sizeof *o);
    optind = 1;
    while ((c = cli_getopt(argc, argv, ":h", longopts)) != -1) {
        switch (c) {
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'T':
            if ((rc = cli_parse_time("route", "--time", optarg, &o->time)) != EXIT_OK)
                return rc;
            o->have_time = 1;
            break;
        case 'F':
            if (strcmp(optarg, "json") && strcmp(optarg, "text"))
                return cli_usage_error("route", "--format: expected text or json, got '%s'", optarg);
            o->json = !strcmp(optarg, "json");
            break;
        case 'h': usage(stdout); return HELP_SHOWN;
        default: return EXIT_USAGE;
        }
    }
    if ((rc = cli_scenario_operand("route", argc, argv, &o->scenario)) != EXIT_OK)
        return rc;
    if (!o->from)
        return cli_usage_error("route", "missing --from SITE");
    if (!o->to)
        return cli_usage_error("route", "missing --to SITE");
    if (!o->have_time)
        return cli_usage_error("route", "missing --time ISO");
    return EXIT_OK;
}

static void print_text(const options_t *o, const char *when, const orb_route_result_t *r)
{
    printf("route %s -> %s at %s\n", o->from, o->to, when);
    if (r->node_count == 0) {
        printf("no path\n");
        return;
    }
    printf("%-4s %-10s %-28s %9s %10s %8s %10s %9s\n", "#", "kind", "name", "lat_deg",
           "lon_deg", "alt_km", "link_km", "delay_ms");
    for (size_t i = 0; i < r->node_count; i++) {
        const orb_route_hop_t *h = &r->nodes[i];
        printf("%-4zu %-10s %-28.28s %9.4f %10.4f %8.1f", i, orb_node_kind_name(h->kind),
               h->name, h->lat_deg, h->lon_deg, h->alt_km);
        if (i + 1 < r->node_count)
            printf(" %10.3f %9.4f\n", h->length_km, h->delay_ms);
        else
            printf("\n");
    }
    printf("hops %zu, one-way %.4f ms, rtt %.4f ms\n", r->hop_count, r->rtt_ms / 2, r->rtt_ms);
}

static int print_json(const options_t *o, const char *when, const orb_route_result_t *r)
{
    json_t *root = json_object(), *path = json_array();
    json_object_set_new(root, "from", json_string(o->from));
    json_object_set_new(root, "to", json_string(o->to));
    json_object_set_new(root, "time_utc", json_string(when));
    json_object_set_new(root, "rtt_ms", r->node_count ? json_real(r->rtt_ms) : json_null());
    json_object_set_new(root, "hops", r->node_count ? json_integer((json_int_t)r->hop_count)
                                                    : json_null());
    for (size_t i = 0; i < r->node_count; i++) {
        const orb_route_hop_t *h = &r->nodes[i];
        json_t *n = json_object();
        json_object_set_new(n, "name", json_string(h->name));
        json_object_set_new(n, "kind", json_string(orb_node_kind_name(h->kind)));
        json_object_set_new(n, "lat_deg", json_real(h->lat_deg));
        json_object_set_new(n, "lon_deg", json_real(h->lon_deg));
        json_object_set_new(n, "alt_km", json_real(h->alt_km));
        json_object_set_new(n, "length_km", json_real(h->length_km));
        json_object_set_new(n, "delay_ms", json_real(h->delay_ms));
        json_array_append_new(path, n);
    }
    json_object_set_new(root, "path", path);
    int bad = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                           JSON_REAL_PRECISION(12));
    json_decref(root);
    if (bad || putchar('\n') == EOF)
        return cli_fail(EXIT_RUNTIME, "cannot write the route");
    return EXIT_OK;
}

static int route(const options_t *o, orb_scenario_t *sc)
{
    orb_error_t err;
    orb_error_clear(&err);
    orb_sim_t *sim = NULL;
    int rc = orb_sim_create(sc, &sim, &err);
    if (rc)
        return cli_fail_error(rc == ORB_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT, &err);
    const orb_ground_t *g = orb_sim_ground(sim);
    long from = orb_ground_find(g, o->from), to = orb_ground_find(g, o->to);
    int code = EXIT_OK;
    if (from < 0 || to < 0) {
        code = cli_fail(EXIT_INPUT, "%s: no site named \"%s\" in the scenario's site files",
                        sc->ini_path, from < 0 ? o->from : o->to);
    } else {
        orb_route_result_t r;
        rc = orb_sim_route(sim, (size_t)from, (size_t)to, o->time, &r, &err);
        if (rc) {
            char msg[1200];
            orb_error_format(&err, msg, sizeof msg);
            code = cli_fail(rc == ORB_EINVAL ? EXIT_USAGE : EXIT_RUNTIME, "route: %s", msg);
        } else {
            char when[40];
            orb_time_format_iso(o->time, 0, when, sizeof when);
            if (o->json)
                code = print_json(o, when, &r);
            else
                print_text(o, when, &r);
            orb_route_result_free(&r);
        }
    }
    orb_sim_destroy(sim);
    return code;
}

int cmd_route(int argc, char **argv)
{
    options_t o;
    int code = parse_args(argc, argv, &o);
    if (code == HELP_SHOWN)
        return EXIT_OK;
    if (code != EXIT_OK)
        return code;
    orb_scenario_t *sc = NULL;
    if ((code = cli_load_scenario(o.scenario, &sc)) != EXIT_OK)
        return code;
    code = route(&o, sc);
    orb_scenario_destroy(sc);
    return code;
}
