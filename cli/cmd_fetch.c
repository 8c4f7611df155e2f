/* cmd_fetch.c: `orbnet fetch`: current element sets from CelesTrak (or a
 * mirror), checked by the orbit parsers before they replace a file or reach
 * stdout. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "orbnet/err.h"
#include "orbnet/fetch.h"
#include "orbnet/timeutil.h"

static void help(FILE *f)
{
    fprintf(f,
        "usage: orbnet fetch [--group NAME] [--format tle|csv|json] [-o FILE]\n"
        "                    [--base-url URL] [--timeout S]\n\n"
        "Downloads current element sets from CelesTrak's GP service and checks\n"
        "that every record parses before anything is written.  With -o, FILE is\n"
        "replaced atomically (FILE.tmp.PID in the same folder, fsync, rename): on\n"
        "any failure the old FILE stays as it was.  Without -o the data goes to\n"
        "stdout, and only once checked.  The number of element sets and their\n"
        "epoch range go to stderr.\n\n"
        "options:\n"
        "  --group NAME       CelesTrak group (default starlink)\n"
        "  --format F         tle (three-line sets), csv or json (OMM); default tle.\n"
        "                     CelesTrak's TLE answers leave out satellites with\n"
        "                     six-digit catalogue numbers (given to new objects\n"
        "                     from mid-2026): prefer csv or json for complete sets\n"
        "  -o, --output FILE  file to replace ('-': stdout, the default)\n"
        "  --base-url URL     GP endpoint; \"?GROUP=NAME&FORMAT=F\" is appended.\n"
        "                     Precedence: --base-url, then the environment variable\n"
        "                     %s, then\n"
        "                     %s\n"
        "  --timeout S        give up when the whole transfer takes longer than S\n"
        "                     seconds (default %g)\n"
        "  -h, --help         this help\n\n"
        "fetch sends one request and never retries.  CelesTrak's data change a few\n"
        "times a day: please do not fetch more often, and mind its usage policy\n"
        "(https://celestrak.org/usage-policy.php), which blocks clients that\n"
        "keep querying after error answers.\n\n"
        "exit codes: 0 ok, 1 network or server failure (or FILE not writable),\n"
        "            2 bad usage, 3 the server sent data that does not parse\n",
        ORB_FETCH_URL_ENV, ORB_FETCH_DEFAULT_URL, ORB_FETCH_DEFAULT_TIMEOUT_S);
}

typedef struct fetch_args {
    orb_fetch_options_t opt;
    const char *out; /* NULL or "-": stdout */
    int help;
} fetch_args_t;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "orbnet fetch: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee 'orbnet fetch --help'\n");
    return EXIT_USAGE;
}

static int parse_timeout(const char *text, double *out_s)
{
    char *end;
    double s = strtod(text, &end);
    if (end == text || *end || !isfinite(s) || s <= 0.0 || s > 1e6)
        return usage_error("--timeout: expected seconds in (0, 1e6], got '%s'", text);
    *out_s = s;
    return EXIT_OK;
}

static int parse_option(int c, const char *arg, fetch_args_t *a)
{
    switch (c) {
    case 'g': a->opt.group = arg; return EXIT_OK;
    case 'f':
        if (orb_fetch_format_parse(arg, &a->opt.format) != ORB_OK)
            return usage_error("--format: expected tle, csv or json, got '%s'", arg);
        return EXIT_OK;
    case 'o': a->out = arg; return EXIT_OK;
    case 'b': a->opt.base_url = arg; return EXIT_OK;
    case 't': return parse_timeout(arg, &a->opt.timeout_s);
    case 'h': a->help = 1; return EXIT_OK;
    default: return EXIT_USAGE;
    }
}

