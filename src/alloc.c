/* alloc.c: the replaceable allocator behind orb__malloc and friends. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orbnet/alloc.h"
#include "orbnet/err.h"

static orb_allocator_t current;
static int custom;

void orb_allocator_set(const orb_allocator_t *allocator)
{
    if (allocator) {
        current = *allocator;
        custom = 1;
    } else {
        custom = 0;
    }
}

void *orb__malloc(size_t size)
{
    if (size == 0)
        size = 1;
    return custom ? current.malloc_fn(size, current.ud) : malloc(size);
}

void *orb__calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = orb__malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *orb__realloc(void *ptr, size_t size)
{
    if (size == 0)
        size = 1;
    return custom ? current.realloc_fn(ptr, size, current.ud) : realloc(ptr, size);
}

int orb__grow(void **ptr, size_t *capacity, size_t need, size_t size)
{
    if (need <= *capacity)
        return ORB_OK;
    size_t cap = *capacity ? *capacity : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / size)
            return ORB_ENOMEM;
        cap *= 2;
    }
    void *p = orb__realloc(*ptr, cap * size);
    if (!p)
        return ORB_ENOMEM;
    *ptr = p;
    *capacity = cap;
    return ORB_OK;
}

void orb__free(void *ptr)
{
    if (!ptr)
        return;
    if (custom)
        current.free_fn(ptr, current.ud);
    else
        free(ptr);
}

char *orb__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = orb__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}
