/* elements.c: catalogues of element sets, the bounded whole-file reader all
 * loaders share, and the loader that recognises TLE, OMM CSV and OMM JSON by
 * their content. */
#include "orbnet/elements.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "orbnet/omm.h"
#include "orbnet/tle.h"

orb_catalog_t *orb_catalog_create(void)
{
    return orb__calloc(1, sizeof(orb_catalog_t));
}

void orb_catalog_destroy(orb_catalog_t *cat)
{
    if (!cat)
        return;
    orb__free(cat->sats);
    orb__free(cat);
}

int orb_catalog_add(orb_catalog_t *cat, const orb_elements_t *el)
{
    void *p = cat->sats;
    if (orb__grow(&p, &cat->capacity, cat->count + 1, sizeof *el) != ORB_OK)
        return ORB_ENOMEM;
    cat->sats = p;
    cat->sats[cat->count++] = *el;
    return ORB_OK;
}

long orb_catalog_find(const orb_catalog_t *cat, long norad_id)
{
    for (size_t i = 0; i < cat->count; i++)
        if (cat->sats[i].norad_id == norad_id)
            return (long)i;
    return -1;
}

void orb_buffer_free(char *data)
{
    orb__free(data);
}

/* Reads up to `limit` bytes (the limit plus one proves a file too big) into
 * buf, growing it; used for pipes and other files whose size stat cannot
 * tell in advance. */
static int read_all(int fd, char **buf, size_t *cap, size_t *len, size_t limit)
{
    for (;;) {
        char probe;
        char *dst = *len + 1 < *cap ? *buf + *len : &probe;
        size_t want = *len + 1 < *cap ? *cap - *len - 1 : 1;
        if (want > limit + 1 - *len)
            want = limit + 1 - *len;
        ssize_t k = read(fd, dst, want);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return ORB_EIO;
        if (k == 0)
            return ORB_OK;
        if (dst == &probe) {
            /* the file grew, or its size was unknown: double the buffer,
             * but never beyond the limit (plus the probe and the NUL) */
            size_t grown = *cap < 4096 ? 4096 : *cap * 2;
            if (grown > limit + 2)
                grown = limit + 2;
            char *p = orb__realloc(*buf, grown);
            if (!p)
                return ORB_ENOMEM;
            *buf = p;
            *cap = grown;
            (*buf)[*len] = probe;
        }
        *len += (size_t)k;
        if (*len > limit)
            return ORB_ETOOBIG;
    }
}

/* Line number (1-based) of byte offset `at` in buf. */
static long line_of(const char *buf, size_t at)
{
    long line = 1;
    const char *p = buf, *end = buf + at;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return line;
}

static int read_fd(int fd, const char *path, char **data, size_t *len,
                   orb_error_t *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "cannot read file: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "is a directory, not a file");
    const size_t limit = (size_t)ORB_MAX_INPUT_BYTES;
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > limit)
        return orb_error_set(err, ORB_ETOOBIG, path, 0, 0, NULL,
                             "file is %lld bytes; the limit is %ld bytes (64 MiB)",
                             (long long)st.st_size, ORB_MAX_INPUT_BYTES);
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 0, n = 0;
    char *buf = cap ? orb__malloc(cap) : NULL;
    if (cap && !buf)
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL,
                             "out of memory reading %zu bytes", cap - 1);
    int rc = read_all(fd, &buf, &cap, &n, limit);
    if (rc == ORB_OK && n > 0 && memchr(buf, '\0', n)) {
        size_t at = (size_t)((char *)memchr(buf, '\0', n) - buf);
        rc = orb_error_set(err, ORB_ESYNTAX, path, line_of(buf, at), 0, NULL,
                           "binary file (NUL byte at offset %zu); expected text",
                           at);
    } else if (rc == ORB_ETOOBIG) {
        orb_error_set(err, rc, path, 0, 0, NULL,
                      "input exceeds the limit of %ld bytes (64 MiB)",
                      ORB_MAX_INPUT_BYTES);
    } else if (rc == ORB_EIO) {
        orb_error_set(err, rc, path, 0, 0, NULL, "cannot read file: %s",
                      strerror(errno));
    } else if (rc == ORB_ENOMEM) {
        orb_error_set(err, rc, path, 0, 0, NULL, "out of memory reading file");
    }
    if (rc != ORB_OK) {
        orb__free(buf);
        return rc;
    }
    if (!buf && !(buf = orb__malloc(1)))
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL,
                             "out of memory reading file");
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return ORB_OK;
}

int orb_file_read(const char *path, char **data, size_t *len, orb_error_t *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL,
                             "cannot open file: %s", strerror(errno));
    int rc = read_fd(fd, path, data, len, err);
    close(fd);
    return rc;
}

enum elset_format { FORMAT_TLE, FORMAT_OMM_CSV, FORMAT_OMM_JSON };

/* Recognises the format from the first non-blank text: '[' or '{' is JSON,
 * a first line naming OMM columns is CSV, anything else is TLE. */
static enum elset_format sniff_format(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                       buf[i] == '\n'))
        i++;
    if (i < len && (buf[i] == '[' || buf[i] == '{'))
        return FORMAT_OMM_JSON;
    const char *eol = memchr(buf + i, '\n', len - i);
    size_t n = eol ? (size_t)(eol - (buf + i)) : len - i;
    const char *line = buf + i;
    if (n >= 11 && memcmp(line, "OBJECT_NAME", 11) == 0)
        return FORMAT_OMM_CSV;
    for (size_t k = 0; k + 12 <= n; k++)
        if (memcmp(line + k, "NORAD_CAT_ID", 12) == 0)
            return FORMAT_OMM_CSV;
    return FORMAT_TLE;
}

int orb_catalog_load(const char *path, orb_catalog_t *cat, orb_error_t *err)
{
    char *buf;
    size_t len;
    int rc = orb_file_read(path, &buf, &len, err);
    if (rc != ORB_OK)
        return rc;
    switch (sniff_format(buf, len)) {
    case FORMAT_OMM_JSON:
        rc = orb_omm_parse_json(buf, len, path, cat, err);
        break;
    case FORMAT_OMM_CSV:
        rc = orb_omm_parse_csv(buf, len, path, cat, err);
        break;
    default:
        rc = orb_tle_parse_buffer(buf, len, path, cat, err);
        break;
    }
    orb_buffer_free(buf);
    return rc;
}
