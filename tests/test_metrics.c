/* test_metrics.c: percentiles, summaries, counters and path hashes. */
#include <criterion/criterion.h>
#include <math.h>

#include "orbnet/metrics.h"

Test(metrics, nearest_rank_percentiles)
{
    float v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (float)(i + 1);
    cr_assert_eq(orb_percentile_sorted(v, 100, 50), 50);
    cr_assert_eq(orb_percentile_sorted(v, 100, 95), 95);
    cr_assert_eq(orb_percentile_sorted(v, 100, 99), 99);
    cr_assert_eq(orb_percentile_sorted(v, 100, 100), 100);
    cr_assert_eq(orb_percentile_sorted(v, 1, 50), 1);
    cr_assert(isnan(orb_percentile_sorted(v, 0, 50)));
    /* rank ceil(0.5 * 5) = 3 */
    float w[5] = {10, 20, 30, 40, 50};
    cr_assert_eq(orb_percentile_sorted(w, 5, 50), 30);
}

Test(metrics, summary_of_a_terminal)
{
    /* 10 steps of 1 s: 8 with a path (RTT 20..27 ms), 2 without */
    orb_metrics_t *m = orb_metrics_create(2, 10, 3);
    cr_assert_not_null(m);
    for (int k = 0; k < 8; k++)
        m->rtt_ms[0 * 10 + k + 2] = (float)(20 + k);
    m->with_path[0] = 8;
    m->hops_sum[0] = 8 * 4 + 2;
    m->handovers[0] = 3;
    m->path_changes[0] = 5;
    m->pop_steps[0 * 3 + 2] = 6;
    m->pop_steps[0 * 3 + 1] = 2;
    float scratch[10];
    orb_terminal_summary_t s = orb_metrics_summarize(m, 0, 10.0, scratch);
    cr_assert_float_eq(s.availability, 0.8, 1e-12);
    cr_assert_eq(s.rtt_min_ms, 20);
    cr_assert_eq(s.rtt_max_ms, 27);
    cr_assert_eq(s.rtt_p50_ms, 23);
    cr_assert_float_eq(s.rtt_mean_ms, 23.5, 1e-12);
    cr_assert_float_eq(s.handovers_per_hour, 3 * 360.0, 1e-9);
    cr_assert_float_eq(s.path_changes_per_hour, 5 * 360.0, 1e-9);
    cr_assert_float_eq(s.mean_hops, 34.0 / 8, 1e-12);
    cr_assert_eq(s.pop, 2);
    /* the second terminal never had a path */
    orb_terminal_summary_t e = orb_metrics_summarize(m, 1, 10.0, scratch);
    cr_assert_eq(e.availability, 0);
    cr_assert_not(e.has_rtt);
    cr_assert(isnan(e.rtt_p95_ms));
    cr_assert(isnan(e.mean_hops));
    cr_assert_eq(e.pop, -1);
    orb_metrics_destroy(m);
}

Test(metrics, counters_add_up)
{
    orb_metrics_t *a = orb_metrics_create(1, 0, 1), *b = orb_metrics_create(1, 0, 1);
    a->handovers[0] = 2;
    b->handovers[0] = 5;
    b->pop_steps[0] = 7;
    orb_metrics_add_counts(a, b);
    cr_assert_eq(a->handovers[0], 7);
    cr_assert_eq(a->pop_steps[0], 7);
    orb_metrics_destroy(a);
    orb_metrics_destroy(b);
}

Test(metrics, path_hash_tells_paths_apart)
{
    int32_t p1[4] = {10, 3, 4, 11}, p2[4] = {10, 4, 3, 11}, p3[3] = {10, 3, 4};
    cr_assert_neq(orb_path_hash(p1, 4), orb_path_hash(p2, 4));
    cr_assert_neq(orb_path_hash(p1, 4), orb_path_hash(p3, 3));
    cr_assert_eq(orb_path_hash(p1, 4), orb_path_hash(p1, 4));
}
