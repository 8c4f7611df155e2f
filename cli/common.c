/* common.c: option parsing, element-set and scenario loading, CSV number
 * formatting, atomic output files and the progress line shared by the
 * subcommands. */
#include "common.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "orbnet/err.h"
#include "orbnet/sgp4.h"

/* ---- messages ---- */

static void vmessage(const char *fmt, va_list ap)
{
    fputs("orbnet: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    fprintf(stderr, "(see 'orbnet %s --help')\n", cmd);
    return EXIT_USAGE;
}

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return code;
}

int cli_fail_error(int code, const orb_error_t *err)
{
    char msg[1200];
    orb_error_format(err, msg, sizeof msg);
    return cli_fail(code, "%s", msg);
}

char *cli_propagation_reason(int status, char *buf, size_t n)
{
    int code = orb_sgp4_code(status);
    if (code >= 1 && code <= 6)
        snprintf(buf, n, "%s (error code %d)", orb_strerror(status), code);
    else
        snprintf(buf, n, "%s", orb_strerror(status));
    return buf;
}

/* ---- options ---- */

int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    opterr = 0;
    int c = getopt_long(argc, argv, shortopts, longopts, NULL);
    if (c != '?' && c != ':')
        return c;
    /* getopt leaves the offending word at argv[optind - 1] */
    const char *word = optind - 1 < argc ? argv[optind - 1] : argv[argc - 1];
    if (c == ':')
        cli_usage_error(argv[0], "option '%s' needs a value", word);
    else if (optopt && optopt < 256 && word[0] == '-' && word[1] != '-')
        cli_usage_error(argv[0], "unknown option '-%c'", optopt);
    else
        cli_usage_error(argv[0], "unknown option '%s'", word);
    return CLI_OPT_ERROR;
}

int cli_no_operands(const char *cmd, int argc, char **argv)
{
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return EXIT_OK;
}

int cli_set_element_file(const char *cmd, const char **file, const char *arg)
{
    if (*file)
        return cli_usage_error(cmd, "give one element-set file (--tle or --omm), not two");
    *file = arg;
    return EXIT_OK;
}

int cli_require_options(const char *cmd, unsigned seen, const char *const *names,
                        unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!(seen & (1u << i)))
            return cli_usage_error(cmd, "missing %s", names[i]);
    return EXIT_OK;
}

int cli_scenario_operand(const char *cmd, int argc, char **argv, const char **path)
{
    if (optind >= argc)
        return cli_usage_error(cmd, "missing the scenario file");
    *path = argv[optind++];
    return cli_no_operands(cmd, argc, argv);
}

