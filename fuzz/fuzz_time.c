/* fuzz_time.c: libFuzzer harness for ISO 8601 time parsing and formatting. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "orbnet/err.h"
#include "orbnet/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64], buf[40], again[40];
    if (size >= sizeof text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    orb_time_t t, u;
    if (orb_time_parse_iso(text, &t) != ORB_OK)
        return 0;
    /* whatever parses must print and parse back to the same second */
    orb_time_format_iso(t, 3, buf, sizeof buf);
    if (orb_time_parse_iso(buf, &u) != ORB_OK)
        __builtin_trap();
    orb_time_format_iso(u, 3, again, sizeof again);
    if (strcmp(buf, again) != 0)
        __builtin_trap();
    return 0;
}