static int parse_args(int argc, char **argv, fetch_args_t *a)
{
    static const struct option longopts[] = {
        {"group", required_argument, NULL, 'g'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"base-url", required_argument, NULL, 'b'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    orb_fetch_options_init(&a->opt);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        if (c == '?')
            return usage_error("unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        int rc = parse_option(c, optarg, a);
        if (rc != EXIT_OK)
            return rc;
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    return EXIT_OK;
}

/* ORB_ENET and the like: the network or the server failed (1); a parser's
 * status: the server sent bad data (3); ORB_EINVAL: a bad group or base
 * URL, i.e. bad usage (2). */
static int exit_code_of(int rc)
{
    switch (rc) {
    case ORB_ESYNTAX: case ORB_ERANGE: case ORB_ECHECKSUM: case ORB_EEMPTY:
        return EXIT_INPUT;
    case ORB_EINVAL:
        return EXIT_USAGE;
    default:
        return EXIT_RUNTIME;
    }
}

/* "line 3, column 5, field 'checksum': MESSAGE (from URL)": the parser's
 * message with its position; the URL is the error's file name. */
static void print_bad_data(const orb_error_t *err)
{
    fprintf(stderr, "orbnet fetch: the server sent data that does not parse: ");
    if (err->line > 0)
        fprintf(stderr, "line %ld, ", err->line);
    if (err->column > 0)
        fprintf(stderr, "column %d, ", err->column);
    if (err->field[0])
        fprintf(stderr, "field '%s', ", err->field);
    fprintf(stderr, "%s (from %s)\n",
            err->message[0] ? err->message : orb_strerror(err->code), err->file);
}

/* A group or base URL the library refused, named as the user gave it. */
static void print_bad_option(const orb_error_t *err)
{
    const char *opt = !strcmp(err->field, "group") ? "--group"
                      : !strcmp(err->field, "format") ? "--format"
                      : !strcmp(err->field, "base URL") ? "--base-url (or " ORB_FETCH_URL_ENV ")"
                      : "-o";
    fprintf(stderr, "orbnet fetch: %s: %s\nsee 'orbnet fetch --help'\n", opt,
            err->message);
}

static int report_failure(int rc, const orb_error_t *err)
{
    int code = exit_code_of(rc);
    if (code == EXIT_INPUT) {
        print_bad_data(err);
    } else if (code == EXIT_USAGE) {
        print_bad_option(err);
    } else {
        char msg[1600];
        fprintf(stderr, "orbnet fetch: %s\n", orb_error_format(err, msg, sizeof msg));
    }
    return code;
}

static void report_success(const orb_fetch_report_t *rep, const char *out)
{
    char first[40], last[40];
    orb_time_format_iso(rep->epoch_first, 0, first, sizeof first);
    orb_time_format_iso(rep->epoch_last, 0, last, sizeof last);
    fprintf(stderr, "orbnet fetch: %zu element sets, epochs %s to %s, %zu bytes from %s",
            rep->count, first, last, rep->bytes, rep->url);
    if (out)
        fprintf(stderr, " -> %s", out);
    fprintf(stderr, "\n");
}

static int fetch_to_stdout(const fetch_args_t *a)
{
    orb_fetch_report_t rep;
    orb_error_t err;
    orb_error_clear(&err);
    char *data;
    size_t len;
    int rc = orb_fetch_get(&a->opt, &data, &len, &rep, &err);
    if (rc != ORB_OK)
        return report_failure(rc, &err);
    int bad = fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0;
    orb_buffer_free(data);
    if (bad) {
        perror("orbnet fetch: cannot write to stdout");
        return EXIT_RUNTIME;
    }
    report_success(&rep, NULL);
    return EXIT_OK;
}

static int fetch_to_file(const fetch_args_t *a)
{
    orb_fetch_report_t rep;
    orb_error_t err;
    orb_error_clear(&err);
    int rc = orb_fetch_to_file(&a->opt, a->out, &rep, &err);
    if (rc != ORB_OK)
        return report_failure(rc, &err);
    report_success(&rep, a->out);
    return EXIT_OK;
}

int cmd_fetch(int argc, char **argv)
{
    fetch_args_t a;
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_OK)
        return rc;
    if (a.help) {
        help(stdout);
        return EXIT_OK;
    }
    if (!a.out || strcmp(a.out, "-") == 0)
        return fetch_to_stdout(&a);
    return fetch_to_file(&a);
}
