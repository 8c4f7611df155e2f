/* scenario_values.c: value syntax of the scenario file (numbers, angles,
 * booleans, lists, paths, ISL and jam specs), error recording, and the
 * [shell NAME] sections. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "orbnet/frames.h"
#include "scenario_internal.h"

/* ---- parse state and errors ---- */

int scn_ctx_init(scn_ctx_t *c, orb_scenario_t *sc, const char *file,
                 size_t key_count, orb_error_t *err)
{
    memset(c, 0, sizeof *c);
    c->sc = sc;
    c->file = file;
    c->section = -1;
    c->err = err;
    c->key_count = key_count;
    c->seen = orb__calloc(key_count, sizeof *c->seen);
    sc->ini_path = orb__strdup(file);
    const char *slash = strrchr(file, '/');
    if (!slash)
        sc->ini_dir = orb__strdup(".");
    else if (slash == file)
        sc->ini_dir = orb__strdup("/");
    else if ((sc->ini_dir = orb__malloc((size_t)(slash - file) + 1)) != NULL) {
        memcpy(sc->ini_dir, file, (size_t)(slash - file));
        sc->ini_dir[slash - file] = '\0';
    }
    sc->out_dir = orb__strdup("out");
    if (!c->seen || !sc->ini_path || !sc->ini_dir || !sc->out_dir)
        return orb_error_set(err, ORB_ENOMEM, file, 0, 0, NULL, "out of memory");
    return ORB_OK;
}

void scn_ctx_free(scn_ctx_t *c)
{
    orb__free(c->seen);
    orb__free(c->shell_seen);
    orb__free(c->shell_lines);
}

static int vfail(scn_ctx_t *c, long line, const char *key, int code,
                 const char *fmt, va_list ap)
{
    if (c->status != ORB_OK)
        return c->status;
    char msg[sizeof c->err->message];
    vsnprintf(msg, sizeof msg, fmt, ap);
    c->status = code;
    orb_error_set(c->err, code, c->file, line, 0, key, "%s", msg);
    return code;
}

int scn_fail(scn_ctx_t *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, c->line, c->key, code, fmt, ap);
    va_end(ap);
    return rc;
}

int scn_fail_key(scn_ctx_t *c, int code, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, c->line, key, code, fmt, ap);
    va_end(ap);
    return rc;
}

int scn_fail_at(scn_ctx_t *c, long line, const char *key, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, line, key, code, fmt, ap);
    va_end(ap);
    return rc;
}

