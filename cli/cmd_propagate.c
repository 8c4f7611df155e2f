/* cmd_propagate.c: `orbnet propagate`: the state of every satellite of an
 * element-set file at regular times, as CSV in TEME, Earth-fixed or WGS-84
 * geodetic coordinates, streamed fast enough for a 10k-satellite catalogue. */
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/frames.h"
#include "orbnet/sgp4.h"
#include "orbnet/timeutil.h"

#define HELP_SHOWN 100 /* parse_args printed --help: exit 0 */

/* Printed decimals: 1 mm, 1 um/s, 1e-6 deg (under 0.12 m). */
#define DEC_KM 6
#define DEC_KM_S 9
#define DEC_DEG 6

typedef enum frame { FRAME_TEME, FRAME_ECEF, FRAME_GEODETIC } frame_t;

typedef struct options {
    const char *file;
    orb_time_t start;
    double duration_s, step_s;
    frame_t frame;
    const char *out_path;
    long *sat_ids;
    size_t n_sat_ids;
} options_t;

static void usage(FILE *f)
{
    fputs(
"usage: orbnet propagate (--tle FILE | --omm FILE) --start ISO --duration S --step S\n"
"                        [--frame teme|ecef|geodetic] [--sat LIST] [-o FILE]\n"
"\n"
"Propagates every satellite of an element-set file with SGP4 and writes one CSV\n"
"row per satellite and time.  The times are start, start+step, ... up to and\n"
"including start+duration; rows are ordered by time, then by the file's order.\n"
"\n"
"options:\n"
"  --tle FILE         element sets: TLE, 3LE, OMM CSV or OMM JSON (recognised\n"
"  --omm FILE         by content; the two options are synonyms)\n"
"  --start ISO        first time, ISO 8601 UTC, e.g. 2026-06-24T00:00:00Z\n"
"  --duration S       length of the interval in seconds (> 0)\n"
"  --step S           seconds between times (> 0)\n"
"  --frame F          teme (default): TEME position and velocity, as SGP4 gives them\n"
"                     ecef: Earth-fixed (UT1 = UTC, polar motion neglected)\n"
"                     geodetic: WGS-84 latitude, longitude and height\n"
"  --sat LIST         only these catalogue numbers, comma-separated (44714,44718)\n"
"  -o, --output FILE  write to FILE instead of standard output; FILE appears\n"
"                     only once complete (written as FILE.tmp.PID, then renamed)\n"
"  -h, --help         show this help\n"
"\n"
"output: CSV with a header row\n"
"  teme, ecef: time_utc,norad_id,name,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n"
"  geodetic:   time_utc,norad_id,name,lat_deg,lon_deg,alt_km\n"
"  km with 6 decimals (1 mm), km/s with 9 (1 um/s), degrees with 6 (< 0.12 m);\n"
"  time_utc to the second, with decimals only if --start or --step need them.\n"
"  A satellite SGP4 cannot propagate at some time (decayed, ...) is named once\n"
"  on stderr with the reason and has no row at that time; the run goes on.\n"
"  Steps are computed on all cores (OMP_NUM_THREADS=N to limit them); the\n"
"  output does not depend on how many.\n"
"\n"
"example:\n"
"  orbnet propagate --tle data/tle/starlink_celestrak_gp_2026-06-24.tle \\\n"
"      --start 2026-06-24T00:00:00Z --duration 600 --step 60 --sat 44714,44718\n"
"\n"
"exit codes: 0 success, 1 failure while running (e.g. FILE cannot be written),\n"
"            2 bad usage, 3 bad input data (the message names file, line, field)\n",
        f);
}

static int parse_frame(const char *text, frame_t *out)
{
    if (!strcmp(text, "teme"))
        *out = FRAME_TEME;
    else if (!strcmp(text, "ecef"))
        *out = FRAME_ECEF;
    else if (!strcmp(text, "geodetic"))
        *out = FRAME_GEODETIC;
    else
        return cli_usage_error("propagate", "--frame: expected teme, ecef or geodetic, got '%s'",
                               text);
    return EXIT_OK;
}

