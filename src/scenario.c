/* scenario.c: reads the scenario INI file with libinih into orb_scenario_t,
 * key by key from a table, reporting file, line and key for every error.
 * Value syntax (numbers, lists, paths) lives in scenario_values.c. */
#include "orbnet/scenario.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "scenario_internal.h"

static const char *const section_names[SEC_COUNT] = {
    "scenario", "constellation", "shell", "ground", "links",
    "routing", "faults", "traffic", "output"};

typedef int (*key_fn)(scn_ctx_t *, const char *value);

typedef struct key_def {
    int section;
    const char *key;
    key_fn parse;
    int repeatable; /* list keys: each occurrence appends */
} key_def_t;

/* ---- key parsers ---- */

static int k_name(scn_ctx_t *c, const char *v)
{
    return scn_string(c, v, c->sc->name, sizeof c->sc->name);
}

static int k_start(scn_ctx_t *c, const char *v)
{
    if (orb_time_parse_iso(v, &c->sc->start) != ORB_OK)
        return scn_fail(c, ORB_ESYNTAX, "expected an ISO 8601 UTC time such as "
                        "2026-06-24T00:00:00Z, got \"%s\"", v);
    return ORB_OK;
}

static int k_duration(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 366.0 * 86400.0, SCN_OPEN_LOW, &c->sc->duration_s);
}

static int k_step(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 86400.0, SCN_OPEN_LOW, &c->sc->step_s);
}

static int k_tle(scn_ctx_t *c, const char *v)
{
    return scn_path_list(c, v, ORB_SITE_FROM_FILE, &c->sc->element_files,
                         &c->sc->element_file_count);
}

static int k_pattern(scn_ctx_t *c, const char *v)
{
    return scn_string(c, v, c->sc->name_pattern, sizeof c->sc->name_pattern);
}

static int k_exclude(scn_ctx_t *c, const char *v)
{
    return scn_string(c, v, c->sc->name_exclude, sizeof c->sc->name_exclude);
}

static int k_incl_min(scn_ctx_t *c, const char *v)
{
    return scn_angle(c, v, 0.0, 180.0, &c->sc->incl_min_rad);
}

static int k_incl_max(scn_ctx_t *c, const char *v)
{
    return scn_angle(c, v, 0.0, 180.0, &c->sc->incl_max_rad);
}

static int k_alt_min(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 1e6, 0, &c->sc->alt_min_km);
}

static int k_alt_max(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 1e6, 0, &c->sc->alt_max_km);
}

static int k_min_shell(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 1, 1000000, &c->sc->min_shell_size);
}

/* [shell NAME] */
static int k_sh_alt(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 150.0, 40000.0, 0, &scn_shell(c)->altitude_km);
}

static int k_sh_incl(scn_ctx_t *c, const char *v)
{
    int rc = scn_angle(c, v, 0.0, 180.0, &scn_shell(c)->inclination_rad);
    double i = scn_shell(c)->inclination_rad;
    if (rc == ORB_OK && (i <= 0.0 || i >= M_PI))
        return scn_fail(c, ORB_ERANGE, "expected an inclination strictly between "
                        "0 and 180 degrees, got %s", v);
    return rc;
}

static int k_sh_planes(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 1, 100000, &scn_shell(c)->planes);
}

static int k_sh_spp(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 1, 100000, &scn_shell(c)->sats_per_plane);
}

static int k_sh_phasing(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 0, 100000, &scn_shell(c)->phasing);
}

static int k_sh_spread(scn_ctx_t *c, const char *v)
{
    int rc = scn_angle(c, v, 0.0, 360.0, &scn_shell(c)->raan_spread_rad);
    if (rc == ORB_OK && scn_shell(c)->raan_spread_rad <= 0.0)
        return scn_fail(c, ORB_ERANGE, "expected a RAAN spread in (0, 360] degrees "
                        "(360 for a Walker delta, 180 for a star), got %s", v);
    return rc;
}