char *scn_trim(char *s)
{
    while (isspace((unsigned char)*s))
        memmove(s, s + 1, strlen(s));
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

long *scn_seen(scn_ctx_t *c, size_t key_index)
{
    if (c->section == SEC_SHELL)
        return &c->shell_seen[(c->sc->shell_count - 1) * c->key_count + key_index];
    return &c->seen[key_index];
}

/* ---- numbers and words ---- */

/* Strict decimal number: the whole text, finite. */
static int to_double(const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int scn_double(scn_ctx_t *c, const char *v, double lo, double hi, int flags, double *out)
{
    double d;
    if (to_double(v, &d) != 0)
        return scn_fail(c, ORB_ESYNTAX, "expected a finite number, got \"%s\"", v);
    if (d < lo || d > hi || ((flags & SCN_OPEN_LOW) && d == lo))
        return scn_fail(c, ORB_ERANGE, "expected a value in %c%g, %g], got %s",
                        (flags & SCN_OPEN_LOW) ? '(' : '[', lo, hi, v);
    *out = d;
    return ORB_OK;
}

int scn_angle(scn_ctx_t *c, const char *v, double lo_deg, double hi_deg, double *out_rad)
{
    double d;
    int rc = scn_double(c, v, lo_deg, hi_deg, 0, &d);
    if (rc == ORB_OK)
        *out_rad = d * ORB_DEG;
    return rc;
}

int scn_int(scn_ctx_t *c, const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long k = strtol(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE)
        return scn_fail(c, ORB_ESYNTAX, "expected a whole number, got \"%s\"", v);
    if (k < lo || k > hi)
        return scn_fail(c, ORB_ERANGE, "expected a whole number in [%d, %d], got %s",
                        lo, hi, v);
    *out = (int)k;
    return ORB_OK;
}

int scn_enum(scn_ctx_t *c, const char *v, const char *const *words, int *out)
{
    char list[256] = "";
    for (int i = 0; words[i]; i++) {
        if (strcmp(v, words[i]) == 0) {
            *out = i;
            return ORB_OK;
        }
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", i ? " | " : "", words[i]);
    }
    *out = 0;
    return scn_fail(c, ORB_ESYNTAX, "expected %s, got \"%s\"", list, v);
}

int scn_bool(scn_ctx_t *c, const char *v, int *out)
{
    static const char *const words[] = {"off", "on", "no", "yes", "false", "true",
                                        "0", "1", NULL};
    int k;
    int rc = scn_enum(c, v, words, &k);
    *out = k % 2;
    return rc;
}

int scn_string(scn_ctx_t *c, const char *v, char *buf, size_t n)
{
    if (strlen(v) >= n)
        return scn_fail(c, ORB_ERANGE, "longer than %zu characters", n - 1);
    memcpy(buf, v, strlen(v) + 1);
    return ORB_OK;
}

/* ---- lists ---- */

/* Calls fn on each comma-separated item of v, trimmed. */
static int each_item(scn_ctx_t *c, const char *v, const char *seps,
                     int (*fn)(scn_ctx_t *, char *, void *), void *ud)
{
    char buf[SCN_MAX_LINE];
    if (strlen(v) >= sizeof buf)
        return scn_fail(c, ORB_ETOOBIG, "value too long");
    memcpy(buf, v, strlen(v) + 1);
    char *save = NULL;
    int items = 0;
    for (char *tok = strtok_r(buf, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
        scn_trim(tok);
        if (!*tok)
            return scn_fail(c, ORB_ESYNTAX, "empty item in the list \"%s\"", v);
        int rc = fn(c, tok, ud);
        if (rc != ORB_OK)
            return rc;
        items++;
    }
    if (items == 0)
        return scn_fail(c, ORB_ESYNTAX, "expected at least one item");
    return ORB_OK;
}

typedef struct path_list {
    orb_site_role_t role;
    orb_scenario_file_t **files;
    size_t *count;
} path_list_t;

static char *resolve(const char *dir, const char *path)
{
    if (path[0] == '/' || strcmp(dir, ".") == 0)
        return orb__strdup(path);
    size_t n = strlen(dir) + strlen(path) + 2;
    char *p = orb__malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, path);
    return p;
}

static int add_path(scn_ctx_t *c, char *item, void *ud)
{
    path_list_t *pl = ud;
    char *full = resolve(c->sc->ini_dir, item);
    if (!full)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    struct stat st;
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
        scn_fail(c, ORB_ENOTFOUND, "file not found: %s (paths are relative to the "
                 "scenario's folder)", full);
        orb__free(full);
        return c->status;
    }
    size_t cap = *pl->count; /* exact growth: lists are short */
    orb_scenario_file_t *f = orb__realloc(*pl->files, (cap + 1) * sizeof *f);
    if (!f) {
        orb__free(full);
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    }
    f[cap] = (orb_scenario_file_t){full, c->line, pl->role};
    *pl->files = f;
    (*pl->count)++;
    return ORB_OK;
}

int scn_path_list(scn_ctx_t *c, const char *v, orb_site_role_t role,
                  orb_scenario_file_t **files, size_t *count)
{
    path_list_t pl = {role, files, count};
    return each_item(c, v, ",", add_path, &pl);
}

typedef struct id_list {
    long **ids, **lines;
    size_t *count;
} id_list_t;

static int add_id(scn_ctx_t *c, char *item, void *ud)
{
    id_list_t *il = ud;
    int id;
    int rc = scn_int(c, item, 1, 999999, &id);
    if (rc != ORB_OK)
        return rc;
    long *p = orb__realloc(*il->ids, (*il->count + 1) * sizeof *p);
    if (p)
        *il->ids = p;
    long *q = orb__realloc(*il->lines, (*il->count + 1) * sizeof *q);
    if (q)
        *il->lines = q;
    if (!p || !q)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    p[*il->count] = id;
    q[(*il->count)++] = c->line;
    return ORB_OK;
}

int scn_id_list(scn_ctx_t *c, const char *v, long **ids, long **lines, size_t *count)
{
    id_list_t il = {ids, lines, count};
    return each_item(c, v, ", \t", add_id, &il);
}

typedef struct name_list {
    char ***names;
    size_t *count;
} name_list_t;

static int add_name(scn_ctx_t *c, char *item, void *ud)
{
    name_list_t *nl = ud;
    char **p = orb__realloc(*nl->names, (*nl->count + 1) * sizeof *p);
    if (!p)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    *nl->names = p;
    if (!(p[*nl->count] = orb__strdup(item)))
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    (*nl->count)++;
    return ORB_OK;
}

int scn_name_list(scn_ctx_t *c, const char *v, char ***names, size_t *count)
{
    name_list_t nl = {names, count};
    return each_item(c, v, ",", add_name, &nl);
}

/* ---- compound values ---- */

int scn_isl(scn_ctx_t *c, const char *v)
{
    orb_scenario_t *sc = c->sc;
    if (strcmp(v, "none") == 0) {
        sc->isl = ORB_ISL_NONE;
    } else if (strcmp(v, "plus-grid") == 0) {
        sc->isl = ORB_ISL_PLUS_GRID;
    } else if (strncmp(v, "nearest:", 8) == 0) {
        sc->isl = ORB_ISL_NEAREST;
        return scn_int(c, v + 8, 1, 64, &sc->isl_k);
    } else if (strncmp(v, "file:", 5) == 0) {
        sc->isl = ORB_ISL_FILE;
        orb_scenario_file_t *one = NULL;
        size_t n = 0;
        int rc = scn_path_list(c, v + 5, ORB_SITE_FROM_FILE, &one, &n);
        if (rc == ORB_OK && n != 1)
            rc = scn_fail(c, ORB_ESYNTAX, "expected one file after file:");
        if (rc == ORB_OK)
            sc->isl_file = one[0];
        else
            for (size_t i = 0; i < n; i++)
                orb__free(one[i].path);
        orb__free(one);
        return rc;
    } else {
        return scn_fail(c, ORB_ESYNTAX, "expected plus-grid | nearest:K | file:PATH | "
                        "none, got \"%s\"", v);
    }
    return ORB_OK;
}

int scn_jam(scn_ctx_t *c, const char *v)
{
    char buf[256];
    double x[3];
    int n = 0;
    if (strlen(v) >= sizeof buf)
        return scn_fail(c, ORB_ESYNTAX, "expected LAT_DEG, LON_DEG, RADIUS_KM");
    memcpy(buf, v, strlen(v) + 1);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n == 3 || to_double(scn_trim(t), &x[n]) != 0)
            return scn_fail(c, ORB_ESYNTAX, "expected LAT_DEG, LON_DEG, RADIUS_KM, "
                            "got \"%s\"", v);
        n++;
    }
    if (n != 3)
        return scn_fail(c, ORB_ESYNTAX, "expected LAT_DEG, LON_DEG, RADIUS_KM, got \"%s\"", v);
    if (fabs(x[0]) > 90.0 || fabs(x[1]) > 180.0 || x[2] <= 0.0 || x[2] > 20000.0)
        return scn_fail(c, ORB_ERANGE, "expected latitude in [-90, 90], longitude in "
                        "[-180, 180] and radius in (0, 20000] km, got \"%s\"", v);
    orb_scenario_t *sc = c->sc;
    orb_jam_zone_t *z = orb__realloc(sc->jam_zones, (sc->jam_zone_count + 1) * sizeof *z);
    if (!z)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    z[sc->jam_zone_count++] = (orb_jam_zone_t){x[0] * ORB_DEG, x[1] * ORB_DEG, x[2], c->line};
    sc->jam_zones = z;
    return ORB_OK;
}

