/* test_report_browser.c: the report of a short run (tests/data/report/short.ini)
 * opened in headless Chromium: no console message; the map, the slider, the
 * RTT chart and the bars are drawn from that run's data; moving the slider
 * and choosing a terminal redraw them; a screenshot. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHORT_INI "tests/data/report/short.ini"
#define CHROMIUM_FLAGS                                                                     \
    "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking " \
    "--disable-component-update --disable-sync"

static const char *chromium(void)
{
    const char *c = getenv("CHROMIUM");
    if (!c)
        c = "/usr/bin/chromium";
    cr_assert_eq(access(c, X_OK), 0,
                 "%s not found: the report test needs Debian's chromium "
                 "(scripts/install-deps.sh test installs it; CHROMIUM=PATH names another)", c);
    return c;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = 0;
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Opens FILE (a path) in Chromium with a fresh profile under DIR; the DOM
 * after scripts ran goes to DIR/TAG.dom, Chromium's log to DIR/TAG.log. */
static void open_in_chromium(const char *dir, const char *file, const char *tag)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s " CHROMIUM_FLAGS " --user-data-dir=%s/profile-%s "
             "--enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "
             "'file://%s' >%s/%s.dom 2>%s/%s.log",
             chromium(), dir, tag, file, dir, tag, dir, tag);
    cr_assert_eq(sh(cmd), 0, "chromium failed: see %s/%s.log", dir, tag);
}

/* Lines of a Chromium log that report the page's console: every console
 * message, whatever its level, is logged as "[pid:tid:time:INFO:CONSOLE:N]"
 * (older builds: "INFO:CONSOLE(N)"), and uncaught exceptions read
 * "Uncaught ...".  The report logs nothing, so any such line is a finding;
 * the rest of the log (dbus, GPU, sandbox notices) is Chromium's own. */
