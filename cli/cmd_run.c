/* cmd_run.c: `orbnet run`: simulates a scenario step by step and writes
 * summary.json, rtt.csv and handovers.csv, with a summary table on stdout. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "orbnet/scenario.h"
#include "orbnet/sim.h"

#define HELP_SHOWN 100
#define REPORT_FRAMES 60 /* map snapshots in report.html */

typedef struct options {
    const char *scenario;
    const char *out_dir;   /* NULL: the scenario's [output] dir */
    int threads;
    int quiet;
} options_t;

static void usage(FILE *f)
{
    fputs(
"usage: orbnet run SCENARIO.ini [-o DIR] [--threads N] [--quiet]\n"
"\n"
"Simulates the scenario's network at every step from start to start +\n"
"duration: satellite positions (SGP4), ground and laser links, terminal\n"
"assignment, shortest routes by latency to each terminal's PoP, and the\n"
"service each terminal gets.\n"
"\n"
"options:\n"
"  -o, --output DIR   folder for the results (created if missing; default the\n"
"                     scenario's [output] dir, else ./out)\n"
"  --threads N        OpenMP threads (default: all cores); results are byte for\n"
"                     byte the same for any N\n"
"  -q, --quiet        no summary table on stdout\n"
"  -h, --help         show this help\n"
"\n"
"files (each written under a temporary name, renamed when complete):\n"
"  summary.json    the run and, per terminal: availability, rtt_ms {min, p50,\n"
"                  p95, p99, max, mean}, handovers_per_hour,\n"
"                  path_changes_per_hour, mean_hops, pop\n"
"  rtt.csv         time_utc,terminal,pop,rtt_ms,hops,serving_sat,gateway,path\n"
"                  (path: node names joined by '>'; rtt_ms empty: no path)\n"
"  handovers.csv   time_utc,terminal,from_sat,to_sat,reason\n"
"                  (reason: epoch, lost, acquire, route)\n"
"  report.html     map with a time slider, RTT charts, per-terminal bars\n"
"[output] csv = off leaves out both CSV files, rtt_csv = off rtt.csv,\n"
"report = off the report.\n"
"\n"
"A progress line goes to stderr when it is a terminal.  SIGINT (Ctrl-C),\n"
"SIGTERM or SIGHUP stop the run within a step: it says how far it got,\n"
"writes no result and exits 1.  See docs/scenario.md for the scenario file.\n"
"\n"
"example:\n"
"  orbnet run scenarios/ukraine.ini -o out --threads 2\n"
"\n"
CLI_HELP_EXIT_CODES,
        f);
}

static int parse_threads(const char *arg, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > 1024)
        return cli_usage_error("run", "--threads: expected a whole number from 1 to 1024, got '%s'",
                               arg);
    *out = (int)v;
    return EXIT_OK;
}

static int parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c, rc;
    memset(o, 0, sizeof *o);
    optind = 1;
    while ((c = cli_getopt(argc, argv, ":o:qh", longopts)) != -1) {
        switch (c) {
        case 'o': o->out_dir = optarg; break;
        case 'j':
            if ((rc = parse_threads(optarg, &o->threads)) != EXIT_OK)
                return rc;
            break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); return HELP_SHOWN;
        default: return EXIT_USAGE;
        }
    }
    return cli_scenario_operand("run", argc, argv, &o->scenario);
}

/* Prints err; input errors (while building the network from the scenario's
 * files) exit 3, running out of memory or failing to write exits 1. */
static int report_error(int rc, int input, const orb_error_t *err)
{
    return cli_fail_error(input && rc != ORB_ENOMEM ? EXIT_INPUT : EXIT_RUNTIME, err);
}

/* mkdir -p: creates dir and any missing parents. */
static int make_dir(const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path)
        return cli_fail(EXIT_RUNTIME, "bad output folder name '%s'", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return cli_fail(EXIT_RUNTIME, "cannot create the folder %s: %s", path,
                            strerror(errno));
        path[i] = c;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return cli_fail(EXIT_RUNTIME, "%s is not a folder", dir);
    return EXIT_OK;
}

