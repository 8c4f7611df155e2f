/* metrics.c: per-terminal counters, RTT tables and their summaries. */
#include "orbnet/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

orb_metrics_t *orb_metrics_create(size_t terminals, size_t steps, size_t pops)
{
    orb_metrics_t *m = orb__calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->terminal_count = terminals;
    m->step_count = steps;
    m->pop_count = pops;
    size_t nt = terminals ? terminals : 1;
    m->rtt_ms = orb__calloc(nt * (steps ? steps : 1), sizeof *m->rtt_ms);
    m->handovers = orb__calloc(nt, sizeof(long));
    m->path_changes = orb__calloc(nt, sizeof(long));
    m->hops_sum = orb__calloc(nt, sizeof(long));
    m->with_path = orb__calloc(nt, sizeof(long));
    m->pop_steps = orb__calloc(nt * (pops ? pops : 1), sizeof(long));
    if (!m->rtt_ms || !m->handovers || !m->path_changes || !m->hops_sum ||
        !m->with_path || !m->pop_steps) {
        orb_metrics_destroy(m);
        return NULL;
    }
    for (size_t k = 0; k < terminals * steps; k++)
        m->rtt_ms[k] = NAN;
    return m;
}

void orb_metrics_destroy(orb_metrics_t *m)
{
    if (!m)
        return;
    orb__free(m->rtt_ms);
    orb__free(m->handovers);
    orb__free(m->path_changes);
    orb__free(m->hops_sum);
    orb__free(m->with_path);
    orb__free(m->pop_steps);
    orb__free(m);
}

void orb_metrics_add_counts(orb_metrics_t *a, const orb_metrics_t *b)
{
    for (size_t i = 0; i < a->terminal_count; i++) {
        a->handovers[i] += b->handovers[i];
        a->path_changes[i] += b->path_changes[i];
        a->hops_sum[i] += b->hops_sum[i];
        a->with_path[i] += b->with_path[i];
    }
    for (size_t k = 0; k < a->terminal_count * a->pop_count; k++)
        a->pop_steps[k] += b->pop_steps[k];
}

double orb_percentile_sorted(const float *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double rank = ceil(p / 100.0 * (double)n);
    size_t k = rank < 1 ? 0 : (size_t)rank - 1;
    if (k >= n)
        k = n - 1;
    return v[k];
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static long main_pop(const orb_metrics_t *m, size_t i)
{
    long best = -1, steps = 0;
    for (size_t p = 0; p < m->pop_count; p++)
        if (m->pop_steps[i * m->pop_count + p] > steps) {
            steps = m->pop_steps[i * m->pop_count + p];
            best = (long)p;
        }
    return best;
}

orb_terminal_summary_t orb_metrics_summarize(const orb_metrics_t *m, size_t i,
                                             double observed_s, float *scratch)
{
    orb_terminal_summary_t s;
    memset(&s, 0, sizeof s);
    size_t n = 0;
    double sum = 0;
    const float *row = m->rtt_ms + i * m->step_count;
    for (size_t k = 0; k < m->step_count; k++)
        if (!isnan(row[k])) {
            scratch[n++] = row[k];
            sum += row[k];
        }
    qsort(scratch, n, sizeof *scratch, cmp_float);
    s.availability = m->step_count ? (double)n / (double)m->step_count : 0;
    s.has_rtt = n > 0;
    s.rtt_min_ms = n ? scratch[0] : NAN;
    s.rtt_p50_ms = orb_percentile_sorted(scratch, n, 50);
    s.rtt_p95_ms = orb_percentile_sorted(scratch, n, 95);
    s.rtt_p99_ms = orb_percentile_sorted(scratch, n, 99);
    s.rtt_max_ms = n ? scratch[n - 1] : NAN;
    s.rtt_mean_ms = n ? sum / (double)n : NAN;
    double hours = observed_s / 3600.0;
    s.handovers_per_hour = hours > 0 ? (double)m->handovers[i] / hours : 0;
    s.path_changes_per_hour = hours > 0 ? (double)m->path_changes[i] / hours : 0;
    s.mean_hops = m->with_path[i] ? (double)m->hops_sum[i] / (double)m->with_path[i] : NAN;
    s.pop = main_pop(m, i);
    return s;
}

uint64_t orb_path_hash(const int32_t *nodes, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < n; k++) {
        uint32_t v = (uint32_t)nodes[k];
        for (int b = 0; b < 4; b++) {
            h ^= (v >> (8 * b)) & 0xff;
            h *= 1099511628211ull;
        }
    }
    return h;
}
