/* test_report.c: the HTML report file: data and map embedded, nothing
 * loaded from the network, written atomically.  (The browser test that
 * renders a real run's report is tests/test_report_browser.c.) */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orbnet/report.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/orbnet-report-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

static const char *data =
    "{\"title\":\"orbnet run: t\",\"params\":[[\"k\",\"v\"]],\"sources\":[\"src\"],"
    "\"sites\":[{\"name\":\"</script><b>x\",\"role\":\"terminal\",\"lat\":50.45,\"lon\":30.52}],"
    "\"terminals\":[],\"series\":{\"t_s\":[],\"rtt_ms\":[],\"handovers\":[]},\"frames\":[]}";

Test(report, embeds_data_map_and_nothing_external, .init = make_dir, .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/report.html", dir);
    orb_error_t err;
    cr_assert_eq(orb_report_write(path, data, &err), ORB_OK);
    char *html = slurp(path);
    /* both markers replaced */
    cr_assert_null(strstr(html, "/*ORB_DATA*/null"));
    cr_assert_null(strstr(html, "/*ORB_WORLD*/null"));
    cr_assert_not_null(strstr(html, "\"title\":\"orbnet run: t\""));
    /* the TopoJSON map is inside: its object names and Ukraine */
    cr_assert_not_null(strstr(html, "\"type\":\"Topology\""));
    cr_assert_not_null(strstr(html, "\"name\":\"Ukraine\""));
    /* a site named "</script>" cannot close the script element early */
    cr_assert_null(strstr(html, "</script><b>x"));
    cr_assert_not_null(strstr(html, "<\\/script><b>x"));
    /* self-contained: no external scripts, styles, fonts or images */
    cr_assert_null(strstr(html, "src=\"http"));
    cr_assert_null(strstr(html, "href=\"http"));
    cr_assert_null(strstr(html, "@import"));
    cr_assert_null(strstr(html, "url(http"));
    free(html);
}

Test(report, failure_leaves_no_file, .init = make_dir, .fini = remove_dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/missing-folder/report.html", dir);
    orb_error_t err;
    cr_assert_eq(orb_report_write(path, data, &err), ORB_EIO);
    cr_assert_str_eq(err.file, path);
    DIR *d = opendir(dir);
    struct dirent *e;
    int entries = 0;
    while ((e = readdir(d)))
        entries += e->d_name[0] != '.';
    closedir(d);
    cr_assert_eq(entries, 0, "a temporary file was left behind");
}
