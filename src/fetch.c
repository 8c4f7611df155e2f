/* fetch.c: element sets over HTTP(S): libcurl downloads into memory, the
 * orbit parsers check the body, and only then is a file replaced, through a
 * temporary file in the same folder that is fsynced and renamed. */
#include "orbnet/fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "orbnet/omm.h"
#include "orbnet/tle.h"

#ifndef ORBNET_VERSION
#define ORBNET_VERSION "unknown"
#endif

#define NFORMATS 3
static const char *const format_names[NFORMATS] = {"tle", "csv", "json"};

/* A connection attempt that has not succeeded in this time will not; the
 * rest of the time limit is left for the transfer itself. */
#define CONNECT_TIMEOUT_MS 30000L

void orb_fetch_options_init(orb_fetch_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->group = "starlink";
    opt->format = ORB_FETCH_TLE;
    opt->timeout_s = ORB_FETCH_DEFAULT_TIMEOUT_S;
    opt->max_bytes = (size_t)ORB_MAX_INPUT_BYTES;
}

int orb_fetch_format_parse(const char *name, orb_fetch_format_t *fmt)
{
    for (int i = 0; name && i < NFORMATS; i++) {
        if (strcasecmp(name, format_names[i]) == 0) {
            *fmt = (orb_fetch_format_t)i;
            return ORB_OK;
        }
    }
    return ORB_EINVAL;
}

const char *orb_fetch_format_name(orb_fetch_format_t fmt)
{
    return (unsigned)fmt < NFORMATS ? format_names[fmt] : "unknown";
}

const char *orb_fetch_base_url(const char *given)
{
    if (given && given[0])
        return given;
    const char *env = getenv(ORB_FETCH_URL_ENV);
    if (env && env[0])
        return env;
    return ORB_FETCH_DEFAULT_URL;
}

/* CelesTrak group names are short words ("starlink", "gps-ops"); allowing
 * only these characters means the query needs no escaping. */
static int group_is_valid(const char *g)
{
    if (!g || !g[0] || strlen(g) > 64)
        return 0;
    for (; *g; g++)
        if (!isalnum((unsigned char)*g) && !strchr("-_.", *g))
            return 0;
    return 1;
}

static int url_is_valid(const char *u)
{
    if (!u || (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0))
        return 0;
    for (; *u; u++)
        if ((unsigned char)*u <= ' ' || *u == 0x7f)
            return 0;
    return 1;
}

int orb_fetch_build_url(const char *base_url, const char *group,
                        orb_fetch_format_t fmt, char *url, size_t n,
                        orb_error_t *err)
{
    if (!url_is_valid(base_url))
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "base URL",
                             "expected an http:// or https:// URL without blanks, got '%s'",
                             base_url ? base_url : "");
    if (!group_is_valid(group))
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "group",
                             "expected a CelesTrak group name (letters, digits, '-', '_', '.'), got '%s'",
                             group ? group : "");
    if ((unsigned)fmt >= NFORMATS)
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, "format",
                             "expected tle, csv or json");
    size_t blen = strlen(base_url);
    const char *sep = !strchr(base_url, '?') ? "?"
                      : strchr("?&", base_url[blen - 1]) ? "" : "&";
    int k = snprintf(url, n, "%s%sGROUP=%s&FORMAT=%s", base_url, sep, group,
                     format_names[fmt]);
    if (k < 0 || (size_t)k >= n)
        return orb_error_set(err, ORB_ETOOBIG, NULL, 0, 0, "base URL",
                             "the URL would be longer than %zu characters",
                             n ? n - 1 : 0);
    return ORB_OK;
}

/* ---- download ---- */

typedef struct body {
    char *buf;
    size_t len, cap, max;
    int too_big, no_memory;
} body_t;

/* libcurl's write callback: appends to the body, keeping it NUL-terminated;
 * returning less than it was given makes libcurl abort the transfer. */
