/* output.c: atomic result files, CSV fields and summary.json (jansson). */
#include "orbnet/output.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "orbnet/frames.h"

int orb_atomic_open(orb_atomic_file_t *a, const char *path, orb_error_t *err)
{
    memset(a, 0, sizeof *a);
    size_t n = strlen(path) + 32;
    a->path = orb__strdup(path);
    a->tmp_path = orb__malloc(n);
    if (!a->path || !a->tmp_path) {
        orb_atomic_abort(a);
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    snprintf(a->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
    a->f = fopen(a->tmp_path, "wb");
    if (!a->f) {
        int e = errno;
        orb_atomic_abort(a);
        return orb_error_set(err, ORB_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(e));
    }
    return ORB_OK;
}

static void release(orb_atomic_file_t *a)
{
    orb__free(a->path);
    orb__free(a->tmp_path);
    a->path = a->tmp_path = NULL;
    a->f = NULL;
}

int orb_atomic_commit(orb_atomic_file_t *a, orb_error_t *err)
{
    int bad = ferror(a->f);
    if (fclose(a->f) != 0)
        bad = 1;
    a->f = NULL;
    if (bad || rename(a->tmp_path, a->path) != 0) {
        int e = errno;
        remove(a->tmp_path);
        orb_error_set(err, ORB_EIO, a->path, 0, 0, NULL, "cannot write: %s", strerror(e));
        release(a);
        return ORB_EIO;
    }
    release(a);
    return ORB_OK;
}

void orb_atomic_abort(orb_atomic_file_t *a)
{
    if (a->f) {
        fclose(a->f);
        remove(a->tmp_path);
    }
    release(a);
}

size_t orb_csv_field(char *dst, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        size_t n = strlen(text);
        memcpy(dst, text, n + 1);
        return n;
    }
    size_t n = 0;
    dst[n++] = '"';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            dst[n++] = '"';
        dst[n++] = *p;
    }
    dst[n++] = '"';
    dst[n] = '\0';
    return n;
}

/* A real number, or null for NaN (JSON has no NaN). */
static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *run_json(const orb_run_info_t *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "scenario", json_string(r->scenario));
    json_object_set_new(o, "start_utc", json_string(r->start_utc));
    json_object_set_new(o, "duration_s", json_real(r->duration_s));
    json_object_set_new(o, "step_s", json_real(r->step_s));
    json_object_set_new(o, "steps", json_integer((json_int_t)r->steps));
    json_object_set_new(o, "satellites", json_integer((json_int_t)r->satellites));
    json_object_set_new(o, "unassigned_satellites", json_integer((json_int_t)r->unassigned));
    json_object_set_new(o, "terminals", json_integer((json_int_t)r->terminals));
    json_object_set_new(o, "gateways", json_integer((json_int_t)r->gateways));
    json_object_set_new(o, "pops", json_integer((json_int_t)r->pops));
    json_object_set_new(o, "routing", json_string(r->routing));
    json_object_set_new(o, "isl", json_string(r->isl));
    json_object_set_new(o, "assignment", json_string(r->assignment));
    json_object_set_new(o, "threads", json_integer(r->threads));
    json_object_set_new(o, "wall_time_s", json_real(r->wall_time_s));
    return o;
}

static json_t *shells_json(const orb_run_info_t *r)
{
    json_t *a = json_array();
    for (size_t k = 0; k < r->shell_count; k++) {
        const orb_shell_info_t *s = &r->shells[k];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s->name));
        json_object_set_new(o, "walker", json_boolean(s->is_walker));
        json_object_set_new(o, "satellites", json_integer((json_int_t)s->count));
        json_object_set_new(o, "altitude_km", json_real(s->altitude_km));
        json_object_set_new(o, "inclination_deg", json_real(s->inclination_rad / ORB_DEG));
        json_object_set_new(o, "planes", json_integer(s->planes));
        json_object_set_new(o, "sats_per_plane", json_integer(s->sats_per_plane));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *terminal_json(const char *name, const char *pop, const orb_terminal_summary_t *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "pop", pop ? json_string(pop) : json_null());
    json_object_set_new(o, "availability", json_real(s->availability));
    if (s->has_rtt) {
        json_t *r = json_object();
        json_object_set_new(r, "min", num(s->rtt_min_ms));
        json_object_set_new(r, "p50", num(s->rtt_p50_ms));
        json_object_set_new(r, "p95", num(s->rtt_p95_ms));
        json_object_set_new(r, "p99", num(s->rtt_p99_ms));
        json_object_set_new(r, "max", num(s->rtt_max_ms));
        json_object_set_new(r, "mean", num(s->rtt_mean_ms));
        json_object_set_new(o, "rtt_ms", r);
    } else {
        json_object_set_new(o, "rtt_ms", json_null());
    }
    json_object_set_new(o, "handovers_per_hour", json_real(s->handovers_per_hour));
    json_object_set_new(o, "path_changes_per_hour", json_real(s->path_changes_per_hour));
    json_object_set_new(o, "mean_hops", num(s->mean_hops));
    return o;
}

int orb_output_summary(const char *path, const orb_run_info_t *run,
                       const char *const *names, const char *const *pop_names,
                       const orb_terminal_summary_t *s, size_t n, orb_error_t *err)
{
    json_t *root = json_object();
    if (!root)
        return orb_error_set(err, ORB_ENOMEM, path, 0, 0, NULL, "out of memory");
    json_object_set_new(root, "run", run_json(run));
    json_object_set_new(root, "shells", shells_json(run));
    json_t *t = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(t, terminal_json(names[i], pop_names[i], &s[i]));
    json_object_set_new(root, "terminals", t);
    orb_atomic_file_t a;
    int rc = orb_atomic_open(&a, path, err);
    if (rc == ORB_OK) {
        if (json_dumpf(root, a.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) ||
            fputc('\n', a.f) == EOF) {
            orb_atomic_abort(&a);
            rc = orb_error_set(err, ORB_EIO, path, 0, 0, NULL, "cannot write");
        } else {
            rc = orb_atomic_commit(&a, err);
        }
    }
    json_decref(root);
    return rc;
}
