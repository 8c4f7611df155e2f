/* test_elements.c: catalogues, the bounded file reader, format sniffing,
 * the bad-input catalogue (tests/data/elsets/bad), roll-back on error and
 * allocation failure at every allocation of a load. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "orbnet/elements.h"
#include "orbnet/omm.h"
#include "orbnet/tle.h"
#include "fail_alloc.h"

#define ELSETS "tests/data/elsets/"
#define SNAPSHOT "data/tle/starlink_celestrak_gp_2026-06-24.tle"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A private temporary folder per test. */
static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/orbnet_elsets_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    unlink(path);
}

static const char *tmp_path(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
    return buf;
}

Test(elements, catalog_add_find_destroy)
{
    orb_catalog_destroy(NULL);
    orb_catalog_t *cat = orb_catalog_create();
    cr_assert_not_null(cat);
    cr_expect_eq(cat->count, 0);
    cr_expect_eq(orb_catalog_find(cat, 1), -1);
    orb_elements_t el;
    memset(&el, 0, sizeof el);
    for (long i = 1; i <= 1000; i++) {
        el.norad_id = i * 7;
        cr_assert_eq(orb_catalog_add(cat, &el), ORB_OK);
    }
    cr_expect_eq(cat->count, 1000);
    cr_expect_geq(cat->capacity, 1000);
    cr_expect_eq(orb_catalog_find(cat, 7), 0);
    cr_expect_eq(orb_catalog_find(cat, 7000), 999);
    cr_expect_eq(orb_catalog_find(cat, 8), -1);
    orb_catalog_destroy(cat);
}

Test(elements, sniffs_every_format)
{
    static const struct {
        const char *path;
        size_t count;
        long first_id;
    } files[] = {
        {SNAPSHOT, 10631, 44714},
        {ELSETS "starlink_celestrak_omm_2026-06-20.csv", 10634, 44714},
        {ELSETS "omm_json_sample.json", 4, 44714},
        {ELSETS "alpha5_omm.json", 1, 100534},
        {ELSETS "alpha5.tle", 1, 100534},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        orb_catalog_t *cat = orb_catalog_create();
        orb_error_t err;
        int rc = orb_catalog_load(files[i].path, cat, &err);
        cr_expect_eq(rc, ORB_OK, "%s: %s", files[i].path, err.message);
        cr_expect_eq(cat->count, files[i].count, "%s: %zu", files[i].path, cat->count);
        if (cat->count)
            cr_expect_eq(cat->sats[0].norad_id, files[i].first_id);
        orb_catalog_destroy(cat);
    }
}

Test(elements, loads_append_to_a_catalogue)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    cr_assert_eq(orb_catalog_load(ELSETS "alpha5.tle", cat, &err), ORB_OK);
    cr_assert_eq(orb_catalog_load(ELSETS "omm_json_sample.json", cat, &err), ORB_OK);
    cr_expect_eq(cat->count, 5);
    cr_expect_eq(cat->sats[0].norad_id, 100534);
    cr_expect_eq(cat->sats[1].norad_id, 44714);
    orb_catalog_destroy(cat);
}

static int status_code(const char *name)
{
    static const struct {
        const char *name;
        int code;
    } codes[] = {{"ORB_ESYNTAX", ORB_ESYNTAX}, {"ORB_ERANGE", ORB_ERANGE},
                 {"ORB_ECHECKSUM", ORB_ECHECKSUM}, {"ORB_EEMPTY", ORB_EEMPTY},
                 {"ORB_EIO", ORB_EIO}, {"ORB_ETOOBIG", ORB_ETOOBIG}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(codes[i].name, name) == 0)
            return codes[i].code;
    cr_assert_fail("unknown status %s in MANIFEST.csv", name);
    return 0;
}

/* Splits a MANIFEST.csv row: file,code,line,column,field,message where only
 * the message may be quoted (with "" for a quote). */
static int split_manifest(char *row, char *cell[6])
{
    char *p = row;
    for (int k = 0; k < 5; k++) {
        cell[k] = p;
        p = strchr(p, ',');
        if (!p)
            return 0;
        *p++ = '\0';
    }
    char *msg = p, *out = p;
    p[strcspn(p, "\n")] = '\0';
    if (*p == '"') {
        for (p++; *p; p++) {
            if (*p == '"' && p[1] == '"')
                p++;
            else if (*p == '"')
                break;
            *out++ = *p;
        }
        *out = '\0';
    }
    cell[5] = msg;
    return 1;
}