static int k_sh_raan0(scn_ctx_t *c, const char *v)
{
    return scn_angle(c, v, -360.0, 360.0, &scn_shell(c)->raan0_rad);
}

static int k_sh_epoch(scn_ctx_t *c, const char *v)
{
    if (orb_time_parse_iso(v, &scn_shell(c)->epoch) != ORB_OK)
        return scn_fail(c, ORB_ESYNTAX, "expected an ISO 8601 UTC time, got \"%s\"", v);
    return ORB_OK;
}

static int k_sh_first(scn_ctx_t *c, const char *v)
{
    int id;
    int rc = scn_int(c, v, 1, 999999, &id);
    scn_shell(c)->first_norad_id = id;
    return rc;
}

/* [ground] */
static int k_sites(scn_ctx_t *c, const char *v)
{
    return scn_path_list(c, v, ORB_SITE_FROM_FILE, &c->sc->site_files,
                         &c->sc->site_file_count);
}

static int k_terminals(scn_ctx_t *c, const char *v)
{
    return scn_path_list(c, v, ORB_SITE_TERMINAL, &c->sc->site_files,
                         &c->sc->site_file_count);
}

static int k_gateways(scn_ctx_t *c, const char *v)
{
    return scn_path_list(c, v, ORB_SITE_GATEWAY, &c->sc->site_files,
                         &c->sc->site_file_count);
}

static int k_pops(scn_ctx_t *c, const char *v)
{
    return scn_path_list(c, v, ORB_SITE_POP, &c->sc->site_files,
                         &c->sc->site_file_count);
}

static int k_gw_antennas(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 1, 1000, &c->sc->gateway_antennas);
}

/* [links] */
static int k_min_el(scn_ctx_t *c, const char *v)
{
    int rc = scn_angle(c, v, 0.0, 90.0, &c->sc->min_elevation_rad);
    if (rc == ORB_OK && c->sc->min_elevation_rad >= M_PI / 2)
        return scn_fail(c, ORB_ERANGE, "expected an elevation in [0, 90) degrees, got %s", v);
    return rc;
}

static int k_gsl_range(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 1e5, 0, &c->sc->max_gsl_range_km);
}

static int k_isl(scn_ctx_t *c, const char *v)
{
    return scn_isl(c, v);
}

static int k_isl_range(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 1e5, SCN_OPEN_LOW, &c->sc->isl_max_range_km);
}

static int k_lasers(scn_ctx_t *c, const char *v)
{
    return scn_int(c, v, 0, 64, &c->sc->lasers_per_sat);
}

static int k_grazing(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 1000.0, 0, &c->sc->grazing_height_km);
}

static int k_assignment(scn_ctx_t *c, const char *v)
{
    static const char *const words[] = {"max-elevation", "nearest",
                                        "longest-visible", "any", NULL};
    int k;
    int rc = scn_enum(c, v, words, &k);
    c->sc->assignment = (orb_assign_policy_t)k;
    return rc;
}

static int k_epoch_s(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 86400.0, 0, &c->sc->epoch_s);
}

static int k_epoch_off(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 0.0, 86400.0, 0, &c->sc->epoch_offset_s);
}

/* [routing] */
static int k_mode(scn_ctx_t *c, const char *v)
{
    static const char *const words[] = {"laser", "bent-pipe", NULL};
    int k;
    int rc = scn_enum(c, v, words, &k);
    c->sc->mode = (orb_route_mode_t)k;
    return rc;
}

static int k_fiber(scn_ctx_t *c, const char *v)
{
    return scn_double(c, v, 1.0, 10.0, 0, &c->sc->fiber_factor);
}

static int k_pop(scn_ctx_t *c, const char *v)
{
    if (strcmp(v, "nearest") == 0)
        v = "";
    return scn_string(c, v, c->sc->pop, sizeof c->sc->pop);
}

