/* report.c: fills the embedded HTML template with a run's data and the
 * world map, and writes it atomically. */
#include "orbnet/report.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

/* generated at build time from src/report_template.html and
 * data/maps/countries-50m.json by tools/embed.c */
extern const unsigned char orb__report_template[];
extern const unsigned long orb__report_template_len;
extern const unsigned char orb__world_topojson[];
extern const unsigned long orb__world_topojson_len;

#define DATA_MARK "/*ORB_DATA*/null"
#define WORLD_MARK "/*ORB_WORLD*/null"

/* Writes JSON into a <script> element: "</" becomes "<\/" so that no
 * string in the data (a site called "</script>") can end the element. */
static int write_script_json(FILE *f, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '<' && s[i + 1] == '/') {
            if (fwrite(s + start, 1, i + 1 - start, f) != i + 1 - start || fputc('\\', f) == EOF)
                return -1;
            start = i + 1;
        }
    }
    return fwrite(s + start, 1, n - start, f) == n - start ? 0 : -1;
}

static int write_body(FILE *f, const char *data_json)
{
    const char *tpl = (const char *)orb__report_template;
    const char *d = strstr(tpl, DATA_MARK);
    const char *w = d ? strstr(d, WORLD_MARK) : NULL;
    if (!d || !w)
        return -1;
    size_t head = (size_t)(d - tpl);
    const char *mid = d + strlen(DATA_MARK);
    const char *tail = w + strlen(WORLD_MARK);
    if (fwrite(tpl, 1, head, f) != head
        || write_script_json(f, data_json, strlen(data_json)) != 0
        || fwrite(mid, 1, (size_t)(w - mid), f) != (size_t)(w - mid)
        || write_script_json(f, (const char *)orb__world_topojson, orb__world_topojson_len) != 0)
        return -1;
    size_t rest = orb__report_template_len - (size_t)(tail - tpl);
    return fwrite(tail, 1, rest, f) == rest ? 0 : -1;
}

int orb_report_write(const char *path, const char *data_json, orb_error_t *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = orb__malloc(n);
    if (!tmp)
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = ORB_OK;
    if (!f) {
        rc = orb_error_set(err, ORB_EIO, path, 0, 0, NULL, "cannot create the report file");
    } else {
        int bad = write_body(f, data_json);
        if (fclose(f) != 0 || bad)
            rc = orb_error_set(err, ORB_EIO, path, 0, 0, NULL, "cannot write the report file");
        else if (rename(tmp, path) != 0)
            rc = orb_error_set(err, ORB_EIO, path, 0, 0, NULL, "cannot rename the finished report into place");
    }
    if (rc != ORB_OK)
        remove(tmp);
    orb__free(tmp);
    return rc;
}
