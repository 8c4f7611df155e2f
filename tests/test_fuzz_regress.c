/* test_fuzz_regress.c: every input a fuzzer ever crashed or hung on
 * (tests/data/fuzz-regress/<harness>/, README there) replayed through the
 * very harness that found it, built here as an ordinary function. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Each harness defines LLVMFuzzerTestOneInput; rename it per include. */
#define LLVMFuzzerTestOneInput fuzz_tle_one
#include "../fuzz/fuzz_tle.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_omm_csv_one
#include "../fuzz/fuzz_omm_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_omm_json_one
#include "../fuzz/fuzz_omm_json.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_time_one
#include "../fuzz/fuzz_time.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_scenario_one
#include "../fuzz/fuzz_scenario.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_sites_one
#include "../fuzz/fuzz_sites.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_isl_one
#include "../fuzz/fuzz_isl.c"
#undef LLVMFuzzerTestOneInput

typedef int (*harness_fn)(const uint8_t *data, size_t size);

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    cr_assert_not_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        cr_assert_not_null(buf);
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Replays every file of tests/data/fuzz-regress/<dir>; a crash, a
 * sanitizer report or a broken harness check fails the test, and so does a
 * file taking more than 2 s (the fuzzers' hang limit is 10 s; these inputs
 * are at most 64 kB and parse in well under 10 ms when all is right). */
static size_t replay_dir(const char *dir, harness_fn fn)
{
    char root[256];
    snprintf(root, sizeof root, "tests/data/fuzz-regress/%s", dir);
    DIR *d = opendir(root);
    cr_assert_not_null(d, "missing %s (run from the repository root)", root);
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        size_t size;
        uint8_t *data = read_all(path, &size);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        fn(data, size);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        cr_expect_lt(s, 2.0, "%s took %.2f s", path, s);
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

Test(fuzz_regress, time)
{
    cr_assert_geq(replay_dir("time", fuzz_time_one), 1);
}

Test(fuzz_regress, sites)
{
    cr_assert_geq(replay_dir("sites", fuzz_sites_one), 1);
}

/* The harnesses with no finding yet still run on their directory (kept with
 * a README so that a future reproducer has its place). */
Test(fuzz_regress, others)
{
    replay_dir("tle", fuzz_tle_one);
    replay_dir("omm_csv", fuzz_omm_csv_one);
    replay_dir("omm_json", fuzz_omm_json_one);
    replay_dir("scenario", fuzz_scenario_one);
    replay_dir("isl", fuzz_isl_one);
}