/* [faults] */
static int k_dead(scn_ctx_t *c, const char *v)
{
    if (!c->sc->dead_sats_line)
        c->sc->dead_sats_line = c->line;
    return scn_id_list(c, v, &c->sc->dead_sats, &c->sc->dead_sat_lines,
                       &c->sc->dead_sat_count);
}

static int k_dead_frac(scn_ctx_t *c, const char *v)
{
    int rc = scn_double(c, v, 0.0, 1.0, 0, &c->sc->dead_fraction);
    if (rc == ORB_OK && c->sc->dead_fraction >= 1.0)
        return scn_fail(c, ORB_ERANGE, "expected a fraction in [0, 1), got %s", v);
    return rc;
}

static int k_seed(scn_ctx_t *c, const char *v)
{
    int s;
    int rc = scn_int(c, v, 0, 2147483647, &s);
    c->sc->fault_seed = (unsigned long)s;
    return rc;
}

static int k_gw_down(scn_ctx_t *c, const char *v)
{
    c->sc->gateways_down_line = c->line;
    return scn_name_list(c, v, &c->sc->gateways_down, &c->sc->gateway_down_count);
}

static int k_jam(scn_ctx_t *c, const char *v)
{
    return scn_jam(c, v);
}

/* [output] */
static int k_dir(scn_ctx_t *c, const char *v)
{
    if (!*v)
        return scn_fail(c, ORB_ESYNTAX, "expected a folder name");
    char *d = orb__strdup(v);
    if (!d)
        return scn_fail(c, ORB_ENOMEM, "out of memory");
    orb__free(c->sc->out_dir);
    c->sc->out_dir = d;
    return ORB_OK;
}

static int k_csv(scn_ctx_t *c, const char *v)
{
    return scn_bool(c, v, &c->sc->csv);
}

static int k_rtt_csv(scn_ctx_t *c, const char *v)
{
    return scn_bool(c, v, &c->sc->rtt_csv);
}

static int k_report(scn_ctx_t *c, const char *v)
{
    return scn_bool(c, v, &c->sc->report);
}

static const key_def_t keys[] = {
    {SEC_SCENARIO, "name", k_name, 0},
    {SEC_SCENARIO, "start", k_start, 0},
    {SEC_SCENARIO, "duration_s", k_duration, 0},
    {SEC_SCENARIO, "step_s", k_step, 0},
    {SEC_CONSTELLATION, "tle", k_tle, 1},
    {SEC_CONSTELLATION, "omm", k_tle, 1},
    {SEC_CONSTELLATION, "name_pattern", k_pattern, 0},
    {SEC_CONSTELLATION, "name_exclude", k_exclude, 0},
    {SEC_CONSTELLATION, "inclination_min_deg", k_incl_min, 0},
    {SEC_CONSTELLATION, "inclination_max_deg", k_incl_max, 0},
    {SEC_CONSTELLATION, "altitude_min_km", k_alt_min, 0},
    {SEC_CONSTELLATION, "altitude_max_km", k_alt_max, 0},
    {SEC_CONSTELLATION, "min_shell_size", k_min_shell, 0},
    {SEC_SHELL, "altitude_km", k_sh_alt, 0},
    {SEC_SHELL, "inclination_deg", k_sh_incl, 0},
    {SEC_SHELL, "planes", k_sh_planes, 0},
    {SEC_SHELL, "sats_per_plane", k_sh_spp, 0},
    {SEC_SHELL, "phasing", k_sh_phasing, 0},
    {SEC_SHELL, "raan_spread_deg", k_sh_spread, 0},
    {SEC_SHELL, "raan0_deg", k_sh_raan0, 0},
    {SEC_SHELL, "epoch", k_sh_epoch, 0},
    {SEC_SHELL, "first_id", k_sh_first, 0},
    {SEC_GROUND, "sites", k_sites, 1},
    {SEC_GROUND, "terminals", k_terminals, 1},
    {SEC_GROUND, "gateways", k_gateways, 1},
    {SEC_GROUND, "pops", k_pops, 1},
    {SEC_GROUND, "gateway_antennas", k_gw_antennas, 0},
    {SEC_LINKS, "min_elevation_deg", k_min_el, 0},
    {SEC_LINKS, "max_gsl_range_km", k_gsl_range, 0},
    {SEC_LINKS, "isl", k_isl, 0},
    {SEC_LINKS, "isl_max_range_km", k_isl_range, 0},
    {SEC_LINKS, "lasers_per_sat", k_lasers, 0},
    {SEC_LINKS, "grazing_height_km", k_grazing, 0},
    {SEC_LINKS, "assignment", k_assignment, 0},
    {SEC_LINKS, "epoch_s", k_epoch_s, 0},
    {SEC_LINKS, "epoch_offset_s", k_epoch_off, 0},
    {SEC_ROUTING, "mode", k_mode, 0},
    {SEC_ROUTING, "fiber_factor", k_fiber, 0},
    {SEC_ROUTING, "pop", k_pop, 0},
    {SEC_FAULTS, "dead_sats", k_dead, 1},
    {SEC_FAULTS, "dead_fraction", k_dead_frac, 0},
    {SEC_FAULTS, "seed", k_seed, 0},
    {SEC_FAULTS, "gateways_down", k_gw_down, 1},
    {SEC_FAULTS, "jam", k_jam, 1},
    {SEC_OUTPUT, "dir", k_dir, 0},
    {SEC_OUTPUT, "csv", k_csv, 0},
    {SEC_OUTPUT, "rtt_csv", k_rtt_csv, 0},
    {SEC_OUTPUT, "report", k_report, 0},
};

