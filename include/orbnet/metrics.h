/* metrics.h: per-terminal service figures of a run: availability, RTT
 * percentiles, handovers and path changes per hour, mean hops, main PoP.
 * Steps may be recorded in any order (parallel runs): RTTs go into a slot
 * per (terminal, step) and counters are integers, so the totals do not
 * depend on the order. */
#ifndef ORBNET_METRICS_H
#define ORBNET_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct orb_metrics {
    size_t terminal_count, step_count, pop_count;
    float *rtt_ms;          /* [terminal * step_count + step], NaN: no path */
    /* counters, [terminal] */
    long *handovers, *path_changes, *hops_sum, *with_path;
    long *pop_steps;        /* [terminal * pop_count + pop]: steps routed to each PoP */
} orb_metrics_t;

/* The summary of one terminal. */
typedef struct orb_terminal_summary {
    double availability;    /* steps with a path / steps */
    int has_rtt;            /* 0 when never reachable: RTT fields are NaN */
    double rtt_min_ms, rtt_p50_ms, rtt_p95_ms, rtt_p99_ms, rtt_max_ms, rtt_mean_ms;
    double handovers_per_hour, path_changes_per_hour;
    double mean_hops;       /* over steps with a path; NaN when none */
    long pop;               /* PoP index (0..pop_count) used most often, -1 none */
} orb_terminal_summary_t;

/* Allocates zeroed counters and an all-NaN RTT table.  NULL when out of
 * memory. */
orb_metrics_t *orb_metrics_create(size_t terminals, size_t steps, size_t pops);
void orb_metrics_destroy(orb_metrics_t *m);

/* Adds b's counters into a (same sizes; RTT tables are shared, not added). */
void orb_metrics_add_counts(orb_metrics_t *a, const orb_metrics_t *b);

/* Nearest-rank percentile (p in (0, 100]) of sorted values v[0..n). */
double orb_percentile_sorted(const float *v, size_t n, double p);

/* Summary of terminal i over observed_s seconds (steps x step length).
 * scratch must hold step_count floats.  Returns the summary. */
orb_terminal_summary_t orb_metrics_summarize(const orb_metrics_t *m, size_t i,
                                             double observed_s, float *scratch);

/* A 64-bit FNV-1a hash of a path's node numbers (to detect path changes
 * without storing paths). */
uint64_t orb_path_hash(const int32_t *nodes, size_t n);

#endif