static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    body_t *b = ud;
    size_t n = size * nmemb; /* size is always 1 */
    if (n > b->max - b->len) {
        b->too_big = 1;
        return 0;
    }
    void *q = b->buf;
    if (orb__grow(&q, &b->cap, b->len + n + 1, 1) != ORB_OK) {
        b->no_memory = 1;
        return 0;
    }
    b->buf = q;
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static CURLcode setup(CURL *h, const char *url, long timeout_ms, body_t *b,
                      char *errbuf)
{
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                       \
    do {                                                                    \
        if (rc == CURLE_OK)                                                 \
            rc = curl_easy_setopt(h, opt, val);                             \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_NOSIGNAL, 1L); /* timeouts without SIGALRM: thread-safe */
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_USERAGENT, "orbnet/" ORBNET_VERSION);
    SET(CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
    SET(CURLOPT_TIMEOUT_MS, timeout_ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS,
        timeout_ms < CONNECT_TIMEOUT_MS ? timeout_ms : CONNECT_TIMEOUT_MS);
    /* refuses at once a body whose announced length is over the cap;
     * on_data enforces the cap when no length is announced */
    curl_off_t cap = (curl_off_t)b->max;
    if (cap >= 0 && (size_t)cap == b->max)
        SET(CURLOPT_MAXFILESIZE_LARGE, cap);
    SET(CURLOPT_WRITEFUNCTION, on_data);
    SET(CURLOPT_WRITEDATA, b);
#undef SET
    return rc;
}

/* The first line of a plain-text error body (servers such as CelesTrak
 * explain a refusal there), printable ASCII only, at most n - 1 bytes; ""
 * for HTML or binary bodies. */
static void error_excerpt(const body_t *b, char *out, size_t n)
{
    size_t k = 0;
    if (b->buf && b->buf[0] != '<')
        for (size_t i = 0; i < b->len && k + 1 < n; i++) {
            char c = b->buf[i];
            if (c == '\n' || c == '\r' || (unsigned char)c < ' ' || (unsigned char)c > '~')
                break;
            out[k++] = c;
        }
    out[k] = '\0';
}

/* Turns the outcome of a transfer into a status and a message, an HTTP
 * error first: the server's own verdict is the most telling reason. */
static int transfer_status(CURLcode rc, long status, const body_t *b,
                           const char *url, double timeout_s,
                           const char *errbuf, orb_error_t *err)
{
    char why_server[200];
    error_excerpt(b, why_server, sizeof why_server);
    if (status >= 400)
        return orb_error_set(err, ORB_ENET, url, 0, 0, NULL,
                             "the server answered HTTP status %ld%s%s", status,
                             why_server[0] ? ": " : "", why_server);
    if (b->too_big || rc == CURLE_FILESIZE_EXCEEDED)
        return orb_error_set(err, ORB_ETOOBIG, url, 0, 0, NULL,
                             "the response is larger than the limit of %zu bytes",
                             b->max);
    if (b->no_memory || rc == CURLE_OUT_OF_MEMORY)
        return orb_error_set(err, ORB_ENOMEM, url, 0, 0, NULL,
                             "out of memory after %zu bytes of the response", b->len);
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return orb_error_set(err, ORB_ENET, url, 0, 0, NULL,
                             "download failed: time limit of %g s reached (%s)",
                             timeout_s, why);
    if (rc != CURLE_OK)
        return orb_error_set(err, ORB_ENET, url, 0, 0, NULL,
                             "download failed: %s", why);
    if (status < 200 || status >= 300)
        return orb_error_set(err, ORB_ENET, url, 0, 0, NULL,
                             "the server answered HTTP status %ld, not data", status);
    return ORB_OK;
}

