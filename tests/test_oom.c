/* test_oom.c: out of memory in the input readers the other tests do not
 * starve (the ISL list, a site CSV read on its own): failing the n-th
 * allocation, for every n, gives ORB_ENOMEM naming the file, leaves the
 * caller's object as it was, and leaks nothing (a counting allocator). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "orbnet/ground.h"
#include "orbnet/links.h"
#include "fail_alloc.h"

/* One attempt with n allocations allowed; returns the status. */
typedef int (*attempt_fn)(long n);

/* Runs attempt for n = 0, 1, ... until it succeeds; each failure must be
 * ORB_ENOMEM.  Returns the number of allocations a success needs. */
static long sweep(attempt_fn attempt)
{
    for (long n = 0; n < 100000; n++) {
        int rc = attempt(n);
        long live = fail_alloc_live_blocks();
        cr_assert_eq(live, 0, "budget %ld: %ld blocks leaked", n, live);
        if (rc == ORB_OK)
            return n;
        cr_assert_eq(rc, ORB_ENOMEM, "budget %ld: status %d", n, rc);
    }
    cr_assert_fail("no success within 100000 allocations");
    return -1;
}

#define ISL_FILE "tests/data/net/isl_pairs.txt"
#define SITES_FILE "tests/data/scenarios/sites.csv"

static int isl_attempt(long n)
{
    static const long norad[4] = {44713, 44714, 44715, 44716};
    fail_alloc_install(1000000);
    orb_isl_set_t *set = orb_isl_set_create();
    cr_assert_not_null(set);
    orb_isl_set_add(set, 0, 1, 0.0); /* the caller's pair stays */
    fail_alloc_set_budget(n);
    orb_error_t err;
    int rc = orb_isl_load_file(ISL_FILE, norad, 4, set, &err);
    if (rc == ORB_ENOMEM)
        cr_expect_str_eq(err.file, ISL_FILE, "budget %ld", n);
    cr_expect_geq(set->count, 1);
    if (rc == ORB_OK)
        cr_expect_eq(set->count, 4);
    orb_isl_set_destroy(set);
    fail_alloc_remove();
    return rc;
}

Test(oom, isl_file)
{
    cr_assert_gt(sweep(isl_attempt), 1);
}

static int sites_attempt(long n)
{
    fail_alloc_install(1000000);
    orb_ground_t *g = orb_ground_create();
    cr_assert_not_null(g);
    orb_error_t err;
    cr_assert_eq(orb_ground_add(g, "Already here", 0.5, 0.5, 0.0, ORB_SITE_POP, 0, NULL, NULL,
                                0, &err), ORB_OK);
    fail_alloc_set_budget(n);
    int rc = orb_ground_load_csv(g, SITES_FILE, ORB_SITE_FROM_FILE, 8, &err);
    if (rc == ORB_ENOMEM)
        cr_expect_str_eq(err.file, SITES_FILE, "budget %ld", n);
    /* a failed load leaves the sites the ground segment had before */
    cr_expect_eq(g->count, rc == ORB_OK ? 7u : 1u, "budget %ld", n);
    if (rc == ORB_OK) {
        fail_alloc_set_budget(1000000);
        rc = orb_ground_resolve(g, "", &err);
    }
    orb_ground_destroy(g);
    fail_alloc_remove();
    return rc;
}

Test(oom, site_csv)
{
    cr_assert_gt(sweep(sites_attempt), 7);
}

static int resolve_attempt(long n)
{
    fail_alloc_install(1000000);
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    cr_assert_eq(orb_ground_load_csv(g, SITES_FILE, ORB_SITE_FROM_FILE, 8, &err), ORB_OK);
    fail_alloc_set_budget(n);
    int rc = orb_ground_resolve(g, "", &err);
    orb_ground_destroy(g);
    fail_alloc_remove();
    return rc;
}

Test(oom, site_resolve)
{
    cr_assert_geq(sweep(resolve_attempt), 1);
}
