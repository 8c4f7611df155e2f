/* fuzz_scenario.c: libFuzzer harness for the scenario INI loader (libinih
 * plus orbnet's value parsers and checks). */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "orbnet/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_path(data, size);
    orb_scenario_t *sc = (orb_scenario_t *)1;
    orb_error_t err;
    memset(&err, 0, sizeof err);
    int rc = orb_scenario_load(path, &sc, &err);
    if (rc != ORB_OK) {
        /* a failure leaves no scenario and names what went wrong */
        if (rc > 0 || sc != NULL || err.message[0] == '\0')
            __builtin_trap();
        return 0;
    }
    /* whatever loads is runnable: positive step no longer than the run */
    if (!(sc->duration_s > 0.0) || !(sc->step_s > 0.0) || sc->step_s > sc->duration_s)
        __builtin_trap();
    if (orb_scenario_step_count(sc) < 1)
        __builtin_trap();
    orb_scenario_destroy(sc);
    return 0;
}
