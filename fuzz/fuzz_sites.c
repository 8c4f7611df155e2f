/* fuzz_sites.c: libFuzzer harness for the ground-site CSV reader and PoP
 * resolution. */
#define _GNU_SOURCE
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "orbnet/ground.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every loaded site has finite coordinates in range and a known role. */
static void check_sites(const orb_ground_t *g)
{
    for (size_t i = 0; i < g->count; i++) {
        if (!(fabs(g->lat_rad[i]) <= M_PI / 2) || !(fabs(g->lon_rad[i]) <= M_PI)
            || !isfinite(g->alt_km[i]) || g->antennas[i] < 0 || !g->name[i])
            __builtin_trap();
        if (g->role[i] != ORB_SITE_TERMINAL && g->role[i] != ORB_SITE_GATEWAY
            && g->role[i] != ORB_SITE_POP)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* odd sizes: the role column is required; even: it overrides "gateway" */
    orb_site_role_t role = size % 2 ? ORB_SITE_FROM_FILE : ORB_SITE_GATEWAY;
    const char *path = fuzz_file_path(data, size);
    orb_ground_t *g = orb_ground_create();
    orb_error_t err;
    if (!g)
        return 0;
    memset(&err, 0, sizeof err);
    int rc = orb_ground_load_csv(g, path, role, 8, &err);
    if (rc != ORB_OK) {
        /* a failed load adds nothing and says why */
        if (rc > 0 || g->count != 0 || err.message[0] == '\0')
            __builtin_trap();
    } else {
        check_sites(g);
        rc = orb_ground_resolve(g, "", &err);
        if (rc == ORB_OK && g->terminal_count + g->gateway_count + g->pop_count != g->count)
            __builtin_trap();
    }
    orb_ground_destroy(g);
    return 0;
}
