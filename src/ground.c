/* ground.c: ground sites (terminals, gateways, PoPs) from CSV files into
 * structure-of-arrays form, PoP resolution, fibre delays and fault masks. */
#include "orbnet/ground.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "orbnet/elements.h"

orb_ground_t *orb_ground_create(void)
{
    return orb__calloc(1, sizeof(orb_ground_t));
}

static void free_site_strings(orb_ground_t *g, size_t from)
{
    for (size_t i = from; i < g->count; i++) {
        orb__free(g->name[i]);
        orb__free(g->pop_name[i]);
        orb__free(g->source_file[i]);
    }
}

void orb_ground_destroy(orb_ground_t *g)
{
    if (!g)
        return;
    free_site_strings(g, 0);
    void *arrays[] = {g->name, g->lat_rad, g->lon_rad, g->alt_km, g->topo, g->role,
                      g->antennas, g->pop, g->pop_name, g->source_file, g->source_line,
                      g->terminals, g->gateways, g->pops, g->name_slots};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        orb__free(arrays[i]);
    orb__free(g);
}

/* Grows every per-site array to hold n sites. */
static int reserve(orb_ground_t *g, size_t n)
{
    if (n <= g->capacity)
        return ORB_OK;
    size_t cap = g->capacity ? 2 * g->capacity : 32;
    while (cap < n)
        cap *= 2;
    struct { void **p; size_t size; } arrays[] = {
        {(void **)&g->name, sizeof *g->name}, {(void **)&g->lat_rad, sizeof *g->lat_rad},
        {(void **)&g->lon_rad, sizeof *g->lon_rad}, {(void **)&g->alt_km, sizeof *g->alt_km},
        {(void **)&g->topo, sizeof *g->topo}, {(void **)&g->role, sizeof *g->role},
        {(void **)&g->antennas, sizeof *g->antennas}, {(void **)&g->pop, sizeof *g->pop},
        {(void **)&g->pop_name, sizeof *g->pop_name},
        {(void **)&g->source_file, sizeof *g->source_file},
        {(void **)&g->source_line, sizeof *g->source_line}};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        void *p = orb__realloc(*arrays[i].p, cap * arrays[i].size);
        if (!p)
            return ORB_ENOMEM; /* arrays already grown stay valid */
        *arrays[i].p = p;
    }
    g->capacity = cap;
    return ORB_OK;
}

/* ---- name index: files of 100,000 sites must not take n^2 compares ---- */

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void index_put(size_t *slots, size_t cap, const char *name, size_t i)
{
    size_t k = name_hash(name) & (cap - 1);
    while (slots[k])
        k = (k + 1) & (cap - 1);
    slots[k] = i + 1;
}

/* Makes the index cover sites [0, count + 1): rebuilt when it must grow or
 * when sites were rolled back since it was filled. */
static int index_reserve(orb_ground_t *g)
{
    size_t need = 2 * (g->count + 1);
    if (g->name_slot_cap >= need && g->name_indexed <= g->count)
        return ORB_OK;
    size_t cap = g->name_slot_cap >= need ? g->name_slot_cap : 64;
    while (cap < need)
        cap *= 2;
    size_t *slots = orb__calloc(cap, sizeof *slots);
    if (!slots)
        return ORB_ENOMEM;
    for (size_t i = 0; i < g->count; i++)
        index_put(slots, cap, g->name[i], i);
    orb__free(g->name_slots);
    g->name_slots = slots;
    g->name_slot_cap = cap;
    g->name_indexed = g->count;
    return ORB_OK;
}

long orb_ground_find(const orb_ground_t *g, const char *name)
{
    if (g->name_indexed != g->count || !g->name_slots) {
        for (size_t i = 0; i < g->count; i++)
            if (strcmp(g->name[i], name) == 0)
                return (long)i;
        return -1;
    }
    size_t cap = g->name_slot_cap;
    for (size_t k = name_hash(name) & (cap - 1); g->name_slots[k]; k = (k + 1) & (cap - 1)) {
        size_t i = g->name_slots[k] - 1;
        if (strcmp(g->name[i], name) == 0)
            return (long)i;
    }
    return -1;
}