/* SIGINT / SIGTERM / SIGHUP ask the run to stop: it finishes the step in
 * hand, removes its temporary files and the command exits 1. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

/* A stop that came after the step loop: take back what was written. */
static int interrupted_late(const char *dir)
{
    static const char *const files[] = {"summary.json", "rtt.csv", "handovers.csv",
                                        "report.html"};
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    return cli_fail(EXIT_RUNTIME, "run: interrupted after the last step; no results written");
}

static void progress_cb(void *ud, size_t done, size_t total)
{
    (void)total;
    cli_progress_update(ud, (double)done);
}

static void print_ms(double v)
{
    if (isnan(v))
        printf(" %9s", "-");
    else
        printf(" %9.2f", v);
}

static void print_table(const orb_sim_t *sim, const orb_sim_result_t *r)
{
    const orb_ground_t *g = orb_sim_ground(sim);
    printf("%-24s %-18s %7s %9s %9s %9s %9s %7s %7s\n", "terminal", "pop", "avail%",
           "rtt_min", "rtt_p50", "rtt_p95", "rtt_max", "ho/h", "hops");
    for (size_t q = 0; q < r->terminal_count; q++) {
        const orb_terminal_summary_t *s = &r->summary[q];
        const char *pop = s->pop >= 0 ? g->name[g->pops[s->pop]] : "-";
        printf("%-24.24s %-18.18s %7.2f", g->name[g->terminals[q]], pop,
               100.0 * s->availability);
        print_ms(s->rtt_min_ms);
        print_ms(s->rtt_p50_ms);
        print_ms(s->rtt_p95_ms);
        print_ms(s->rtt_max_ms);
        printf(" %7.1f", s->handovers_per_hour);
        if (isnan(s->mean_hops))
            printf(" %7s\n", "-");
        else
            printf(" %7.2f\n", s->mean_hops);
    }
}

static int run(const options_t *o, orb_scenario_t *sc)
{
    orb_error_t err;
    orb_error_clear(&err);
    orb_sim_t *sim = NULL;
    catch_signals();
    int rc = orb_sim_create(sc, &sim, &err);
    if (rc)
        return report_error(rc, 1, &err);
    if (stop_requested) {
        orb_sim_destroy(sim);
        return cli_fail(EXIT_RUNTIME, "run: interrupted before the first step; nothing written");
    }
    const char *dir = o->out_dir ? o->out_dir : sc->out_dir ? sc->out_dir : "out";
    int code = make_dir(dir);
    if (code != EXIT_OK) {
        orb_sim_destroy(sim);
        return code;
    }
    cli_progress_t prog;
    cli_progress_start(&prog, "run", (double)orb_scenario_step_count(sc));
    orb_sim_options_t opt = {.out_dir = dir,
                             .rtt_csv = sc->csv && sc->rtt_csv,
                             .handovers_csv = sc->csv,
                             .threads = o->threads,
                             .frames = sc->report ? REPORT_FRAMES : 0,
                             .progress = progress_cb,
                             .progress_ud = &prog,
                             .stop = &stop_requested};
    orb_sim_result_t *res = NULL;
    rc = orb_sim_run(sim, &opt, &res, &err);
    cli_progress_end(&prog);
    if (!rc && sc->report) {
        char path[4096];
        snprintf(path, sizeof path, "%s/report.html", dir);
        rc = orb_sim_write_report(sim, res, path, &err);
    }
    if (rc) {
        orb_sim_result_destroy(res);
        orb_sim_destroy(sim);
        if (rc == ORB_EINTERRUPTED)
            return cli_fail(EXIT_RUNTIME, "run: %s", err.message);
        return report_error(rc, 0, &err);
    }
    if (stop_requested) {
        orb_sim_result_destroy(res);
        orb_sim_destroy(sim);
        return interrupted_late(dir);
    }
    if (!o->quiet) {
        print_table(sim, res);
        printf("%zu steps, %zu satellites, %zu terminals in %.2f s; results in %s/\n",
               res->steps, orb_constellation_count(orb_sim_constellation(sim)),
               res->terminal_count, res->wall_time_s, dir);
        if (sc->report)
            printf("report: %s/report.html\n", dir);
    }
    orb_sim_result_destroy(res);
    orb_sim_destroy(sim);
    return EXIT_OK;
}

int cmd_run(int argc, char **argv)
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
    code = run(&o, sc);
    orb_scenario_destroy(sc);
    return code;
}