static int parse_option(int c, const char *arg, options_t *o, unsigned *seen)
{
    const char *cmd = "propagate";
    switch (c) {
    case 't': case 'm':
        return cli_set_element_file(cmd, &o->file, arg);
    case 's': *seen |= 1u; return cli_parse_time(cmd, "--start", arg, &o->start);
    case 'd': *seen |= 2u; return cli_parse_positive(cmd, "--duration", arg, &o->duration_s);
    case 'p': *seen |= 4u; return cli_parse_positive(cmd, "--step", arg, &o->step_s);
    case 'f': return parse_frame(arg, &o->frame);
    case 'n':
        free(o->sat_ids);
        return cli_parse_id_list(cmd, "--sat", arg, &o->sat_ids, &o->n_sat_ids);
    case 'o': o->out_path = arg; return EXIT_OK;
    case 'h': usage(stdout); return HELP_SHOWN;
    default: return EXIT_USAGE; /* cli_getopt has explained */
    }
}

static int parse_args(int argc, char **argv, options_t *o)
{
    static const struct option longopts[] = {
        {"tle", required_argument, NULL, 't'},      {"omm", required_argument, NULL, 'm'},
        {"start", required_argument, NULL, 's'},    {"duration", required_argument, NULL, 'd'},
        {"step", required_argument, NULL, 'p'},     {"frame", required_argument, NULL, 'f'},
        {"sat", required_argument, NULL, 'n'},      {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    unsigned seen = 0;
    int c, rc;
    memset(o, 0, sizeof *o);
    optind = 1;
    while ((c = cli_getopt(argc, argv, ":o:h", longopts)) != -1)
        if ((rc = parse_option(c, optarg, o, &seen)) != EXIT_OK)
            return rc;
    if ((rc = cli_no_operands("propagate", argc, argv)) != EXIT_OK)
        return rc;
    if (!o->file)
        return cli_usage_error("propagate", "missing --tle FILE (or --omm FILE)");
    static const char *const names[] = {"--start ISO", "--duration S", "--step S"};
    return cli_require_options("propagate", seen, names, 3);
}

/* Fewest decimals (0..6) of a second that print start + k * step exactly. */
static int time_decimals(orb_time_t start, double step_s)
{
    double sod = start.fr * ORB_SECONDS_PER_DAY;
    double scale = 1.0;
    for (int d = 0; d < 6; d++, scale *= 10.0)
        if (fabs(step_s * scale - round(step_s * scale)) < 1e-3
            && fabs(sod * scale - round(sod * scale)) < 1e-3)
            return d;
    return 6;
}

/* One time step prepared by one thread: the states and the CSV text. */
typedef struct slot {
    orb_states_t *states;
    char when[40];  /* the time_utc column */
    char *text;
    size_t len, cap;
    int nomem;
} slot_t;

/* What the writer needs at every step. */
typedef struct job {
    const options_t *opt;
    const orb_catalog_t *cat;
    orb_sgp4_batch_t *batch;
    slot_t *slots;           /* steps computed in parallel, written in order */
    int n_slots;
    char **prefix;           /* "norad_id,name" per satellite */
    size_t *prefix_len;
    unsigned char *reported; /* failure already named on stderr */
    size_t n_failed;
} job_t;

static void report_failure(job_t *job, size_t i, int status, const char *when)
{
    if (job->reported[i])
        return;
    job->reported[i] = 1;
    job->n_failed++;
    const orb_elements_t *el = &job->cat->sats[i];
    char why[160];
    fprintf(stderr, "orbnet: warning: satellite %ld%s%s cannot be propagated at %s: %s; "
                    "its rows are left out wherever this happens\n",
            el->norad_id, el->name[0] ? " " : "", el->name, when,
            cli_propagation_reason(status, why, sizeof why));
}

/* The numbers of one row after the prefix, with a leading comma each. */
static size_t format_numbers(char *dst, const double *v, int n, const int *decimals)
{
    size_t k = 0;
    for (int j = 0; j < n; j++) {
        dst[k++] = ',';
        k += cli_format_fixed(dst + k, v[j], decimals[j]);
    }
    dst[k++] = '\n';
    return k;
}

/* Fills v with the printed values of satellite i; returns their count. */
static int row_values(frame_t frame, const orb_states_t *s, size_t i, double gmst_rad,
                      double v[6])
{
    double r[3] = {s->x_km[i], s->y_km[i], s->z_km[i]};
    double vel[3] = {s->vx_km_s[i], s->vy_km_s[i], s->vz_km_s[i]};
    if (frame == FRAME_TEME) {
        memcpy(v, r, sizeof r);
        memcpy(v + 3, vel, sizeof vel);
        return 6;
    }
    if (frame == FRAME_ECEF) {
        orb_teme_to_ecef_gmst(r, vel, gmst_rad, v, v + 3);
        return 6;
    }
    double ecef[3], lat, lon;
    orb_teme_to_ecef_gmst(r, NULL, gmst_rad, ecef, NULL);
    orb_ecef_to_geodetic(ecef, &lat, &lon, &v[2]);
    v[0] = lat / ORB_DEG;
    v[1] = lon / ORB_DEG;
    return 3;
}

/* Room for one more row (at most ROW_MAX bytes) in the slot's text. */
#define ROW_MAX 512
static char *slot_reserve(slot_t *slot)
{
    if (slot->cap - slot->len < ROW_MAX) {
        size_t cap = slot->cap * 2 + 64 * ROW_MAX;
        char *text = realloc(slot->text, cap);
        if (!text) {
            slot->nomem = 1;
            return NULL;
        }
        slot->text = text;
        slot->cap = cap;
    }
    return slot->text + slot->len;
}

/* Propagates every satellite to t and formats the rows of those that
 * succeeded.  Runs on several threads at once, one slot each. */
static void fill_slot(const job_t *job, slot_t *slot, orb_time_t t, int tdec)
{
    static const int dec_state[6] = {DEC_KM, DEC_KM, DEC_KM, DEC_KM_S, DEC_KM_S, DEC_KM_S};
    static const int dec_geo[3] = {DEC_DEG, DEC_DEG, DEC_KM};
    frame_t frame = job->opt->frame;
    const int *dec = frame == FRAME_GEODETIC ? dec_geo : dec_state;
    orb_time_format_iso(t, tdec, slot->when, sizeof slot->when);
    size_t wlen = strlen(slot->when);
    double gmst_rad = orb_gmst_rad(t); /* UT1 = UTC */
    size_t n = job->cat->count;
    const orb_states_t *st = slot->states;
    orb_sgp4_batch_propagate(job->batch, t, 0, n, slot->states);
    slot->len = 0;
    for (size_t i = 0; i < n; i++) {
        if (st->status[i] != ORB_OK)
            continue;
        char *dst = slot_reserve(slot);
        if (!dst)
            return;
        double v[6];
        int nv = row_values(frame, st, i, gmst_rad, v);
        memcpy(dst, slot->when, wlen);
        dst[wlen] = ',';
        memcpy(dst + wlen + 1, job->prefix[i], job->prefix_len[i]);
        size_t k = wlen + 1 + job->prefix_len[i];
        slot->len += k + format_numbers(dst + k, v, nv, dec);
    }
}

/* In time order: names new failures on stderr, then writes the rows. */
static int flush_slot(job_t *job, const slot_t *slot, cli_out_t *out)
{
    if (slot->nomem)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    for (size_t i = 0; i < job->cat->count; i++)
        if (slot->states->status[i] != ORB_OK)
            report_failure(job, i, slot->states->status[i], slot->when);
    cli_out_write(out, slot->text, slot->len);
    return EXIT_OK;
}

static int make_prefixes(job_t *job)
{
    size_t n = job->cat->count;
    job->prefix = calloc(n ? n : 1, sizeof *job->prefix);
    job->prefix_len = calloc(n ? n : 1, sizeof *job->prefix_len);
    job->reported = calloc(n ? n : 1, 1);
    if (!job->prefix || !job->prefix_len || !job->reported)
        return EXIT_RUNTIME;
    for (size_t i = 0; i < n; i++) {
        const orb_elements_t *el = &job->cat->sats[i];
        char buf[2 * sizeof el->name + 32];
        int k = snprintf(buf, sizeof buf, "%ld,", el->norad_id);
        size_t len = (size_t)k + cli_csv_field(buf + k, el->name);
        if (!(job->prefix[i] = strdup(buf)))
            return EXIT_RUNTIME;
        job->prefix_len[i] = len;
    }
    return EXIT_OK;
}

static void job_free(job_t *job)
{
    for (size_t i = 0; job->prefix && i < job->cat->count; i++)
        free(job->prefix[i]);
    free(job->prefix);
    free(job->prefix_len);
    free(job->reported);
    for (int j = 0; job->slots && j < job->n_slots; j++) {
        orb_states_destroy(job->slots[j].states);
        free(job->slots[j].text);
    }
    free(job->slots);
    orb_sgp4_batch_destroy(job->batch);
}

/* Steps are computed in blocks of two per thread; two blocks alternate, so
 * that the writer empties one while the other is being computed. */
static int block_size(void)
{
#ifdef _OPENMP
    int n = 2 * omp_get_max_threads();
    return n > 64 ? 64 : n;
#else
    return 1;
#endif
}

static int job_init(job_t *job, const options_t *o, const orb_catalog_t *cat)
{
    memset(job, 0, sizeof *job);
    job->opt = o;
    job->cat = cat;
    job->n_slots = 2 * block_size();
    job->slots = calloc((size_t)job->n_slots, sizeof *job->slots);
    if (!job->slots || orb_sgp4_batch_create(cat, ORB_WGS72, &job->batch, NULL) != ORB_OK
        || make_prefixes(job) != EXIT_OK)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    for (int j = 0; j < job->n_slots; j++)
        if (!(job->slots[j].states = orb_states_create(cat->count)))
            return cli_fail(EXIT_RUNTIME, "out of memory");
    return EXIT_OK;
}

/* Computes the steps as tasks, block after block, while the calling thread
 * writes the previous block in time order: computing and writing overlap,
 * and the output does not depend on the number of threads. */
static int stream_steps(job_t *job, cli_out_t *out, double n_steps, int tdec,
                        cli_progress_t *prog)
{
    const options_t *o = job->opt;
    int block = job->n_slots / 2, rc = EXIT_OK;
#pragma omp parallel
#pragma omp single
    for (long b = 0, prev_m = 0;; b++) {
        double k0 = (double)b * block;
        slot_t *cur = job->slots + (b % 2) * block, *prev = job->slots + ((b + 1) % 2) * block;
        int m = k0 < n_steps && rc == EXIT_OK && !out->failed
                    ? (int)fmin((double)block, n_steps - k0) : 0;
        for (int j = 0; j < m; j++) {
#pragma omp task
            fill_slot(job, &cur[j], orb_time_add_s(o->start, (k0 + j) * o->step_s), tdec);
        }
        for (int j = 0; j < prev_m && rc == EXIT_OK; j++)
            rc = flush_slot(job, &prev[j], out);
        if (prev_m)
            cli_progress_update(prog, k0);
#pragma omp taskwait
        if (m == 0)
            break;
        prev_m = m;
    }
    return rc;
}

static const char *header(frame_t frame)
{
    return frame == FRAME_GEODETIC
               ? "time_utc,norad_id,name,lat_deg,lon_deg,alt_km\n"
               : "time_utc,norad_id,name,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n";
}

static int run(const options_t *o, const orb_catalog_t *cat)
{
    job_t job;
    if (job_init(&job, o, cat) != EXIT_OK) {
        job_free(&job);
        return EXIT_RUNTIME;
    }
    cli_out_t out;
    if (cli_out_open(&out, o->out_path) != EXIT_OK) {
        job_free(&job);
        return EXIT_RUNTIME;
    }
    /* floor with a little slack so that 3600 / 0.1 still counts 36001 times */
    double n_steps = floor(o->duration_s / o->step_s * (1.0 + 1e-12)) + 1.0;
    int tdec = time_decimals(o->start, o->step_s);
    cli_progress_t prog;
    cli_progress_start(&prog, "propagating", n_steps);
    cli_out_puts(&out, header(o->frame));
    int rc = stream_steps(&job, &out, n_steps, tdec, &prog);
    cli_progress_end(&prog);
    if (job.n_failed)
        fprintf(stderr, "orbnet: %zu of %zu satellites were left out at some times\n",
                job.n_failed, cat->count);
    job_free(&job);
    int wrc = cli_out_close(&out, rc == EXIT_OK);
    return rc != EXIT_OK ? rc : wrc;
}

int cmd_propagate(int argc, char **argv)
{
    options_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc == EXIT_OK) {
        orb_catalog_t *cat = NULL;
        rc = cli_load_selection("propagate", o.file, o.sat_ids, o.n_sat_ids, &cat);
        if (rc == EXIT_OK)
            rc = run(&o, cat);
        orb_catalog_destroy(cat);
    }
    free(o.sat_ids);
    return rc == HELP_SHOWN ? EXIT_OK : rc;
}