static int check_site(const orb_ground_t *g, const char *name, double lat, double lon,
                      int antennas, const char *file, long line, orb_error_t *err)
{
    if (!name || !*name)
        return orb_error_set(err, ORB_ESYNTAX, file, line, 0, "name", "empty site name");
    if (!(fabs(lat) <= M_PI / 2))
        return orb_error_set(err, ORB_ERANGE, file, line, 0, "lat",
                             "expected a latitude in [-90, 90] degrees");
    if (!(fabs(lon) <= M_PI))
        return orb_error_set(err, ORB_ERANGE, file, line, 0, "lon",
                             "expected a longitude in [-180, 180] degrees");
    if (antennas < 0)
        return orb_error_set(err, ORB_ERANGE, file, line, 0, "antennas",
                             "expected a number of antennas >= 0");
    long dup = orb_ground_find(g, name);
    if (dup >= 0)
        return orb_error_set(err, ORB_ESYNTAX, file, line, 0, "name",
                             "site \"%s\" is already defined at %s:%ld", name,
                             g->source_file[dup], g->source_line[dup]);
    return ORB_OK;
}

int orb_ground_add(orb_ground_t *g, const char *name, double lat_rad, double lon_rad,
                   double alt_km, orb_site_role_t role, int antennas,
                   const char *pop_name, const char *file, long line, orb_error_t *err)
{
    int rc = check_site(g, name, lat_rad, lon_rad, antennas, file, line, err);
    if (rc == ORB_OK && !isfinite(alt_km))
        rc = orb_error_set(err, ORB_ERANGE, file, line, 0, "alt_m", "expected a finite height");
    if (rc == ORB_OK && role != ORB_SITE_TERMINAL && role != ORB_SITE_GATEWAY &&
        role != ORB_SITE_POP)
        rc = orb_error_set(err, ORB_EINVAL, file, line, 0, "role", "invalid role");
    if (rc != ORB_OK)
        return rc;
    if (reserve(g, g->count + 1) != ORB_OK || index_reserve(g) != ORB_OK)
        return orb_error_set(err, ORB_ENOMEM, file, line, 0, NULL, "out of memory");
    size_t i = g->count;
    g->name[i] = orb__strdup(name);
    g->pop_name[i] = pop_name && *pop_name ? orb__strdup(pop_name) : NULL;
    g->source_file[i] = orb__strdup(file ? file : "");
    if (!g->name[i] || !g->source_file[i] || (pop_name && *pop_name && !g->pop_name[i])) {
        orb__free(g->name[i]);
        orb__free(g->pop_name[i]);
        orb__free(g->source_file[i]);
        return orb_error_set(err, ORB_ENOMEM, file, line, 0, NULL, "out of memory");
    }
    g->lat_rad[i] = lat_rad;
    g->lon_rad[i] = lon_rad;
    g->alt_km[i] = alt_km;
    orb_topo_init(&g->topo[i], lat_rad, lon_rad, alt_km);
    g->role[i] = role;
    g->antennas[i] = antennas;
    g->pop[i] = -1;
    g->source_line[i] = line;
    index_put(g->name_slots, g->name_slot_cap, g->name[i], i);
    g->count++;
    g->name_indexed = g->count;
    return ORB_OK;
}

/* ---- CSV ---- */

#define MAX_FIELDS 64

/* Splits one record in place into fields (double quotes protect commas;
 * "" inside quotes is a quote).  Returns the number of fields, -1 for an
 * unterminated quote, -2 for text after a closing quote, -3 when there are
 * more than max fields. */
