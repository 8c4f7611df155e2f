/* fuzz_tle.c: libFuzzer harness for the TLE/3LE parser. */
#include <stddef.h>
#include <stdint.h>

#include "orbnet/elements.h"
#include "orbnet/tle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    if (!cat)
        return 0;
    int rc = orb_tle_parse_buffer((const char *)data, size, "fuzz.tle", cat, &err);
    /* a failed parse must leave the catalogue empty; a good one must not */
    if ((rc != ORB_OK) != (cat->count == 0))
        __builtin_trap();
    for (size_t i = 0; i < cat->count; i++) {
        const orb_elements_t *e = &cat->sats[i];
        if (!(e->eccentricity >= 0.0 && e->eccentricity < 1.0) || !(e->mean_motion_rev_day > 0.0))
            __builtin_trap();
    }
    orb_catalog_destroy(cat);
    return 0;
}