#define KEY_COUNT (sizeof keys / sizeof keys[0])

/* ---- inih callbacks ---- */

/* Recognises "[section]" lines as they are read, so that unknown or empty
 * sections are caught too (inih reports only keys). */
static int on_section_line(scn_ctx_t *c, const char *text)
{
    char buf[SCN_MAX_LINE];
    const char *close = strchr(text, ']');
    if (!close)
        return ORB_OK; /* inih reports the syntax error */
    size_t n = (size_t)(close - text - 1);
    memcpy(buf, text + 1, n);
    buf[n] = '\0';
    scn_trim(buf);
    if (strncmp(buf, "shell", 5) == 0 && (buf[5] == ' ' || buf[5] == '\t' || !buf[5]))
        return scn_shell_begin(c, buf + 5);
    for (int s = 0; s < SEC_COUNT; s++)
        if (s != SEC_SHELL && strcmp(buf, section_names[s]) == 0) {
            c->section = s;
            return ORB_OK;
        }
    return scn_fail_key(c, ORB_ESYNTAX, "section", "unknown section [%s]; expected "
                        "scenario, constellation, shell NAME, ground, links, routing, "
                        "faults, traffic or output", buf);
}

static char *reader(char *str, int num, void *stream)
{
    scn_ctx_t *c = stream;
    if (c->status != ORB_OK || !fgets(str, num, c->fp))
        return NULL;
    c->line++;
    size_t n = strlen(str);
    if (n + 1 >= (size_t)num && str[n - 1] != '\n' && !feof(c->fp)) {
        scn_fail_key(c, ORB_ETOOBIG, NULL, "line longer than %d characters; split a "
                     "list over several lines with the same key", num - 3);
        return NULL;
    }
    const char *p = str;
    while (*p == ' ' || *p == '\t')
        p++;
    /* inih reads an indented line after a key as that key's continuation,
       even when it starts with '[' */
    if (*p == '[' && (p == str || c->keys_in_section == 0)) {
        c->keys_in_section = 0;
        if (on_section_line(c, p) != ORB_OK)
            return NULL;
    }
    return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    (void)section;
    scn_ctx_t *c = user;
    if (c->status != ORB_OK)
        return 0;
    c->key = name;
    c->keys_in_section++;
    if (c->section < 0)
        return scn_fail(c, ORB_ESYNTAX, "key outside any section; put it under "
                        "[scenario], [links], ...") == ORB_OK;
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (keys[i].section != c->section || strcmp(keys[i].key, name) != 0)
            continue;
        long *seen = scn_seen(c, i);
        if (*seen && !keys[i].repeatable)
            return scn_fail(c, ORB_ESYNTAX, "set twice (first at line %ld)", *seen) == ORB_OK;
        if (!*seen)
            *seen = c->line;
        return keys[i].parse(c, value) == ORB_OK;
    }
    if (c->section == SEC_TRAFFIC)
        return scn_fail(c, ORB_ESYNTAX, "no [traffic] keys are defined in this "
                        "version") == ORB_OK;
    return scn_fail(c, ORB_ESYNTAX, "unknown key in [%s]; see docs/scenario.md",
                    section_names[c->section]) == ORB_OK;
}

