/* alloc.h (internal): allocation wrappers that go through the installed
 * orb_allocator_t.  All library code allocates with these. */
#ifndef ORBNET_SRC_ALLOC_H
#define ORBNET_SRC_ALLOC_H

#include <stddef.h>

void *orb__malloc(size_t size);
/* Zeroed array of n elements; NULL on overflow or failure. */
void *orb__calloc(size_t n, size_t size);
void *orb__realloc(void *ptr, size_t size);
/* Grows *ptr to hold at least `need` elements of `size` bytes, doubling
 * *capacity; returns ORB_OK or ORB_ENOMEM (and *ptr is unchanged). */
int orb__grow(void **ptr, size_t *capacity, size_t need, size_t size);
void orb__free(void *ptr);
char *orb__strdup(const char *s);

#endif