static int console_lines(const char *log, char *first, size_t first_len)
{
    int n = 0;
    first[0] = 0;
    for (const char *p = log; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        if (strstr(line, ":CONSOLE:") || strstr(line, ":CONSOLE(") || strstr(line, "Uncaught")) {
            if (n++ == 0)
                snprintf(first, first_len, "%s", line);
        }
        p = e ? e + 1 : p + len;
    }
    return n;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The DOM without the contents of <script> elements, so that what is
 * searched is what the page shows, not the data it was given. */
static void strip_scripts(char *dom)
{
    char *w = dom, *r = dom;
    while (*r) {
        char *s = strstr(r, "<script");
        if (!s) {
            memmove(w, r, strlen(r) + 1);
            return;
        }
        memmove(w, r, (size_t)(s - r));
        w += s - r;
        char *e = strstr(s, "</script>");
        r = e ? e + 9 : s + strlen(s);
    }
    *w = 0;
}

/* Whether the start tag holding the first occurrence of WHAT also holds
 * ALSO (e.g. a path with class="series" and a d="M..." attribute). */
static int tag_has(const char *dom, const char *what, const char *also)
{
    const char *p = strstr(dom, what);
    if (!p)
        return 0;
    const char *start = p, *end = strchr(p, '>');
    while (start > dom && *start != '<')
        start--;
    const char *a = strstr(start, also);
    return a && end && a < end;
}

/* The value of attribute ATTR in the first element with id ID (as Chromium
 * serialises it: attr="value"). */
static long attr_of_id(const char *dom, const char *id, const char *attr)
{
    char key[128];
    snprintf(key, sizeof key, "id=\"%s\"", id);
    const char *p = strstr(dom, key);
    cr_assert_not_null(p, "no element with id %s", id);
    const char *start = p;
    while (start > dom && *start != '<')
        start--;
    const char *end = strchr(p, '>');
    snprintf(key, sizeof key, " %s=\"", attr);
    const char *a = strstr(start, key);
    cr_assert(a && a < end, "#%s has no %s", id, attr);
    return strtol(a + strlen(key), NULL, 10);
}

/* The report's data object, read back from the file (report.c writes it
 * after "const ORB = " with "</" escaped as "<\/", which JSON allows). */
static json_t *report_data(const char *html)
{
    const char *a = strstr(html, "const ORB = ");
    cr_assert_not_null(a);
    a += strlen("const ORB = ");
    json_error_t je;
    json_t *d = json_loadb(a, strlen(a), JSON_DISABLE_EOF_CHECK, &je);
    cr_assert_not_null(d, "report data: %s", je.text);
    return d;
}

static char *make_tmpdir(void)
{
    char *dir = strdup("/tmp/orbnet_report_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static void remove_tree(char *dir)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(sh(cmd), 0);
    free(dir);
}

static void short_run(const char *dir)
{
    const char *orbnet = getenv("ORBNET");
    cr_assert_not_null(orbnet, "set ORBNET to the orbnet command (e.g. build/orbnet)");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s run " SHORT_INI " -o %s --quiet 2>%s/run.err", orbnet, dir, dir);
    cr_assert_eq(sh(cmd), 0, "orbnet run " SHORT_INI " failed: see %s/run.err", dir);
}

Test(report_browser, short_run_renders_its_data)
{
    char *dir = make_tmpdir(), p[1200], first[2048];
    short_run(dir);
    snprintf(p, sizeof p, "%s/report.html", dir);
    char *html = slurp(p, NULL);
    /* self-contained: nothing to fetch from the network */
    cr_expect_null(strstr(html, "src=\"http"), "the report loads a script or image from the network");
    cr_expect_null(strstr(html, "href=\"http"), "the report links a stylesheet from the network");
    cr_expect_null(strstr(html, "url(http"), "the report loads a resource from the network");

    open_in_chromium(dir, p, "report");
    snprintf(p, sizeof p, "%s/report.log", dir);
    char *log = slurp(p, NULL);
    int bad = console_lines(log, first, sizeof first);
    cr_expect_eq(bad, 0, "%d console message(s), the first: %s", bad, first);
    snprintf(p, sizeof p, "%s/report.dom", dir);
    char *dom = slurp(p, NULL);

    json_t *data = report_data(html);
    size_t frames = json_array_size(json_object_get(data, "frames"));
    cr_assert_gt(frames, 1, "the short run should have several map frames");
    cr_expect(strstr(dom, "data-ready=\"1\""), "main() did not finish (no data-ready on body)");
    cr_expect_eq(attr_of_id(dom, "time-slider", "max"), (long)frames - 1);
    strip_scripts(dom);
    cr_expect_gt(count(dom, "data-country=\""), 100, "the map has no land");
    cr_expect_gt(count(dom, "class=\"sat\""), 10, "the map shows no satellites");
    cr_expect_eq(count(dom, "class=\"series\""), 1, "the RTT chart has no series");
    cr_expect(tag_has(dom, "class=\"series\"", " d=\"M"), "the RTT series is empty");

    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *sum = json_load_file(p, 0, &je), *t;
    cr_assert_not_null(sum, "%s: %s", p, je.text);
    json_t *terms = json_object_get(sum, "terminals");
    cr_assert_eq(json_array_size(terms), 4, "short.ini has four cities");
    cr_expect_eq(count(dom, "class=\"bar\""), 4, "one bar per terminal");
    size_t k;
    json_array_foreach(terms, k, t) {
        char cell[200];
        snprintf(cell, sizeof cell, "<td>%s</td>", json_string_value(json_object_get(t, "name")));
        cr_expect(strstr(dom, cell), "terminal %s is not in the table", cell);
        snprintf(cell, sizeof cell, ">%s</text>", json_string_value(json_object_get(t, "name")));
        cr_expect(strstr(dom, cell), "terminal %s is not labelled in the charts", cell);
    }

    /* the screenshot, a second Chromium run */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s " CHROMIUM_FLAGS " --user-data-dir=%s/profile-shot "
             "--virtual-time-budget=5000 --screenshot=%s/report.png --window-size=1400,1800 "
             "'file://%s/report.html' >%s/shot.log 2>&1",
             chromium(), dir, dir, dir, dir);
    cr_assert_eq(sh(cmd), 0, "chromium --screenshot failed: see %s/shot.log", dir);
    snprintf(p, sizeof p, "%s/report.png", dir);
    size_t n;
    unsigned char *png = (unsigned char *)slurp(p, &n);
    cr_assert_gt(n, 24);
    cr_expect_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0, "not a PNG");
    unsigned long w = 0, h = 0; /* IHDR: big-endian width and height */
    for (int b = 0; b < 4; b++) {
        w = w << 8 | (unsigned long)png[16 + b];
        h = h << 8 | (unsigned long)png[20 + b];
    }
    cr_expect(w == 1400 && h == 1800, "screenshot is %lux%lu", w, h);
    /* a blank page compresses to a few kB; a drawn map and charts to 100s */
    cr_expect_gt(n, 100000, "screenshot of %zu bytes: is the page empty?", n);

    json_decref(sum);
    json_decref(data);
    free(png);
    free(dom);
    free(log);
    free(html);
    remove_tree(dir);
}