int orb_fetch_download(const char *url, double timeout_s, size_t max_bytes,
                       char **data, size_t *len, long *http_status,
                       orb_error_t *err)
{
    *data = NULL;
    *len = 0;
    if (http_status)
        *http_status = 0;
    if (!url_is_valid(url))
        return orb_error_set(err, ORB_EINVAL, url, 0, 0, NULL,
                             "expected an http:// or https:// URL");
    if (!(timeout_s > 0.0 && timeout_s <= 1e6))
        return orb_error_set(err, ORB_EINVAL, url, 0, 0, NULL,
                             "time limit must be in (0, 1e6] s, got %g", timeout_s);
    pthread_once(&curl_once, curl_init);
    CURL *h = curl_init_rc == CURLE_OK ? curl_easy_init() : NULL;
    if (!h)
        return orb_error_set(err, ORB_ENET, url, 0, 0, NULL,
                             "libcurl could not be initialised");
    body_t b = {.max = max_bytes};
    char errbuf[CURL_ERROR_SIZE] = "";
    long timeout_ms = (long)(timeout_s * 1000.0 + 0.5);
    CURLcode rc = setup(h, url, timeout_ms > 0 ? timeout_ms : 1, &b, errbuf);
    if (rc == CURLE_OK)
        rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (http_status)
        *http_status = status;
    int st = transfer_status(rc, status, &b, url, timeout_s, errbuf, err);
    if (st == ORB_OK && !b.buf && !(b.buf = orb__calloc(1, 1)))
        st = orb_error_set(err, ORB_ENOMEM, url, 0, 0, NULL, "out of memory");
    if (st != ORB_OK) {
        orb__free(b.buf);
        return st;
    }
    *data = b.buf;
    *len = b.len;
    return ORB_OK;
}

/* ---- validation ---- */

static long line_at(const char *buf, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        line += buf[i] == '\n';
    return line;
}

int orb_fetch_validate(const char *data, size_t len, orb_fetch_format_t fmt,
                       const char *source, orb_catalog_t *cat,
                       orb_error_t *err)
{
    if ((!data && len) || !cat || (unsigned)fmt >= NFORMATS)
        return orb_error_set(err, ORB_EINVAL, source, 0, 0, NULL,
                             "invalid arguments to orb_fetch_validate");
    const char *nul = len ? memchr(data, '\0', len) : NULL;
    if (nul)
        return orb_error_set(err, ORB_ESYNTAX, source,
                             line_at(data, (size_t)(nul - data)), 0, NULL,
                             "binary data (NUL byte at offset %zu); expected %s text",
                             (size_t)(nul - data), format_names[fmt]);
    size_t before = cat->count;
    const char *d = data ? data : "";
    int rc;
    switch (fmt) {
    case ORB_FETCH_CSV: rc = orb_omm_parse_csv(d, len, source, cat, err); break;
    case ORB_FETCH_JSON: rc = orb_omm_parse_json(d, len, source, cat, err); break;
    default: rc = orb_tle_parse_buffer(d, len, source, cat, err); break;
    }
    if (rc == ORB_OK && cat->count == before)
        rc = orb_error_set(err, ORB_EEMPTY, source, 0, 0, NULL,
                           "no element sets in the data");
    return rc;
}

/* ---- atomic replacement ---- */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, data, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        data += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Creates tmp exclusively (a leftover of a killed process that had our pid
 * is removed once), with path's permission bits when path exists. */
static int open_temp(const char *tmp, const char *path)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    struct stat st;
    if (fd >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        (void)fchmod(fd, st.st_mode & 07777);
    return fd;
}

static int write_temp(const char *tmp, const char *target, const char *path,
                      const char *data, size_t len, orb_error_t *err)
{
    int fd = open_temp(tmp, target);
    if (fd < 0)
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "cannot create the temporary file '%s': %s", tmp,
                             strerror(errno));
    int e = 0;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0)
        return ORB_OK;
    unlink(tmp);
    return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                         "cannot write the temporary file '%s': %s", tmp, strerror(e));
}

/* Writes the folder holding path into `dir` ("." when path has no slash). */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* Makes the rename itself durable; failure here loses nothing that the
 * caller could act on, so it is not reported. */