/* ---- whole file ---- */

static long seen_line(scn_ctx_t *c, const char *key)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (keys[i].section != SEC_SHELL && strcmp(keys[i].key, key) == 0)
            return c->seen[i];
    return 0;
}

size_t scn_key_index(int section, const char *key)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (keys[i].section == section && strcmp(keys[i].key, key) == 0)
            return i;
    return 0;
}

size_t scn_key_count(void)
{
    return KEY_COUNT;
}

/* Checks that involve several keys, after the whole file is read. */
static int check_whole(scn_ctx_t *c)
{
    orb_scenario_t *sc = c->sc;
    c->key = NULL;
    if (!seen_line(c, "start"))
        return scn_fail_at(c, 0, "start", ORB_ESYNTAX, "[scenario] needs start = ISO time");
    if (!seen_line(c, "duration_s"))
        return scn_fail_at(c, 0, "duration_s", ORB_ESYNTAX, "[scenario] needs duration_s");
    if (sc->step_s > sc->duration_s)
        return scn_fail_at(c, seen_line(c, "step_s"), "step_s", ORB_ERANGE,
                           "step_s %g is longer than duration_s %g", sc->step_s,
                           sc->duration_s);
    if (sc->epoch_s > 0 && sc->epoch_offset_s >= sc->epoch_s)
        return scn_fail_at(c, seen_line(c, "epoch_offset_s"), "epoch_offset_s", ORB_ERANGE,
                           "expected an offset below epoch_s (%g s)", sc->epoch_s);
    if (sc->incl_min_rad > sc->incl_max_rad)
        return scn_fail_at(c, seen_line(c, "inclination_max_deg"), "inclination_max_deg",
                           ORB_ERANGE, "inclination band is empty (max < min)");
    if (sc->alt_min_km > sc->alt_max_km)
        return scn_fail_at(c, seen_line(c, "altitude_max_km"), "altitude_max_km",
                           ORB_ERANGE, "altitude band is empty (max < min)");
    if (sc->element_file_count == 0 && sc->shell_count == 0)
        return scn_fail_at(c, 0, "constellation", ORB_ESYNTAX, "no satellites: give "
                           "[constellation] tle = FILE or omm = FILE, or a [shell NAME]");
    return scn_shells_finish(c);
}

static void default_name(orb_scenario_t *sc, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(sc->name, sizeof sc->name, "%s", base);
    char *dot = strrchr(sc->name, '.');
    if (dot && strcmp(dot, ".ini") == 0)
        *dot = '\0';
}

static int parse_file(scn_ctx_t *c)
{
    int line = ini_parse_stream(reader, c, handler, c);
    if (c->status == ORB_OK && line > 0)
        return scn_fail_at(c, line, NULL, ORB_ESYNTAX,
                           "expected [section], key = value, or a ; or # comment");
    if (c->status == ORB_OK && line < 0)
        return scn_fail_at(c, 0, NULL, ORB_ENOMEM, "out of memory while parsing");
    if (c->status != ORB_OK)
        return c->status;
    return check_whole(c);
}