/* strtod over the whole text: 1 when it is one finite number. */
static int whole_number(const char *text, double *out)
{
    char *end;
    if (!text || !*text || *text == ' ' || *text == '\t')
        return 0;
    errno = 0;
    double v = strtod(text, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double *out)
{
    if (!whole_number(text, out))
        return cli_usage_error(cmd, "%s: expected a number, got '%s'", opt, text);
    return EXIT_OK;
}

int cli_parse_positive(const char *cmd, const char *opt, const char *text, double *out)
{
    if (!whole_number(text, out) || !(*out > 0.0))
        return cli_usage_error(cmd, "%s: expected a number of seconds greater than 0, got '%s'",
                               opt, text);
    return EXIT_OK;
}

int cli_parse_elevation_deg(const char *cmd, const char *opt, const char *text,
                            double *out_deg)
{
    if (!whole_number(text, out_deg) || *out_deg < -90.0 || *out_deg > 90.0)
        return cli_usage_error(cmd, "%s: expected an elevation in degrees in [-90, 90], got '%s'",
                               opt, text);
    return EXIT_OK;
}

int cli_parse_time(const char *cmd, const char *opt, const char *text, orb_time_t *out)
{
    int rc = orb_time_parse_iso(text, out);
    if (rc == ORB_ERANGE)
        return cli_usage_error(cmd, "%s: date or time field out of range in '%s'", opt, text);
    if (rc != ORB_OK)
        return cli_usage_error(cmd, "%s: expected an ISO 8601 UTC time such as "
                                    "2026-06-24T12:00:00Z, got '%s'", opt, text);
    return EXIT_OK;
}

/* Splits "a,b[,c]" into at most 3 numbers; returns how many, 0 on error. */
static int split_numbers(const char *text, double v[3])
{
    char part[64];
    int n = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 3 || len >= sizeof part)
            return 0;
        memcpy(part, p, len);
        part[len] = '\0';
        if (!whole_number(part, &v[n++]))
            return 0;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

int cli_parse_site(const char *cmd, const char *opt, const char *text, cli_site_t *out)
{
    double v[3] = {0.0, 0.0, 0.0};
    int n = text ? split_numbers(text, v) : 0;
    if (n < 2)
        return cli_usage_error(cmd, "%s: expected LAT,LON[,ALT_M] (degrees, degrees, metres), "
                                    "got '%s'", opt, text ? text : "");
    if (v[0] < -90.0 || v[0] > 90.0)
        return cli_usage_error(cmd, "%s: latitude %g is outside [-90, 90] degrees", opt, v[0]);
    if (v[1] < -180.0 || v[1] >= 360.0)
        return cli_usage_error(cmd, "%s: longitude %g is outside [-180, 360) degrees", opt, v[1]);
    if (v[2] < -1000.0 || v[2] > 100000.0)
        return cli_usage_error(cmd, "%s: height %g m is outside [-1000, 100000] metres", opt, v[2]);
    out->lat_deg = v[0];
    out->lon_deg = v[1] > 180.0 ? v[1] - 360.0 : v[1];
    out->alt_m = v[2];
    return EXIT_OK;
}

int cli_parse_id_list(const char *cmd, const char *opt, const char *text,
                      long **ids, size_t *n)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    long *list = malloc(cap * sizeof *list);
    if (!list)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    size_t count = 0;
    const char *p = text;
    for (;;) {
        char *end;
        errno = 0;
        long v = (*p >= '0' && *p <= '9') ? strtol(p, &end, 10) : -1;
        if (v < 1 || v > 999999 || errno || (*end != ',' && *end != '\0')) {
            free(list);
            return cli_usage_error(cmd, "%s: expected catalogue numbers (1..999999) separated "
                                        "by commas, got '%s'", opt, text);
        }
        list[count++] = v;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    *ids = list;
    *n = count;
    return EXIT_OK;
}

/* ---- element sets ---- */

int cli_load_catalog(const char *path, orb_catalog_t **out)
{
    *out = NULL;
    orb_catalog_t *cat = orb_catalog_create();
    if (!cat)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    orb_error_t err;
    orb_error_clear(&err);
    int rc = orb_catalog_load(path, cat, &err);
    if (rc != ORB_OK) {
        char msg[1200];
        orb_error_format(&err, msg, sizeof msg);
        orb_catalog_destroy(cat);
        if (rc == ORB_ENOMEM)
            return cli_fail(EXIT_RUNTIME, "%s: out of memory", path);
        if (!err.file[0]) /* always name the file */
            return cli_fail(EXIT_INPUT, "%s: %s", path, msg);
        return cli_fail(EXIT_INPUT, "%s", msg);
    }
    *out = cat;
    return EXIT_OK;
}

static int has_id(const long *ids, size_t n, long id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

int cli_catalog_filter(const char *cmd, const char *opt, const char *path,
                       orb_catalog_t *cat, const long *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (orb_catalog_find(cat, ids[i]) < 0)
            return cli_usage_error(cmd, "%s: satellite %ld is not in %s", opt, ids[i], path);
    size_t kept = 0;
    for (size_t i = 0; i < cat->count; i++)
        if (has_id(ids, n, cat->sats[i].norad_id))
            cat->sats[kept++] = cat->sats[i];
    cat->count = kept;
    return EXIT_OK;
}

int cli_load_selection(const char *cmd, const char *path, const long *ids, size_t n,
                       orb_catalog_t **out)
{
    int rc = cli_load_catalog(path, out);
    if (rc == EXIT_OK && ids)
        rc = cli_catalog_filter(cmd, "--sat", path, *out, ids, n);
    if (rc != EXIT_OK) {
        orb_catalog_destroy(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- scenarios ---- */

int cli_load_scenario(const char *path, orb_scenario_t **out)
{
    orb_error_t err;
    orb_error_clear(&err);
    *out = NULL;
    int rc = orb_scenario_load(path, out, &err);
    if (rc)
        return cli_fail_error(rc == ORB_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT, &err);
    return EXIT_OK;
}

/* ---- CSV output ---- */

size_t cli_csv_field(char *dst, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        size_t len = strlen(text);
        memcpy(dst, text, len + 1);
        return len;
    }
    size_t k = 0;
    dst[k++] = '"';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            dst[k++] = '"';
        dst[k++] = *p;
    }
    dst[k++] = '"';
    dst[k] = '\0';
    return k;
}

/* "00" "01" ... "99": two digits per division halves the divisions. */
static const char digit_pairs[201] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243"
    "4445464748495051525354555657585960616263646566676869707172737475767778798081828384858687"
    "888990919293949596979899";

/* Writes v in decimal; returns the end. */
static char *put_u32(char *p, uint32_t v)
{
    char tmp[10];
    int k = 10;
    while (v >= 100) {
        uint32_t r = v % 100;
        v /= 100;
        k -= 2;
        memcpy(tmp + k, digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        k -= 2;
        memcpy(tmp + k, digit_pairs + 2 * v, 2);
    } else {
        tmp[--k] = (char)('0' + v);
    }
    memcpy(p, tmp + k, (size_t)(10 - k));
    return p + 10 - k;
}

/* Writes f (< 10^d) as exactly d digits, with leading zeros. */
static void put_fraction(char *p, uint32_t f, int d)
{
    for (; d >= 2; d -= 2, f /= 100)
        memcpy(p + d - 2, digit_pairs + 2 * (f % 100), 2);
    if (d == 1)
        p[0] = (char)('0' + f % 10);
}

/* The integer nearest to the exact product v * s (ties to even, as printf),
 * given its rounded value p = v * s, |p| < 9e15.  Half-integers are doubles
 * at this size, so p lands on the same side of one as the exact product
 * unless p is that half-integer; then the rounding error, exactly
 * fma(v, s, -p), says which side the product is on. */
static long long round_product(double v, double s, double p)
{
    double lower = floor(p);
    if (p - lower != 0.5)
        return llround(p);
    double err = fma(v, s, -p);
    if (err > 0.0 || (err == 0.0 && fmod(lower, 2.0) != 0.0))
        return (long long)lower + 1;
    return (long long)lower;
}

size_t cli_format_fixed(char *dst, double v, int decimals)
{
    static const double scale[10] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    static const uint64_t iscale[10] = {1, 10, 100, 1000, 10000, 100000, 1000000,
                                        10000000, 100000000, 1000000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    double scaled = v * scale[decimals];
    long long q = fabs(scaled) < 9.0e15 ? round_product(v, scale[decimals], scaled) : 0;
    uint64_t u = q < 0 ? (uint64_t)-q : (uint64_t)q;
    uint64_t whole = u / iscale[decimals];
    if (!(fabs(scaled) < 9.0e15) || whole > UINT32_MAX) { /* never in orbit output */
        int k = fabs(v) < 1e15 ? snprintf(dst, 33, "%.*f", decimals, v)
                               : snprintf(dst, 33, "%.17g", v);
        return k > 0 ? (size_t)k : 0;
    }
    char *p = dst;
    if (q < 0)
        *p++ = '-';
    p = put_u32(p, (uint32_t)whole);
    if (decimals > 0) {
        *p++ = '.';
        put_fraction(p, (uint32_t)(u % iscale[decimals]), decimals);
        p += decimals;
    }
    return (size_t)(p - dst);
}

#define OUT_BUFFER_BYTES (1u << 20)

/* The temporary file being written, removed when SIGINT, SIGTERM or SIGHUP
 * ends the command, so that an interrupted run leaves nothing behind.  One
 * output file is open at a time. */
static char *volatile pending_tmp;

static void remove_pending(int sig)
{
    char *p = pending_tmp;
    if (p)
        unlink(p);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch_signals(char *tmp_path)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    pending_tmp = tmp_path;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

int cli_out_open(cli_out_t *out, const char *path)
{
    memset(out, 0, sizeof *out);
    out->buf = malloc(OUT_BUFFER_BYTES);
    if (!out->buf)
        return cli_fail(EXIT_RUNTIME, "out of memory");
    out->cap = OUT_BUFFER_BYTES;
    if (!path || !strcmp(path, "-")) {
        out->f = stdout;
        return EXIT_OK;
    }
    size_t n = strlen(path) + 32;
    out->tmp_path = malloc(n);
    if (!out->tmp_path) {
        free(out->buf);
        return cli_fail(EXIT_RUNTIME, "out of memory");
    }
    snprintf(out->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
    out->path = path;
    watch_signals(out->tmp_path);
    out->f = fopen(out->tmp_path, "wb");
    if (!out->f) {
        pending_tmp = NULL;
        cli_fail(EXIT_RUNTIME, "cannot write %s: %s", out->tmp_path, strerror(errno));
        free(out->tmp_path);
        free(out->buf);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

static void out_flush(cli_out_t *out)
{
    if (out->len && !out->failed && fwrite(out->buf, 1, out->len, out->f) != out->len)
        out->failed = errno ? errno : EIO;
    out->len = 0;
}

char *cli_out_reserve(cli_out_t *out, size_t n)
{
    if (out->cap - out->len < n)
        out_flush(out);
    if (out->cap < n) { /* a single huge row: grow the buffer */
        char *b = realloc(out->buf, n);
        if (!b) {
            out->failed = ENOMEM;
            return NULL;
        }
        out->buf = b;
        out->cap = n;
    }
    return out->buf + out->len;
}

void cli_out_write(cli_out_t *out, const char *data, size_t n)
{
    if (n > out->cap - out->len)
        out_flush(out);
    if (n >= out->cap) { /* a big block: straight through */
        if (!out->failed && n && fwrite(data, 1, n, out->f) != n)
            out->failed = errno ? errno : EIO;
        return;
    }
    memcpy(out->buf + out->len, data, n);
    out->len += n;
}

void cli_out_puts(cli_out_t *out, const char *s)
{
    cli_out_write(out, s, strlen(s));
}

void cli_out_printf(cli_out_t *out, const char *fmt, ...)
{
    char *dst = cli_out_reserve(out, 1024);
    if (!dst)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(dst, 1024, fmt, ap);
    va_end(ap);
    if (k > 0)
        out->len += (size_t)k < 1024 ? (size_t)k : 1023;
}

/* Closes the stream; returns 0 or the errno of the failure. */
static int out_finish(cli_out_t *out)
{
    out_flush(out);
    int e = out->failed;
    if (out->f == stdout) {
        if (fflush(stdout) != 0 && !e)
            e = errno ? errno : EIO;
    } else if (fclose(out->f) != 0 && !e) {
        e = errno ? errno : EIO;
    }
    out->f = NULL;
    return e;
}

int cli_out_close(cli_out_t *out, int ok)
{
    int e = out_finish(out);
    const char *name = out->path ? out->path : "standard output";
    int rc = EXIT_OK;
    if (e)
        rc = cli_fail(EXIT_RUNTIME, "writing %s: %s", name, strerror(e));
    else if (ok && out->tmp_path && rename(out->tmp_path, out->path) != 0)
        rc = cli_fail(EXIT_RUNTIME, "cannot rename %s to %s: %s", out->tmp_path,
                      out->path, strerror(errno));
    if (out->tmp_path && (rc != EXIT_OK || !ok))
        remove(out->tmp_path);
    pending_tmp = NULL;
    free(out->tmp_path);
    free(out->buf);
    memset(out, 0, sizeof *out);
    return rc;
}

/* ---- progress ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_start(cli_progress_t *p, const char *label, double total)
{
    p->enabled = isatty(STDERR_FILENO) && total > 0.0;
    p->label = label;
    p->total = total;
    p->last_draw_s = 0.0;
    p->last_percent = -1;
}

void cli_progress_update(cli_progress_t *p, double done)
{
    if (!p->enabled)
        return;
    int percent = (int)(100.0 * done / p->total);
    if (percent == p->last_percent)
        return;
    double t = now_s();
    if (t - p->last_draw_s < 0.2 && percent < 100)
        return;
    p->last_draw_s = t;
    p->last_percent = percent;
    fprintf(stderr, "\rorbnet: %s %3d%%", p->label, percent);
    fflush(stderr);
}

void cli_progress_end(cli_progress_t *p)
{
    if (p->enabled && p->last_percent >= 0)
        fprintf(stderr, "\r%*s\r", (int)strlen(p->label) + 14, "");
    p->enabled = 0;
}
