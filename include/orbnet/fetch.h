/* fetch.h: current element sets from CelesTrak's GP service (or any server
 * that answers like it): download with libcurl, check with the orbit
 * parsers, and replace a file atomically, never leaving a half-written one. */
#ifndef ORBNET_FETCH_H
#define ORBNET_FETCH_H

#include <stddef.h>

#include "orbnet/elements.h"
#include "orbnet/err.h"
#include "orbnet/timeutil.h"

/* CelesTrak's GP query endpoint; the query "?GROUP=...&FORMAT=..." is
 * appended to it. */
#define ORB_FETCH_DEFAULT_URL "https://celestrak.org/NORAD/elements/gp.php"

/* Environment variable that replaces ORB_FETCH_DEFAULT_URL (see
 * orb_fetch_base_url for the order of precedence). */
#define ORB_FETCH_URL_ENV "ORBNET_CELESTRAK_URL"

/* Whole-transfer time limit used when the caller gives none. */
#define ORB_FETCH_DEFAULT_TIMEOUT_S 120.0

/* The formats CelesTrak serves, by their FORMAT= names. */
typedef enum orb_fetch_format {
    ORB_FETCH_TLE = 0, /* three-line element sets */
    ORB_FETCH_CSV,     /* OMM as CSV */
    ORB_FETCH_JSON     /* OMM as JSON */
} orb_fetch_format_t;

/* What to download.  Initialise with orb_fetch_options_init, then set. */
typedef struct orb_fetch_options {
    const char *base_url;      /* NULL: orb_fetch_base_url(NULL) */
    const char *group;         /* CelesTrak group, e.g. "starlink" */
    orb_fetch_format_t format;
    double timeout_s;          /* limit for the whole transfer, > 0 */
    size_t max_bytes;          /* largest body accepted */
} orb_fetch_options_t;

/* What a successful fetch got (filled as far as it got on failure: url
 * always, http_status once the server answered). */
typedef struct orb_fetch_report {
    char url[2048];            /* the URL requested */
    long http_status;          /* final status after redirects; 0 if none */
    size_t bytes;              /* body size */
    size_t count;              /* element sets in the body */
    orb_time_t epoch_first;    /* earliest epoch among them */
    orb_time_t epoch_last;     /* latest epoch among them */
} orb_fetch_report_t;

/* Defaults: base_url NULL, group "starlink", format TLE, timeout
 * ORB_FETCH_DEFAULT_TIMEOUT_S, max_bytes ORB_MAX_INPUT_BYTES. */
void orb_fetch_options_init(orb_fetch_options_t *opt);

/* "tle", "csv" or "json" (any case) into *fmt: ORB_OK, else ORB_EINVAL. */
int orb_fetch_format_parse(const char *name, orb_fetch_format_t *fmt);

/* The FORMAT= name of fmt: "tle", "csv" or "json". */
const char *orb_fetch_format_name(orb_fetch_format_t fmt);

/* The base URL to use, by precedence: `given` when not NULL and not empty
 * (the --base-url option), else the environment variable
 * ORBNET_CELESTRAK_URL when set and not empty, else ORB_FETCH_DEFAULT_URL.
 * The string returned is not owned by the caller. */
const char *orb_fetch_base_url(const char *given);

/* Writes base_url + "?GROUP=group&FORMAT=fmt" (with '&' instead of '?' when
 * base_url already has a query) into url[n].  base_url must start with
 * http:// or https://; group may hold only letters, digits, '-', '_' and
 * '.'.  Returns ORB_OK, or ORB_EINVAL (bad URL or group; *err says which)
 * or ORB_ETOOBIG (does not fit in n). */
int orb_fetch_build_url(const char *base_url, const char *group,
                        orb_fetch_format_t fmt, char *url, size_t n,
                        orb_error_t *err);

/* Downloads url (http or https only, redirects followed, User-Agent
 * "orbnet/VERSION", gzip accepted) into a NUL-terminated heap buffer *data
 * of *len bytes, which the caller frees with orb_buffer_free.  Gives up
 * after timeout_s seconds for the whole transfer.  *http_status (may be
 * NULL) receives the final status, 0 if no answer came.  Fails with
 * ORB_ENET on a transfer error, a timeout or an HTTP status outside
 * 200..299, ORB_ETOOBIG when the body exceeds max_bytes, ORB_ENOMEM; then
 * *data is NULL and *err names the URL (as its file) and the reason. */
int orb_fetch_download(const char *url, double timeout_s, size_t max_bytes,
                       char **data, size_t *len, long *http_status,
                       orb_error_t *err);

/* Parses data[len] as element sets in fmt with the orbit parsers
 * (orb_tle_parse_buffer, orb_omm_parse_csv, orb_omm_parse_json) and appends
 * them to cat.  source (e.g. the URL) is used as the file name in *err.
 * Rejects NUL bytes (ORB_ESYNTAX) and bodies without element sets
 * (ORB_EEMPTY); otherwise returns what the parser returns, with line and
 * field in *err.  On failure cat is unchanged. */
int orb_fetch_validate(const char *data, size_t len, orb_fetch_format_t fmt,
                       const char *source, orb_catalog_t *cat,
                       orb_error_t *err);

/* Replaces the file at path with data[len] atomically: writes
 * PATH.tmp.PID in the same folder, fsyncs it, renames it over path and
 * fsyncs the folder.  An existing file keeps its permission bits; when path
 * is a symbolic link, the file it points to is replaced (in its own folder)
 * and the link stays.  SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT are held back (in the calling thread) for
 * that short window so that an interrupt cannot leave the temporary file
 * behind.  On failure (ORB_EIO, ORB_ENOMEM) the old file is untouched, no
 * temporary file is left, and *err names the file and the reason. */
int orb_fetch_write_atomic(const char *path, const char *data, size_t len,
                           orb_error_t *err);

/* Builds the URL from opt, downloads and validates.  On success *data
 * (free with orb_buffer_free) holds the exact bytes received and *rep the
 * count and epoch range.  On failure *data is NULL and the status tells the
 * stage: ORB_EINVAL (options), ORB_ENET / ORB_ETOOBIG / ORB_ENOMEM
 * (download), or a parser status such as ORB_ESYNTAX, ORB_ERANGE,
 * ORB_ECHECKSUM, ORB_EEMPTY (the server sent data that does not parse;
 * *err has the URL as file, the line and the field).  rep may be NULL. */
int orb_fetch_get(const orb_fetch_options_t *opt, char **data, size_t *len,
                  orb_fetch_report_t *rep, orb_error_t *err);

/* orb_fetch_get, then orb_fetch_write_atomic(path).  Before downloading,
 * checks that path's folder is writable and path is not a folder (ORB_EIO).
 * On any failure the file at path is as it was. */
int orb_fetch_to_file(const orb_fetch_options_t *opt, const char *path,
                      orb_fetch_report_t *rep, orb_error_t *err);

#endif