static int csv_split(char *s, char **fields, int max)
{
    int n = 0;
    char *r = s, *w = s;
    for (;;) {
        if (n == max)
            return -3;
        fields[n++] = w;
        while (*r == ' ' || *r == '\t')
            r++;
        if (*r == '"') {
            for (r++;; r++) {
                if (!*r)
                    return -1;
                if (*r == '"' && r[1] != '"')
                    break;
                if (*r == '"')
                    r++;
                *w++ = *r;
            }
            r++;
            while (*r == ' ' || *r == '\t')
                r++;
            if (*r && *r != ',')
                return -2;
        } else {
            while (*r && *r != ',')
                *w++ = *r++;
        }
        int more = *r == ',';
        if (*r)
            r++;
        *w++ = '\0';
        if (!more)
            return n;
    }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

typedef struct csv_cols {
    int name, lat, lon, alt, role, antennas, pop, needed;
} csv_cols_t;

static void set_col(int *col, int i, int *needed)
{
    if (*col < 0) {
        *col = i;
        if (i + 1 > *needed)
            *needed = i + 1;
    }
}

static int read_header(char *line, csv_cols_t *c, const char *file, long lineno,
                       orb_site_role_t default_role, orb_error_t *err)
{
    char *f[MAX_FIELDS];
    int n = csv_split(line, f, MAX_FIELDS);
    if (n < 0)
        return orb_error_set(err, ORB_ESYNTAX, file, lineno, 0, NULL, "malformed header row");
    *c = (csv_cols_t){-1, -1, -1, -1, -1, -1, -1, 0};
    for (int i = 0; i < n; i++) {
        const char *h = trim(f[i]);
        int *col = !strcasecmp(h, "name") ? &c->name : !strcasecmp(h, "lat") ? &c->lat
                 : !strcasecmp(h, "lon") ? &c->lon : !strcasecmp(h, "alt_m") ? &c->alt
                 : (!strcasecmp(h, "role") || !strcasecmp(h, "kind")) ? &c->role
                 : !strcasecmp(h, "antennas") ? &c->antennas
                 : !strcasecmp(h, "pop") ? &c->pop : NULL;
        if (col)
            set_col(col, i, &c->needed);
    }
    const char *missing = c->name < 0 ? "name" : c->lat < 0 ? "lat" : c->lon < 0 ? "lon"
                        : (c->role < 0 && default_role == ORB_SITE_FROM_FILE) ? "role" : NULL;
    if (missing)
        return orb_error_set(err, ORB_ESYNTAX, file, lineno, 0, missing,
                             "the header row has no '%s' column (expected name,lat,lon"
                             "[,alt_m],role; 'kind' may stand for 'role')", missing);
    return ORB_OK;
}

/* A number field: ORB_ESYNTAX when not a number, ORB_ERANGE when NaN/inf. */
static int number(const char *text, double *out, const char *file, long line,
                  const char *field, orb_error_t *err)
{
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    if (end == text || *end != '\0')
        return orb_error_set(err, ORB_ESYNTAX, file, line, 0, field,
                             "expected a number, got \"%s\"", text);
    if (!isfinite(d) || errno == ERANGE)
        return orb_error_set(err, ORB_ERANGE, file, line, 0, field,
                             "expected a finite number, got \"%s\"", text);
    *out = d;
    return ORB_OK;
}

static int parse_role(const char *text, orb_site_role_t def, orb_site_role_t *out,
                      const char *file, long line, orb_error_t *err)
{
    if (!*text && def != ORB_SITE_FROM_FILE)
        *out = def;
    else if (!strcasecmp(text, "terminal"))
        *out = ORB_SITE_TERMINAL;
    else if (!strcasecmp(text, "gateway"))
        *out = ORB_SITE_GATEWAY;
    else if (!strcasecmp(text, "pop"))
        *out = ORB_SITE_POP;
    else
        return orb_error_set(err, ORB_ESYNTAX, file, line, 0, "role",
                             "expected terminal, gateway or pop, got \"%s\"", text);
    return ORB_OK;
}

static int parse_antennas(const char *text, orb_site_role_t role, int def, int *out,
                          const char *file, long line, orb_error_t *err)
{
    *out = role == ORB_SITE_GATEWAY ? def : role == ORB_SITE_TERMINAL ? 1 : 0;
    if (role != ORB_SITE_GATEWAY || !*text)
        return ORB_OK;
    char *end;
    long k = strtol(text, &end, 10);
    if (end == text || *end)
        return orb_error_set(err, ORB_ESYNTAX, file, line, 0, "antennas",
                             "expected a whole number, got \"%s\"", text);
    if (k < 1 || k > 1000)
        return orb_error_set(err, ORB_ERANGE, file, line, 0, "antennas",
                             "expected 1..1000 antennas, got %ld", k);
    *out = (int)k;
    return ORB_OK;
}

static const char *field_or_empty(char **f, int n, int col)
{
    return col >= 0 && col < n ? trim(f[col]) : "";
}

static int read_row(orb_ground_t *g, char *line, const csv_cols_t *c, const char *file,
                    long lineno, orb_site_role_t def_role, int def_antennas,
                    orb_error_t *err)
{
    char *f[MAX_FIELDS];
    int n = csv_split(line, f, MAX_FIELDS);
    if (n < 0)
        return orb_error_set(err, ORB_ESYNTAX, file, lineno, 0, NULL, n == -1 ?
                             "unterminated quoted field" : n == -2 ?
                             "text after a closing quote" : "too many fields");
    if (n < c->needed)
        return orb_error_set(err, ORB_ESYNTAX, file, lineno, 0, NULL,
                             "expected at least %d fields, found %d", c->needed, n);
    double lat, lon, alt_m = 0.0;
    int rc = number(field_or_empty(f, n, c->lat), &lat, file, lineno, "lat", err);
    if (rc == ORB_OK)
        rc = number(field_or_empty(f, n, c->lon), &lon, file, lineno, "lon", err);
    const char *alt = field_or_empty(f, n, c->alt);
    if (rc == ORB_OK && *alt)
        rc = number(alt, &alt_m, file, lineno, "alt_m", err);
    orb_site_role_t role = def_role;
    if (rc == ORB_OK && (c->role >= 0 || def_role == ORB_SITE_FROM_FILE))
        rc = parse_role(field_or_empty(f, n, c->role), def_role, &role, file, lineno, err);
    int antennas = 0;
    if (rc == ORB_OK)
        rc = parse_antennas(field_or_empty(f, n, c->antennas), role, def_antennas,
                            &antennas, file, lineno, err);
    if (rc != ORB_OK)
        return rc;
    if (alt_m < -500.0 || alt_m > 9000.0)
        return orb_error_set(err, ORB_ERANGE, file, lineno, 0, "alt_m",
                             "expected a height in [-500, 9000] m, got %g", alt_m);
    const char *pop = role == ORB_SITE_TERMINAL ? field_or_empty(f, n, c->pop) : "";
    return orb_ground_add(g, field_or_empty(f, n, c->name), lat * ORB_DEG, lon * ORB_DEG,
                          alt_m / 1000.0, role, antennas, pop, file, lineno, err);
}

static int is_blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* Walks the records of buf (LF or CRLF; a BOM is skipped). */
static int parse_csv(orb_ground_t *g, char *buf, const char *path, orb_site_role_t role,
                     int antennas, orb_error_t *err)
{
    char *p = buf;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) /* stops at the NUL of a short buffer */
        p += 3;
    csv_cols_t cols;
    int have_header = 0;
    for (long lineno = 1; p && *p; lineno++) {
        char *line = p;
        char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        if (nl && nl > line && nl[-1] == '\r')
            nl[-1] = '\0';
        if (is_blank(line))
            continue;
        int rc = have_header
                   ? read_row(g, line, &cols, path, lineno, role, antennas, err)
                   : read_header(line, &cols, path, lineno, role, err);
        if (rc != ORB_OK)
            return rc;
        have_header = 1;
    }
    if (!have_header)
        return orb_error_set(err, ORB_EEMPTY, path, 0, 0, NULL, "empty file: expected a "
                             "header row name,lat,lon[,alt_m],role");
    return ORB_OK;
}