int orb_scenario_load(const char *path, orb_scenario_t **out, orb_error_t *err)
{
    *out = NULL;
    orb_error_clear(err);
    orb_scenario_t *sc = orb__malloc(sizeof *sc);
    if (!sc)
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    orb_scenario_init(sc);
    scn_ctx_t c;
    char *data = NULL;
    size_t len = 0;
    int rc = scn_ctx_init(&c, sc, path, KEY_COUNT, err);
    if (rc == ORB_OK) {
        default_name(sc, path);
        /* the same limits as every input: size cap, no binary files */
        rc = orb_file_read(path, &data, &len, err);
    }
    if (rc == ORB_OK) {
        c.fp = fmemopen(data, len ? len : 1, "r"); /* len 0: the lone NUL */
        if (!c.fp)
            rc = orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    if (rc == ORB_OK) {
        rc = parse_file(&c);
        fclose(c.fp);
    }
    orb_buffer_free(data);
    scn_ctx_free(&c);
    if (rc != ORB_OK) {
        orb_scenario_destroy(sc);
        return rc;
    }
    *out = sc;
    return ORB_OK;
}

/* ---- run timing ---- */

size_t orb_scenario_step_count(const orb_scenario_t *sc)
{
    if (!(sc->step_s > 0.0) || sc->duration_s < 0.0)
        return 1;
    return (size_t)floor(sc->duration_s / sc->step_s + 1e-9) + 1;
}

orb_time_t orb_scenario_step_time(const orb_scenario_t *sc, size_t k)
{
    return orb_time_add_s(sc->start, (double)k * sc->step_s);
}

/* Number of epochs at or before t, counted from 2000-01-01T00:00Z (a
 * midnight, so the grid is the same every day when epoch_s divides 86400).
 * The 1 us slack absorbs the rounding of t. */
static double epochs_before(const orb_scenario_t *sc, orb_time_t t)
{
    double s = (t.jd - 2451544.5) * ORB_SECONDS_PER_DAY + t.fr * ORB_SECONDS_PER_DAY;
    return floor((s - sc->epoch_offset_s + 1e-6) / sc->epoch_s);
}

int orb_scenario_is_epoch(const orb_scenario_t *sc, size_t step)
{
    if (step == 0 || sc->epoch_s <= 0.0)
        return 1;
    orb_time_t t = orb_scenario_step_time(sc, step);
    orb_time_t prev = orb_time_add_s(t, -sc->step_s);
    return epochs_before(sc, t) > epochs_before(sc, prev);
}

/* ---- names of enum values ---- */

const char *orb_isl_kind_name(orb_isl_kind_t k)
{
    switch (k) {
    case ORB_ISL_NONE: return "none";
    case ORB_ISL_PLUS_GRID: return "plus-grid";
    case ORB_ISL_NEAREST: return "nearest";
    case ORB_ISL_FILE: return "file";
    }
    return "?";
}

const char *orb_assign_policy_name(orb_assign_policy_t p)
{
    switch (p) {
    case ORB_ASSIGN_MAX_ELEVATION: return "max-elevation";
    case ORB_ASSIGN_NEAREST: return "nearest";
    case ORB_ASSIGN_LONGEST_VISIBLE: return "longest-visible";
    case ORB_ASSIGN_ANY: return "any";
    }
    return "?";
}

const char *orb_route_mode_name(orb_route_mode_t m)
{
    return m == ORB_ROUTE_BENT_PIPE ? "bent-pipe" : "laser";
}

const char *orb_site_role_name(orb_site_role_t r)
{
    switch (r) {
    case ORB_SITE_TERMINAL: return "terminal";
    case ORB_SITE_GATEWAY: return "gateway";
    case ORB_SITE_POP: return "pop";
    case ORB_SITE_FROM_FILE: return "from-file";
    }
    return "?";
}