/* ---- [shell NAME] ---- */

static int valid_shell_name(const char *s)
{
    if (!*s || strlen(s) >= sizeof ((orb_walker_shell_t *)0)->name)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

static int grow_shells(scn_ctx_t *c)
{
    orb_scenario_t *sc = c->sc;
    size_t n = sc->shell_count + 1;
    if (n <= c->shell_cap)
        return ORB_OK;
    size_t cap = c->shell_cap ? 2 * c->shell_cap : 4;
    orb_walker_shell_t *s = orb__realloc(sc->shells, cap * sizeof *s);
    if (s)
        sc->shells = s;
    long *seen = orb__realloc(c->shell_seen, cap * c->key_count * sizeof *seen);
    if (seen)
        c->shell_seen = seen;
    long *lines = orb__realloc(c->shell_lines, cap * sizeof *lines);
    if (lines)
        c->shell_lines = lines;
    if (!s || !seen || !lines)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    c->shell_cap = cap;
    return ORB_OK;
}

int scn_shell_begin(scn_ctx_t *c, const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", name);
    scn_trim(buf);
    if (!valid_shell_name(buf))
        return scn_fail_key(c, ORB_ESYNTAX, "section", "expected [shell NAME] with a "
                            "NAME of 1-63 letters, digits, '_', '-' or '.', got "
                            "[shell %s]", buf);
    orb_scenario_t *sc = c->sc;
    for (size_t i = 0; i < sc->shell_count; i++)
        if (strcmp(sc->shells[i].name, buf) == 0)
            return scn_fail_key(c, ORB_ESYNTAX, "section", "[shell %s] appears twice "
                                "(first at line %ld)", buf, c->shell_lines[i]);
    if (grow_shells(c) != ORB_OK)
        return c->status;
    orb_walker_shell_t *s = &sc->shells[sc->shell_count];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%.63s", buf); /* valid: <= 63 */
    s->raan_spread_rad = 2.0 * M_PI;
    c->shell_lines[sc->shell_count] = c->line;
    memset(&c->shell_seen[sc->shell_count * c->key_count], 0,
           c->key_count * sizeof *c->shell_seen);
    sc->shell_count++;
    c->section = SEC_SHELL;
    return ORB_OK;
}

orb_walker_shell_t *scn_shell(scn_ctx_t *c)
{
    return &c->sc->shells[c->sc->shell_count - 1];
}

static long shell_seen(scn_ctx_t *c, size_t k, const char *key)
{
    return c->shell_seen[k * c->key_count + scn_key_index(SEC_SHELL, key)];
}

static int finish_one_shell(scn_ctx_t *c, size_t k, long *next_id)
{
    static const char *const required[] = {"altitude_km", "inclination_deg", "planes",
                                           "sats_per_plane"};
    orb_walker_shell_t *s = &c->sc->shells[k];
    long line = c->shell_lines[k];
    for (size_t i = 0; i < 4; i++)
        if (!shell_seen(c, k, required[i]))
            return scn_fail_at(c, line, required[i], ORB_ESYNTAX, "[shell %s] needs %s",
                               s->name, required[i]);
    if (s->phasing >= s->planes)
        return scn_fail_at(c, shell_seen(c, k, "phasing"), "phasing", ORB_ERANGE,
                           "expected phasing F in [0, planes - 1 = %d], got %d",
                           s->planes - 1, s->phasing);
    if (!shell_seen(c, k, "epoch"))
        s->epoch = c->sc->start;
    if (!shell_seen(c, k, "first_id"))
        s->first_norad_id = *next_id;
    long total = (long)s->planes * s->sats_per_plane;
    if (s->first_norad_id + total - 1 > 999999)
        return scn_fail_at(c, line, "first_id", ORB_ERANGE, "[shell %s]: catalogue "
                           "numbers %ld..%ld exceed 999999", s->name, s->first_norad_id,
                           s->first_norad_id + total - 1);
    *next_id = s->first_norad_id + total;
    return ORB_OK;
}

int scn_shells_finish(scn_ctx_t *c)
{
    long next_id = 900000;
    for (size_t k = 0; k < c->sc->shell_count; k++) {
        int rc = finish_one_shell(c, k, &next_id);
        if (rc != ORB_OK)
            return rc;
    }
    return ORB_OK;
}

/* ---- the scenario object ---- */

void orb_scenario_init(orb_scenario_t *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->step_s = 1.0;
    sc->incl_max_rad = M_PI;
    sc->alt_max_km = 1e9;
    sc->min_shell_size = 30;
    sc->gateway_antennas = 8;
    sc->min_elevation_rad = 25.0 * ORB_DEG;
    sc->isl = ORB_ISL_PLUS_GRID;
    sc->isl_max_range_km = 5400.0;
    sc->lasers_per_sat = 4;
    sc->grazing_height_km = 80.0;
    sc->assignment = ORB_ASSIGN_MAX_ELEVATION;
    sc->epoch_s = 15.0;
    sc->epoch_offset_s = 12.0;
    sc->mode = ORB_ROUTE_LASER;
    sc->fiber_factor = 1.5;
    sc->fault_seed = 1;
    sc->csv = 1;
    sc->rtt_csv = 1;
    sc->report = 1;
}

static void free_files(orb_scenario_file_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        orb__free(f[i].path);
    orb__free(f);
}

void orb_scenario_clear(orb_scenario_t *sc)
{
    if (!sc)
        return;
    orb__free(sc->ini_path);
    orb__free(sc->ini_dir);
    free_files(sc->element_files, sc->element_file_count);
    free_files(sc->site_files, sc->site_file_count);
    orb__free(sc->isl_file.path);
    orb__free(sc->shells);
    orb__free(sc->dead_sats);
    orb__free(sc->dead_sat_lines);
    for (size_t i = 0; i < sc->gateway_down_count; i++)
        orb__free(sc->gateways_down[i]);
    orb__free(sc->gateways_down);
    orb__free(sc->jam_zones);
    orb__free(sc->out_dir);
    orb_scenario_init(sc);
}

void orb_scenario_destroy(orb_scenario_t *sc)
{
    orb_scenario_clear(sc);
    orb__free(sc);
}