int orb_ground_load_csv(orb_ground_t *g, const char *path, orb_site_role_t default_role,
                        int default_antennas, orb_error_t *err)
{
    char *buf;
    size_t len;
    int rc = orb_file_read(path, &buf, &len, err);
    if (rc != ORB_OK)
        return rc;
    size_t before = g->count;
    rc = parse_csv(g, buf, path, default_role, default_antennas, err);
    orb_buffer_free(buf);
    if (rc != ORB_OK) {
        free_site_strings(g, before);
        g->count = before;
    }
    return rc;
}

/* ---- roles, PoPs, distances, faults ---- */

static int role_list(const orb_ground_t *g, orb_site_role_t role, size_t **list, size_t *n)
{
    orb__free(*list);
    *n = 0;
    *list = orb__malloc((g->count ? g->count : 1) * sizeof **list);
    if (!*list)
        return ORB_ENOMEM;
    for (size_t i = 0; i < g->count; i++)
        if (g->role[i] == role)
            (*list)[(*n)++] = i;
    return ORB_OK;
}

static long find_pop(const orb_ground_t *g, const char *name)
{
    long k = orb_ground_find(g, name);
    return k >= 0 && g->role[k] == ORB_SITE_POP ? k : -1;
}

int orb_ground_resolve(orb_ground_t *g, const char *default_pop, orb_error_t *err)
{
    long def = -1;
    if (default_pop && *default_pop && (def = find_pop(g, default_pop)) < 0)
        return orb_error_set(err, ORB_ENOTFOUND, NULL, 0, 0, "pop",
                             "no PoP site named \"%s\"", default_pop);
    for (size_t i = 0; i < g->count; i++) {
        g->pop[i] = -1;
        if (g->role[i] != ORB_SITE_TERMINAL)
            continue;
        g->pop[i] = def;
        if (g->pop_name[i] && (g->pop[i] = find_pop(g, g->pop_name[i])) < 0)
            return orb_error_set(err, ORB_ENOTFOUND, g->source_file[i], g->source_line[i],
                                 0, "pop", "no PoP site named \"%s\" (terminal %s)",
                                 g->pop_name[i], g->name[i]);
    }
    if (role_list(g, ORB_SITE_TERMINAL, &g->terminals, &g->terminal_count) != ORB_OK ||
        role_list(g, ORB_SITE_GATEWAY, &g->gateways, &g->gateway_count) != ORB_OK ||
        role_list(g, ORB_SITE_POP, &g->pops, &g->pop_count) != ORB_OK)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return ORB_OK;
}

