/* fail_alloc.h: the tests' fault-injection allocator.  After a budget of
 * allocations (malloc or realloc calls) it fails every later one, or only the
 * next one; it also counts the calls and the blocks still allocated. */
#ifndef ORBNET_TESTS_FAIL_ALLOC_H
#define ORBNET_TESTS_FAIL_ALLOC_H

#include <stdlib.h>

#include "orbnet/alloc.h"

static long fail_alloc_left;  /* calls that still succeed before a failure */
static int fail_alloc_once;   /* 1: only the call that finds left == 0 fails */
static long fail_alloc_calls; /* malloc/realloc calls since the install */
static long fail_alloc_blocks; /* blocks allocated through the hook, not freed */

/* Counts one call and says whether it may succeed (atomic: simulation runs
 * allocate from OpenMP threads). */
static inline int fail_alloc_grant(void)
{
    long left;
#pragma omp atomic capture
    left = fail_alloc_left--;
#pragma omp atomic
    fail_alloc_calls++;
    return fail_alloc_once ? left != 0 : left > 0;
}

static inline void fail_alloc_add_blocks(long n)
{
#pragma omp atomic
    fail_alloc_blocks += n;
}

static inline void *fail_alloc_malloc(size_t size, void *ud)
{
    (void)ud;
    if (!fail_alloc_grant())
        return NULL;
    void *p = malloc(size);
    if (p)
        fail_alloc_add_blocks(1);
    return p;
}

static inline void *fail_alloc_realloc(void *ptr, size_t size, void *ud)
{
    (void)ud;
    if (!fail_alloc_grant())
        return NULL;
    void *p = realloc(ptr, size);
    if (p && !ptr)
        fail_alloc_add_blocks(1);
    return p;
}

static inline void fail_alloc_free(void *ptr, void *ud)
{
    (void)ud;
    if (ptr)
        fail_alloc_add_blocks(-1);
    free(ptr);
}

static inline void fail_alloc_hook(long budget, int once)
{
    static const orb_allocator_t hook = {fail_alloc_malloc, fail_alloc_realloc,
                                         fail_alloc_free, NULL};
    fail_alloc_left = budget;
    fail_alloc_once = once;
    fail_alloc_calls = 0;
    fail_alloc_blocks = 0;
    orb_allocator_set(&hook);
}

/* Installs the hook: the next budget allocations succeed, every later one
 * fails (budget <= 0: all fail; LONG_MAX: none fails, for counting).  The
 * call and block counts restart at 0. */
static inline void fail_alloc_install(long budget)
{
    fail_alloc_hook(budget, 0);
}

/* As fail_alloc_install, but only the allocation after the first budget ones
 * fails; the ones after it succeed again. */
static inline void fail_alloc_install_once(long budget)
{
    fail_alloc_hook(budget, 1);
}

/* Changes the budget of the installed hook, keeping the counts (for set-up
 * that must succeed before the allocations under test). */
static inline void fail_alloc_set_budget(long budget)
{
    fail_alloc_left = budget;
}

/* Restores the plain allocator. */
static inline void fail_alloc_remove(void)
{
    orb_allocator_set(NULL);
}

/* Allocation calls (malloc and realloc) since the last install. */
static inline long fail_alloc_calls_made(void)
{
    return fail_alloc_calls;
}

/* Blocks allocated through the hook and not yet freed through it. */
static inline long fail_alloc_live_blocks(void)
{
    return fail_alloc_blocks;
}

#endif
