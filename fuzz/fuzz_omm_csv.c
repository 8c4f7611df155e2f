/* fuzz_omm_csv.c: libFuzzer harness for the OMM CSV parser. */
#include <stddef.h>
#include <stdint.h>

#include "orbnet/elements.h"
#include "orbnet/omm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    if (!cat)
        return 0;
    int rc = orb_omm_parse_csv((const char *)data, size, "fuzz.csv", cat, &err);
    if ((rc != ORB_OK) != (cat->count == 0))
        __builtin_trap();
    orb_catalog_destroy(cat);
    return 0;
}