Test(elements, bad_input_catalogue)
{
    FILE *f = fopen(ELSETS "bad/MANIFEST.csv", "r");
    cr_assert_not_null(f);
    char row[1024];
    cr_assert_not_null(fgets(row, sizeof row, f));
    int n = 0;
    while (fgets(row, sizeof row, f)) {
        char *c[6];
        cr_assert(split_manifest(row, c), "bad manifest row %s", row);
        char path[256], formatted[1200];
        snprintf(path, sizeof path, ELSETS "bad/%s", c[0]);
        /* a catalogue that already holds records keeps exactly them */
        orb_catalog_t *cat = orb_catalog_create();
        orb_error_t err;
        cr_assert_eq(orb_catalog_load(ELSETS "alpha5.tle", cat, &err), ORB_OK);
        orb_elements_t before = cat->sats[0];
        double t0 = now_s();
        int rc = orb_catalog_load(path, cat, &err);
        double dt = now_s() - t0;
        cr_expect_eq(rc, status_code(c[1]), "%s: rc %d (%s)", c[0], rc, err.message);
        cr_expect_eq(err.code, rc);
        cr_expect_str_eq(err.file, path);
        cr_expect_eq(err.line, atol(c[2]), "%s: line %ld, want %s", c[0], err.line, c[2]);
        if (atoi(c[3]) >= 0)
            cr_expect_eq(err.column, atoi(c[3]), "%s: column %d, want %s", c[0],
                         err.column, c[3]);
        cr_expect_str_eq(err.field, c[4], "%s", c[0]);
        orb_error_format(&err, formatted, sizeof formatted);
        cr_expect_not_null(strstr(formatted, c[5]), "%s: message \"%s\" lacks \"%s\"",
                           c[0], formatted, c[5]);
        cr_expect(strncmp(formatted, path, strlen(path)) == 0, "%s", formatted);
        cr_expect_eq(cat->count, 1, "%s: catalogue changed", c[0]);
        cr_expect(memcmp(&cat->sats[0], &before, sizeof before) == 0);
        cr_expect_lt(dt, 0.5, "%s took %.3f s", c[0], dt);
        orb_catalog_destroy(cat);
        n++;
    }
    fclose(f);
    cr_expect_geq(n, 40);
}

Test(elements, huge_file_refused_at_once)
{
    make_tmpdir();
    char path[128];
    tmp_path("huge.tle", path, sizeof path);
    /* 100 MB, sparse: no disk space used, and must not be read */
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, 100L * 1000 * 1000), 0);
    close(fd);
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    double t0 = now_s();
    int rc = orb_catalog_load(path, cat, &err);
    double dt = now_s() - t0;
    cr_expect_eq(rc, ORB_ETOOBIG);
    cr_expect_str_eq(err.file, path);
    cr_expect_not_null(strstr(err.message, "100000000 bytes"), "%s", err.message);
    cr_expect_lt(dt, 0.05, "refusing took %.3f s", dt);
    /* one byte over the limit is refused, the limit itself is read */
    fd = open(path, O_WRONLY | O_TRUNC);
    cr_assert_eq(ftruncate(fd, ORB_MAX_INPUT_BYTES + 1), 0);
    close(fd);
    char *buf = NULL;
    size_t len = 0;
    cr_expect_eq(orb_file_read(path, &buf, &len, &err), ORB_ETOOBIG);
    cr_expect_null(buf);
    orb_catalog_destroy(cat);
    remove_tmp("huge.tle");
    rmdir(tmpdir);
}

Test(elements, limit_holds_for_pipes_too)
{
    /* a FIFO has no size to stat: the reader must stop at the limit */
    make_tmpdir();
    char path[128];
    tmp_path("fifo", path, sizeof path);
    cr_assert_eq(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        static char block[1 << 16];
        memset(block, 'x', sizeof block);
        for (long sent = 0; sent <= ORB_MAX_INPUT_BYTES; sent += (long)sizeof block)
            if (write(fd, block, sizeof block) < 0)
                _exit(0);
        _exit(0);
    }
    char *buf;
    size_t len;
    orb_error_t err;
    cr_expect_eq(orb_file_read(path, &buf, &len, &err), ORB_ETOOBIG);
    cr_expect_str_eq(err.file, path);
    int status;
    waitpid(pid, &status, 0);
    remove_tmp("fifo");
    rmdir(tmpdir);
}

Test(elements, unreadable_files)
{
    char *buf;
    size_t len;
    orb_error_t err;
    cr_expect_eq(orb_file_read("tests/data/elsets/no-such-file.tle", &buf, &len, &err), ORB_EIO);
    cr_expect_str_eq(err.file, "tests/data/elsets/no-such-file.tle");
    cr_expect_not_null(strstr(err.message, "No such file"), "%s", err.message);
    cr_expect_eq(orb_file_read("tests/data/elsets", &buf, &len, &err), ORB_EIO);
    cr_expect_not_null(strstr(err.message, "directory"), "%s", err.message);
    if (geteuid() != 0) { /* root reads anything */
        make_tmpdir();
        char path[128];
        tmp_path("secret.tle", path, sizeof path);
        int fd = open(path, O_CREAT | O_WRONLY, 0000);
        close(fd);
        cr_expect_eq(orb_file_read(path, &buf, &len, &err), ORB_EIO);
        cr_expect_not_null(strstr(err.message, "ermission"), "%s", err.message);
        remove_tmp("secret.tle");
        rmdir(tmpdir);
    }
}