/* The slider moves the map: a copy of the report with a script added that
 * moves the slider to the last frame, as a person dragging it would (an
 * "input" event), then picks the second terminal.  The time label, the
 * satellites, the RTT chart's cursor and the chart's terminal must follow. */
Test(report_browser, slider_and_terminal_choice_redraw)
{
    char *dir = make_tmpdir(), p[1200], first[2048];
    short_run(dir);
    snprintf(p, sizeof p, "%s/report.html", dir);
    char *html = slurp(p, NULL);
    char *body = strstr(html, "</body>");
    cr_assert_not_null(body);
    snprintf(p, sizeof p, "%s/moved.html", dir);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    fwrite(html, 1, (size_t)(body - html), f);
    fputs("<script>(function () {\n"
          "  const $ = s => document.querySelector(s), sl = $('#time-slider');\n"
          "  const before = [$('#time-label').textContent, $('circle.sat').getAttribute('cx'),\n"
          "                  $('line.cursor').getAttribute('x1')];\n"
          "  sl.value = sl.max; sl.dispatchEvent(new Event('input'));\n"
          "  const after = [$('#time-label').textContent, $('circle.sat').getAttribute('cx'),\n"
          "                 $('line.cursor').getAttribute('x1')];\n"
          "  const sel = $('#terminal-select'); sel.value = 1; sel.dispatchEvent(new Event('change'));\n"
          "  document.body.setAttribute('data-moved', before.map((b, i) => b !== after[i] ? 1 : 0).join(''));\n"
          "  document.body.setAttribute('data-chart-terminal', $('#rtt-terminal').textContent);\n"
          "})();</script>", f);
    fputs(body, f);
    fclose(f);
    open_in_chromium(dir, p, "moved");
    snprintf(p, sizeof p, "%s/moved.log", dir);
    char *log = slurp(p, NULL);
    cr_expect_eq(console_lines(log, first, sizeof first), 0, "%s", first);
    snprintf(p, sizeof p, "%s/moved.dom", dir);
    char *dom = slurp(p, NULL);
    /* time label, first satellite's position, cursor: all changed */
    cr_expect(strstr(dom, "data-moved=\"111\""), "the slider did not move label, satellites and cursor");
    json_t *data = report_data(html);
    const char *second = json_string_value(
        json_object_get(json_array_get(json_object_get(data, "terminals"), 1), "name"));
    char want[200];
    snprintf(want, sizeof want, "data-chart-terminal=\"%s\"", second);
    cr_expect(strstr(dom, want), "the RTT chart does not show the chosen terminal %s", second);
    json_decref(data);
    free(dom);
    free(log);
    free(html);
    remove_tree(dir);
}

/* The console check can fail: a copy of a report with an uncaught error and
 * a console.error call added is caught, twice. */
Test(report_browser, console_check_catches_injected_errors)
{
    char *dir = make_tmpdir(), p[1200], first[2048];
    short_run(dir);
    snprintf(p, sizeof p, "%s/report.html", dir);
    size_t n;
    char *html = slurp(p, &n);
    char *body = strstr(html, "</body>");
    cr_assert_not_null(body);
    snprintf(p, sizeof p, "%s/broken.html", dir);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    fwrite(html, 1, (size_t)(body - html), f);
    fputs("<script>console.error(\"deliberate\");</script>"
          "<script>no_such_function();</script>", f);
    fputs(body, f);
    fclose(f);
    open_in_chromium(dir, p, "broken");
    snprintf(p, sizeof p, "%s/broken.log", dir);
    char *log = slurp(p, NULL);
    cr_expect_eq(console_lines(log, first, sizeof first), 2, "log:\n%s", log);
    cr_expect(strstr(log, "Uncaught ReferenceError: no_such_function"), "log:\n%s", log);
    free(log);
    free(html);
    remove_tree(dir);
}