static void sync_folder(const char *path)
{
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Writes data to tmp and renames it to target, with the usual signals held
 * back so that an interrupt cannot strand the temporary file. */
static int replace(const char *target, const char *tmp, const char *path,
                   const char *data, size_t len, orb_error_t *err)
{
    sigset_t hold, old;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigaddset(&hold, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &hold, &old);
    int rc = write_temp(tmp, target, path, data, len, err);
    if (rc == ORB_OK && rename(tmp, target) != 0) {
        rc = orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                           "cannot rename '%s' to '%s': %s", tmp, target, strerror(errno));
        unlink(tmp);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int orb_fetch_write_atomic(const char *path, const char *data, size_t len,
                           orb_error_t *err)
{
    if (!path || !path[0] || (!data && len))
        return orb_error_set(err, ORB_EINVAL, path, 0, 0, NULL,
                             "expected a file name and data");
    /* a symbolic link stays a link: its target is replaced, in the
     * target's folder (where the rename is atomic) */
    struct stat st;
    char *resolved = lstat(path, &st) == 0 && S_ISLNK(st.st_mode)
                         ? realpath(path, NULL) : NULL;
    const char *target = resolved ? resolved : path;
    size_t n = strlen(target) + 32;
    char *tmp = orb__malloc(n);
    if (!tmp) {
        free(resolved);
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    snprintf(tmp, n, "%s.tmp.%ld", target, (long)getpid());
    int rc = replace(target, tmp, path, data ? data : "", len, err);
    if (rc == ORB_OK)
        sync_folder(target);
    free(resolved);
    orb__free(tmp);
    return rc;
}

/* ---- the whole fetch ---- */

static void summarise(const orb_catalog_t *cat, orb_fetch_report_t *rep)
{
    rep->count = cat->count;
    for (size_t i = 0; i < cat->count; i++) {
        orb_time_t t = cat->sats[i].epoch;
        if (i == 0 || orb_time_diff_s(t, rep->epoch_first) < 0.0)
            rep->epoch_first = t;
        if (i == 0 || orb_time_diff_s(t, rep->epoch_last) > 0.0)
            rep->epoch_last = t;
    }
}

int orb_fetch_get(const orb_fetch_options_t *opt, char **data, size_t *len,
                  orb_fetch_report_t *rep, orb_error_t *err)
{
    orb_fetch_report_t scratch;
    if (!rep)
        rep = &scratch;
    memset(rep, 0, sizeof *rep);
    *data = NULL;
    *len = 0;
    int rc = orb_fetch_build_url(orb_fetch_base_url(opt->base_url), opt->group,
                                 opt->format, rep->url, sizeof rep->url, err);
    char *buf = NULL;
    size_t n = 0;
    if (rc == ORB_OK)
        rc = orb_fetch_download(rep->url, opt->timeout_s, opt->max_bytes, &buf,
                                &n, &rep->http_status, err);
    if (rc != ORB_OK)
        return rc;
    rep->bytes = n;
    orb_catalog_t *cat = orb_catalog_create();
    rc = cat ? orb_fetch_validate(buf, n, opt->format, rep->url, cat, err)
             : orb_error_set(err, ORB_ENOMEM, rep->url, 0, 0, NULL, "out of memory");
    if (rc == ORB_OK) {
        summarise(cat, rep);
        *data = buf;
        *len = n;
    } else {
        orb_buffer_free(buf);
    }
    orb_catalog_destroy(cat);
    return rc;
}

/* Fails early, before a possibly long download, when the result could not
 * be written anyway. */
static int check_destination(const char *path, orb_error_t *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "is a folder; expected a file name");
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    if (access(dir, W_OK | X_OK) != 0)
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "cannot write in the folder '%s': %s", dir, strerror(errno));
    return ORB_OK;
}

int orb_fetch_to_file(const orb_fetch_options_t *opt, const char *path,
                      orb_fetch_report_t *rep, orb_error_t *err)
{
    if (!path || !path[0])
        return orb_error_set(err, ORB_EINVAL, NULL, 0, 0, NULL,
                             "expected an output file name");
    int rc = check_destination(path, err);
    char *data = NULL;
    size_t len = 0;
    if (rc == ORB_OK)
        rc = orb_fetch_get(opt, &data, &len, rep, err);
    if (rc == ORB_OK)
        rc = orb_fetch_write_atomic(path, data, len, err);
    orb_buffer_free(data);
    return rc;
}