Test(elements, file_read_returns_text)
{
    char *buf;
    size_t len;
    orb_error_t err;
    cr_assert_eq(orb_file_read(ELSETS "alpha5.tle", &buf, &len, &err), ORB_OK);
    cr_expect_eq(len, strlen(buf));
    cr_expect_eq(strncmp(buf, "STARLINK-38244", 14), 0);
    orb_buffer_free(buf);
    cr_assert_eq(orb_file_read(ELSETS "bad/empty.tle", &buf, &len, &err), ORB_OK);
    cr_expect_eq(len, 0);
    cr_expect_str_eq(buf, "");
    orb_buffer_free(buf);
    orb_buffer_free(NULL);
}

Test(elements, nul_byte_late_in_file)
{
    make_tmpdir();
    char path[128];
    tmp_path("nul.tle", path, sizeof path);
    FILE *f = fopen(path, "wb");
    fputs("STARLINK-1008\n1 44714U 19074B   26174.88577602  .00061014  00000+0  10374-2 0  9992\n2 44714", f);
    fputc('\0', f);
    fclose(f);
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    cr_expect_eq(orb_catalog_load(path, cat, &err), ORB_ESYNTAX);
    cr_expect_eq(err.line, 3);
    cr_expect_not_null(strstr(err.message, "binary"));
    orb_catalog_destroy(cat);
    remove_tmp("nul.tle");
    rmdir(tmpdir);
}

/* ---- allocation failure ---- */

/* Loads path with the n-th allocation failing, for n = 1, 2, ... until a
 * load succeeds: every earlier load must fail with ORB_ENOMEM and leave the
 * catalogue as it was.  LeakSanitizer (the ASan build) checks for leaks. */
static void fail_every_allocation(const char *path, size_t want_count)
{
    long n;
    for (n = 1; n < 100000; n++) {
        fail_alloc_install_once(n - 1); /* the n-th allocation fails */
        orb_catalog_t *cat = orb_catalog_create();
        if (!cat)
            continue; /* the catalogue itself was the failed allocation */
        orb_error_t err;
        int rc = orb_catalog_load(path, cat, &err);
        size_t count = cat->count;
        orb_catalog_destroy(cat);
        if (rc == ORB_OK) {
            cr_expect_eq(count, want_count);
            break;
        }
        cr_expect_eq(rc, ORB_ENOMEM, "%s: allocation %ld failed: rc %d (%s)",
                     path, n, rc, err.message);
        cr_expect_eq(count, 0);
        cr_expect_str_eq(err.file, path);
    }
    fail_alloc_remove();
    cr_expect_gt(n, 2, "%s: too few allocations to test (%ld)", path, n);
    cr_expect_lt(n, 100000);
}

Test(elements, allocation_failure_tle)
{
    fail_every_allocation(ELSETS "alpha5.tle", 1);
}

Test(elements, allocation_failure_tle_growth)
{
    /* 33 sets: the catalogue array grows past its first 16 slots */
    orb_error_t err;
    char *buf;
    size_t len;
    cr_assert_eq(orb_file_read(ELSETS "SGP4-VER.TLE", &buf, &len, &err), ORB_OK);
    long n;
    for (n = 1; n < 1000; n++) {
        fail_alloc_install_once(n - 1); /* the n-th allocation fails */
        orb_catalog_t cat = {NULL, 0, 0};
        int rc = orb_tle_parse_buffer_flags(buf, len, "v", ORB_TLE_NO_CHECKSUM, &cat, &err);
        size_t count = cat.count;
        free(cat.sats);
        if (rc == ORB_OK) {
            cr_expect_eq(count, 33);
            break;
        }
        cr_expect_eq(rc, ORB_ENOMEM);
        cr_expect_eq(count, 0);
    }
    fail_alloc_remove();
    cr_expect_geq(n, 3);
    orb_buffer_free(buf);
}

Test(elements, allocation_failure_omm_json)
{
    fail_every_allocation(ELSETS "omm_json_sample.json", 4);
}

Test(elements, allocation_failure_omm_csv)
{
    make_tmpdir();
    char path[128];
    tmp_path("small.csv", path, sizeof path);
    FILE *in = fopen(ELSETS "starlink_celestrak_omm_2026-06-20.csv", "r");
    FILE *out = fopen(path, "w");
    char line[512];
    for (int i = 0; i < 20 && fgets(line, sizeof line, in); i++)
        fputs(line, out);
    fclose(in);
    fclose(out);
    fail_every_allocation(path, 19);
    remove_tmp("small.csv");
    rmdir(tmpdir);
}