int orb_ground_build(const orb_scenario_t *sc, orb_ground_t **out, orb_error_t *err)
{
    *out = NULL;
    orb_ground_t *g = orb_ground_create();
    if (!g)
        return orb_error_set(err, ORB_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    int rc = ORB_OK;
    for (size_t i = 0; i < sc->site_file_count && rc == ORB_OK; i++)
        rc = orb_ground_load_csv(g, sc->site_files[i].path, sc->site_files[i].role,
                                 sc->gateway_antennas, err);
    if (rc == ORB_OK && (rc = orb_ground_resolve(g, sc->pop, err)) != ORB_OK && err &&
        !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", sc->ini_path ? sc->ini_path : "");
    if (rc == ORB_OK && g->terminal_count == 0)
        rc = orb_error_set(err, ORB_EEMPTY, sc->ini_path, 0, 0, "ground",
                           "the scenario has no terminal: add [ground] terminals = FILE "
                           "or sites = FILE with role terminal");
    if (rc != ORB_OK) {
        orb_ground_destroy(g);
        return rc;
    }
    *out = g;
    return ORB_OK;
}

double orb_great_circle_km(double lat1_rad, double lon1_rad, double lat2_rad,
                           double lon2_rad)
{
    double s_lat = sin(0.5 * (lat2_rad - lat1_rad));
    double s_lon = sin(0.5 * (lon2_rad - lon1_rad));
    double h = s_lat * s_lat + cos(lat1_rad) * cos(lat2_rad) * s_lon * s_lon;
    if (h > 1.0)
        h = 1.0;
    return 2.0 * ORB_EARTH_MEAN_RADIUS_KM * asin(sqrt(h));
}

double orb_ground_fiber_ms(const orb_ground_t *g, size_t a, size_t b, double fiber_factor)
{
    double d_km = orb_great_circle_km(g->lat_rad[a], g->lon_rad[a], g->lat_rad[b],
                                      g->lon_rad[b]);
    return 1000.0 * d_km * fiber_factor / ORB_FIBER_KM_S;
}

int orb_ground_fault_mask(const orb_ground_t *g, const orb_scenario_t *sc,
                          unsigned char *down, orb_error_t *err)
{
    memset(down, 0, g->count);
    for (size_t k = 0; k < sc->gateway_down_count; k++) {
        long i = orb_ground_find(g, sc->gateways_down[k]);
        if (i < 0 || g->role[i] != ORB_SITE_GATEWAY)
            return orb_error_set(err, ORB_ENOTFOUND, sc->ini_path, sc->gateways_down_line,
                                 0, "gateways_down", "no gateway named \"%s\"",
                                 sc->gateways_down[k]);
        down[i] = 1;
    }
    for (size_t z = 0; z < sc->jam_zone_count; z++) {
        const orb_jam_zone_t *j = &sc->jam_zones[z];
        for (size_t i = 0; i < g->count; i++)
            if (g->role[i] != ORB_SITE_POP &&
                orb_great_circle_km(j->lat_rad, j->lon_rad, g->lat_rad[i], g->lon_rad[i]) <=
                    j->radius_km)
                down[i] = 1;
    }
    return ORB_OK;
}
