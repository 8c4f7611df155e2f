/* fuzz_isl.c: libFuzzer harness for the explicit ISL list (isl = file:PATH)
 * against a fixed constellation of catalogue numbers. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "orbnet/links.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1..40, some five-digit and Alpha-5 range numbers, unsorted on purpose */
static const long norad[] = {
    44713, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
    40, 99999, 100000, 339999, 2147483647L};
#define NSAT (sizeof norad / sizeof norad[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_path(data, size);
    orb_isl_set_t *s = orb_isl_set_create();
    orb_error_t err;
    if (!s)
        return 0;
    memset(&err, 0, sizeof err);
    int rc = orb_isl_load_file(path, norad, NSAT, s, &err);
    if (rc > 0 || (rc != ORB_OK && err.message[0] == '\0'))
        __builtin_trap();
    /* every pair read names two different satellites of the constellation */
    for (size_t i = 0; i < s->count; i++)
        if (s->a[i] < 0 || s->b[i] < 0 || (size_t)s->a[i] >= NSAT
            || (size_t)s->b[i] >= NSAT || s->a[i] == s->b[i])
            __builtin_trap();
    orb_isl_set_destroy(s);
    return 0;
}
