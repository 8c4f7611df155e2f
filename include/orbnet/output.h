/* output.h: result files of a run: files written under a temporary name and
 * renamed into place only when complete, CSV fields, and summary.json. */
#ifndef ORBNET_OUTPUT_H
#define ORBNET_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "orbnet/constellation.h"
#include "orbnet/err.h"
#include "orbnet/metrics.h"

/* A file being written: data goes to PATH.tmp.PID until commit. */
typedef struct orb_atomic_file {
    FILE *f;
    char *path, *tmp_path;
} orb_atomic_file_t;

/* Opens PATH.tmp.PID for writing.  Returns ORB_OK, ORB_EIO (err names the
 * file) or ORB_ENOMEM. */
int orb_atomic_open(orb_atomic_file_t *a, const char *path, orb_error_t *err);

/* Closes and renames into place; on a write error removes the temporary
 * file and returns ORB_EIO (err names the file).  Frees a's strings. */
int orb_atomic_commit(orb_atomic_file_t *a, orb_error_t *err);

/* Closes and removes the temporary file (PATH stays as it was).  Safe on
 * a zeroed or already finished a. */
void orb_atomic_abort(orb_atomic_file_t *a);

/* Writes text as one CSV field into dst (quoted with "" doubling only when
 * it holds a comma, quote or line break).  dst needs 2 * strlen + 3 bytes.
 * Returns the characters written (NUL-terminated). */
size_t orb_csv_field(char *dst, const char *text);

/* What summary.json says about the run as a whole. */
typedef struct orb_run_info {
    const char *scenario;        /* name */
    const char *start_utc;       /* ISO 8601 */
    double duration_s, step_s;
    size_t steps;
    size_t satellites;
    const orb_shell_info_t *shells;
    size_t shell_count, unassigned;
    size_t terminals, gateways, pops;
    const char *routing, *isl, *assignment;
    int threads;
    double wall_time_s;
} orb_run_info_t;

/* Writes summary.json at path (atomically): {"run": {...}, "shells": [...],
 * "terminals": [{"name", "pop", "availability", "rtt_ms": {min, p50, p95,
 * p99, max, mean} | null, "handovers_per_hour", "path_changes_per_hour",
 * "mean_hops" | null}]}.  pop_names[i] may be NULL (never routed).  Returns
 * ORB_OK, ORB_EIO or ORB_ENOMEM with err naming the file. */
int orb_output_summary(const char *path, const orb_run_info_t *run,
                       const char *const *names, const char *const *pop_names,
                       const orb_terminal_summary_t *s, size_t n, orb_error_t *err);

#endif
