/* common.h: helpers shared by the orbnet subcommands: option parsing with
 * messages that name the option, element-set and scenario loading with exit
 * code 3 on bad data, a terminal-only progress line, fast fixed-point number
 * formatting and atomic output files. */
#ifndef ORBNET_CLI_COMMON_H
#define ORBNET_CLI_COMMON_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/scenario.h"
#include "orbnet/timeutil.h"

/* ---- messages ---- */

/* Prints "orbnet: MESSAGE" and, on a second line, "see 'orbnet CMD --help'"
 * to stderr; returns EXIT_USAGE so that a command can write
 * `return cli_usage_error(cmd, "...")`. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints "orbnet: MESSAGE" to stderr (no usage hint); returns code. */
int cli_fail(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints err as orb_error_format writes it ("orbnet: FILE:LINE: field 'F':
 * MESSAGE") to stderr; returns code. */
int cli_fail_error(int code, const orb_error_t *err);

/* Why SGP4 refused a satellite, for messages: orb_strerror(status), plus
 * Vallado's code for an orb_sgp4_status ("SGP4: satellite has decayed
 * (error code 6)").  Writes into buf of size n and returns buf. */
char *cli_propagation_reason(int status, char *buf, size_t n);

/* ---- help text ---- */

/* Lines of --help shared by several subcommands (string literals, to be
 * joined with the command's own text). */
#define CLI_HELP_TLE \
"  --tle FILE             element sets: TLE, 3LE, OMM CSV or OMM JSON (by content;\n" \
"                         --omm FILE is a synonym)\n"
#define CLI_HELP_SITE \
"  --site LAT,LON[,ALT_M] site: WGS-84 latitude and longitude in degrees (north\n" \
"                         and east positive), height in metres (default 0)\n"
#define CLI_HELP_EXIT_CODES \
"exit codes: 0 success, 1 failure while running, 2 bad usage,\n" \
"            3 bad input data (the message names file, line, field)\n"

/* ---- options ---- */

/* Returned by cli_getopt after it has printed why the command line is bad. */
#define CLI_OPT_ERROR '?'

/* getopt_long (start with optind = 1) without getopt's own messages: an
 * unknown option or a missing argument is reported as "orbnet: CMD: unknown
 * option '--foo'" and CLI_OPT_ERROR is returned; the caller then returns
 * EXIT_USAGE.  shortopts must start with ':'.  Returns -1 at the end of the
 * options, as getopt_long does. */
int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts);

/* Checks that no positional argument is left after the options (optind ==
 * argc); otherwise prints a usage error.  Returns EXIT_OK or EXIT_USAGE. */
int cli_no_operands(const char *cmd, int argc, char **argv);

/* Takes arg as the command's one element-set file (--tle or --omm): *file
 * must still be NULL, a second file is a usage error.  Returns EXIT_OK or
 * EXIT_USAGE. */
int cli_set_element_file(const char *cmd, const char **file, const char *arg);

/* Checks that the required options were given: bit i of seen stands for
 * names[i] ("--start ISO").  The first one missing is a usage error
 * "missing NAME".  Returns EXIT_OK or EXIT_USAGE. */
int cli_require_options(const char *cmd, unsigned seen, const char *const *names,
                        unsigned n);

/* Takes the scenario file, the one operand left after the options
 * (argv[optind]), into *path.  None, or more than one, is a usage error.
 * Returns EXIT_OK or EXIT_USAGE. */
int cli_scenario_operand(const char *cmd, int argc, char **argv, const char **path);

/* The parsers below return EXIT_OK, or print "orbnet: CMD: OPTION: expected
 * ..., got 'TEXT'" and return EXIT_USAGE.  opt is the option's name as the
 * user typed it ("--duration"); it only serves the message. */

/* A finite decimal number, the whole text (no trailing characters). */
int cli_parse_double(const char *cmd, const char *opt, const char *text, double *out);

/* A finite number > 0 (durations, steps). */
int cli_parse_positive(const char *cmd, const char *opt, const char *text, double *out);

/* An elevation in degrees, [-90, 90]. */
int cli_parse_elevation_deg(const char *cmd, const char *opt, const char *text,
                            double *out_deg);

/* An ISO 8601 UTC instant (see orb_time_parse_iso). */
int cli_parse_time(const char *cmd, const char *opt, const char *text, orb_time_t *out);

/* A ground site "LAT,LON[,ALT_M]": latitude in [-90, 90] degrees, longitude
 * in [-180, 360) degrees (values >= 180 are wrapped into (-180, 180]),
 * height above the WGS-84 ellipsoid in metres in [-1000, 100000],
 * default 0. */
typedef struct cli_site {
    double lat_deg, lon_deg, alt_m;
} cli_site_t;
int cli_parse_site(const char *cmd, const char *opt, const char *text, cli_site_t *out);

/* A comma-separated list of catalogue numbers ("44714,44718"), each in
 * 1..999999.  *ids is malloc'ed (free it); *n receives the count. */
int cli_parse_id_list(const char *cmd, const char *opt, const char *text,
                      long **ids, size_t *n);

/* ---- element sets ---- */

/* Loads an element-set file of any kind (orb_catalog_load auto-detects TLE,
 * 3LE, OMM CSV, OMM JSON) into a new catalogue *out.  On bad data prints
 * "orbnet: FILE:LINE: field 'F': MESSAGE" and returns EXIT_INPUT; when out
 * of memory returns EXIT_RUNTIME.  *out is NULL unless EXIT_OK. */
int cli_load_catalog(const char *path, orb_catalog_t **out);

/* Keeps only the satellites whose numbers are listed in ids (in the file's
 * order).  A number absent from cat is a usage error naming opt and path
 * (EXIT_USAGE); EXIT_RUNTIME when out of memory. */
int cli_catalog_filter(const char *cmd, const char *opt, const char *path,
                       orb_catalog_t *cat, const long *ids, size_t n);

/* cli_load_catalog, then, when ids is not NULL, cli_catalog_filter naming
 * the option --sat.  Returns as they do; *out is NULL unless EXIT_OK. */
int cli_load_selection(const char *cmd, const char *path, const long *ids, size_t n,
                       orb_catalog_t **out);

/* ---- scenarios ---- */

/* Loads a scenario file into *out (see orb_scenario_load).  On bad data
 * prints the error (file, line, field) and returns EXIT_INPUT; when out of
 * memory prints it and returns EXIT_RUNTIME.  *out is NULL unless EXIT_OK. */
int cli_load_scenario(const char *path, orb_scenario_t **out);

/* ---- CSV output ---- */

/* Writes text into dst as one CSV field (quoted, with "" for ", only when it
 * holds a comma, quote or line break).  Returns the characters written, at
 * most 2 * strlen(text) + 2; dst must have room for that plus a NUL. */
size_t cli_csv_field(char *dst, const char *text);

/* Writes v rounded to `decimals` (0..9) fixed decimal places exactly as
 * printf's "%.*f" does (correct rounding, ties to even), except that a
 * result of zero has no minus sign.  |v| >= 1e15, inf and nan are
 * written "%.17g" (orbit data never gets there).  Several times
 * faster than printf, for large outputs.  Returns the characters written
 * (at most 32, no NUL). */
size_t cli_format_fixed(char *dst, double v, int decimals);

/* An output stream: stdout, or a file written atomically (data goes to
 * PATH.tmp.PID, renamed to PATH only when everything was written; SIGINT,
 * SIGTERM or SIGHUP while it is open remove the temporary file before the
 * command ends).  Rows are collected in a large buffer and written in big
 * blocks.  One file output at a time. */
typedef struct cli_out {
    FILE *f;
    const char *path;  /* NULL for stdout */
    char *tmp_path;    /* PATH.tmp.PID, or NULL */
    char *buf;
    size_t len, cap;
    int failed;        /* errno of the first write error, else 0 */
} cli_out_t;

/* Opens path for writing (NULL or "-" means stdout).  Returns EXIT_OK or
 * prints why and returns EXIT_RUNTIME. */
int cli_out_open(cli_out_t *out, const char *path);

/* Room for at least n more bytes at out->buf + out->len (flushing first if
 * needed); returns that pointer.  After writing k bytes there, add k to
 * out->len. */
char *cli_out_reserve(cli_out_t *out, size_t n);

/* Appends n bytes. */
void cli_out_write(cli_out_t *out, const char *data, size_t n);

/* Appends a NUL-terminated string. */
void cli_out_puts(cli_out_t *out, const char *s);

/* Appends formatted text (short rows: at most 1 KB per call). */
void cli_out_printf(cli_out_t *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Flushes and closes.  With ok != 0 and no write error, renames the
 * temporary file into place.  With ok == 0 (the command failed) or after a
 * write error, removes the temporary file: a previous PATH stays untouched.
 * Returns EXIT_OK, or prints the write/rename error and returns
 * EXIT_RUNTIME.  Frees everything cli_out_open allocated. */
int cli_out_close(cli_out_t *out, int ok);

/* ---- progress ---- */

/* A progress line on stderr ("orbnet: LABEL 42%"), drawn only when stderr
 * is a terminal, at most about 5 times a second, and erased at the end, so
 * it never mixes with data or with redirected logs. */
typedef struct cli_progress {
    int enabled;
    const char *label;
    double total;
    double last_draw_s;
    int last_percent;
} cli_progress_t;

void cli_progress_start(cli_progress_t *p, const char *label, double total);
void cli_progress_update(cli_progress_t *p, double done);
void cli_progress_end(cli_progress_t *p);

#endif
