/* alloc.h: the allocator every orbnet module allocates through, replaceable
 * so that tests can fail the n-th allocation (as SQLite and Lua do). */
#ifndef ORBNET_ALLOC_H
#define ORBNET_ALLOC_H

#include <stddef.h>

typedef struct orb_allocator {
    void *(*malloc_fn)(size_t size, void *ud);
    void *(*realloc_fn)(void *ptr, size_t size, void *ud);
    void (*free_fn)(void *ptr, void *ud);
    void *ud; /* passed through to each function */
} orb_allocator_t;

/* Installs a process-wide allocator; NULL restores malloc/realloc/free.
 * Not thread-safe: call it before any other orbnet function runs. */
void orb_allocator_set(const orb_allocator_t *allocator);

#endif
