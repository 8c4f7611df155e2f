/* test_omm.c: OMM CSV and JSON (CelesTrak's forms) against the values
 * written in the files, against the same element sets as TLEs, and field
 * errors with their lines. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "orbnet/elements.h"
#include "orbnet/omm.h"
#include "orbnet/tle.h"

#define ELSETS "tests/data/elsets/"
#define OMM_CSV ELSETS "starlink_celestrak_omm_2026-06-20.csv"
#define SNAPSHOT "data/tle/starlink_celestrak_gp_2026-06-24.tle"
#define D2R (M_PI / 180.0)

static orb_catalog_t *load(const char *path)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    char msg[1200];
    int rc = orb_omm_load(path, cat, &err);
    cr_assert_eq(rc, ORB_OK, "%s", orb_error_format(&err, msg, sizeof msg));
    return cat;
}

static orb_catalog_t *parse(const char *text, int json)
{
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    int rc = json ? orb_omm_parse_json(text, strlen(text), "t", cat, &err)
                  : orb_omm_parse_csv(text, strlen(text), "t", cat, &err);
    cr_assert_eq(rc, ORB_OK, "%s (line %ld)", err.message, err.line);
    return cat;
}

/* Values equal as doubles: both sides come from the same decimal text
 * through correctly rounded conversions (strtod, or strtod and one
 * multiplication by the same constant). */
static void expect_same(const orb_elements_t *a, const orb_elements_t *b)
{
    cr_expect_eq(a->norad_id, b->norad_id);
    cr_expect_str_eq(a->name, b->name);
    cr_expect_str_eq(a->intl_designator, b->intl_designator);
    cr_expect_eq(a->classification, b->classification);
    cr_expect_eq(a->epoch.jd, b->epoch.jd);
    cr_expect_eq(a->epoch.fr, b->epoch.fr);
    cr_expect_eq(a->mean_motion_rev_day, b->mean_motion_rev_day);
    cr_expect_eq(a->eccentricity, b->eccentricity);
    cr_expect_eq(a->inclination_rad, b->inclination_rad);
    cr_expect_eq(a->raan_rad, b->raan_rad);
    cr_expect_eq(a->arg_perigee_rad, b->arg_perigee_rad);
    cr_expect_eq(a->mean_anomaly_rad, b->mean_anomaly_rad);
    cr_expect_eq(a->bstar_per_er, b->bstar_per_er);
    cr_expect_eq(a->ndot_rev_day2, b->ndot_rev_day2);
    cr_expect_eq(a->nddot_rev_day3, b->nddot_rev_day3);
    cr_expect_eq(a->element_set_no, b->element_set_no);
    cr_expect_eq(a->rev_at_epoch, b->rev_at_epoch);
}

Test(omm, csv_whole_file)
{
    orb_catalog_t *cat = load(OMM_CSV);
    cr_expect_eq(cat->count, 10634);
    /* row 1: STARLINK-1008,2019-074B,2026-06-20T09:43:48.440064,15.50487193,
     * .000211,53.1521,53.3154,147.6682,212.4457,0,U,44714,999,36471,
     * .97291E-3,.56365E-3,0 */
    const orb_elements_t *s = &cat->sats[0];
    cr_expect_str_eq(s->name, "STARLINK-1008");
    cr_expect_str_eq(s->intl_designator, "2019-074B");
    cr_expect_eq(s->norad_id, 44714);
    cr_expect_eq(s->classification, 'U');
    cr_expect_eq(s->mean_motion_rev_day, 15.50487193);
    cr_expect_eq(s->eccentricity, 0.000211);
    cr_expect_eq(s->inclination_rad, 53.1521 * D2R);
    cr_expect_eq(s->raan_rad, 53.3154 * D2R);
    cr_expect_eq(s->arg_perigee_rad, 147.6682 * D2R);
    cr_expect_eq(s->mean_anomaly_rad, 212.4457 * D2R);
    cr_expect_eq(s->bstar_per_er, 0.97291e-3);
    cr_expect_eq(s->ndot_rev_day2, 0.56365e-3);
    cr_expect_eq(s->nddot_rev_day3, 0.0);
    cr_expect_eq(s->element_set_no, 999);
    cr_expect_eq(s->rev_at_epoch, 36471);
    cr_expect_eq(s->source_line, 2);
    orb_time_t want = orb_time_from_calendar(2026, 6, 20, 9, 43, 48.440064);
    cr_expect(fabs(orb_time_diff_s(s->epoch, want)) < 1e-6);
    cr_expect_eq(s->epoch_year, 2026);
    /* June 20 is day 171; 09:43:48.440064 is 0.405421760 of a day */
    cr_expect_float_eq(s->epoch_day, 171.0 + 35028.440064 / 86400.0, 1e-11);
    cr_expect_eq(cat->sats[cat->count - 1].norad_id, 69536);
    cr_expect_eq(cat->sats[cat->count - 1].source_line, 10635);
    orb_catalog_destroy(cat);
}

Test(omm, csv_and_tle_snapshot_agree)
{
    /* the OMM CSV (epoch of this satellite 2026-06-20) and the TLE snapshot
     * (2026-06-23) describe the same fleet three and a half days apart: the shapes of the
     * orbits agree closely, the phases do not */
    orb_catalog_t *csv = load(OMM_CSV);
    orb_catalog_t *tle = orb_catalog_create();
    orb_error_t err;
    cr_assert_eq(orb_tle_load(SNAPSHOT, tle, &err), ORB_OK);
    size_t shared = 0;
    for (size_t i = 0; i < tle->count; i++)
        shared += orb_catalog_find(csv, tle->sats[i].norad_id) >= 0;
    cr_expect_gt(shared, 10000, "%zu satellites in both", shared);
    /* STARLINK-1008: i 53.1521 (CSV) vs 53.1523 (TLE), n 15.50487 vs 15.50879 */
    const orb_elements_t *a = &csv->sats[orb_catalog_find(csv, 44714)];
    const orb_elements_t *b = &tle->sats[orb_catalog_find(tle, 44714)];
    cr_expect_str_eq(a->name, b->name);
    cr_expect_str_eq(a->intl_designator, "2019-074B");
    cr_expect_str_eq(b->intl_designator, "19074B");
    cr_expect_lt(fabs(a->inclination_rad - b->inclination_rad), 0.01 * D2R);
    cr_expect_lt(fabs(a->mean_motion_rev_day - b->mean_motion_rev_day), 0.01);
    cr_expect_lt(fabs(a->eccentricity - b->eccentricity), 1e-4);
    double days = orb_time_diff_s(b->epoch, a->epoch) / 86400.0;
    cr_expect(days > 3.4 && days < 3.5, "epochs %.2f days apart", days);
    /* the node regresses by J2: dRAAN/dt = -1.5 n J2 (Re/a)^2 cos i (e ~ 0);
     * WGS-72 mu = 398600.8 km^3/s^2, Re = 6378.135 km, J2 = 1.082616e-3.
     * The catalogues say 53.3154 -> 36.6365 deg in 3.48 days; the J2 rate
     * predicts about -4.7 deg/day.  1 degree allows for J4, drag and the
     * rounding of the elements */
    double n_rad_s = a->mean_motion_rev_day * 2.0 * M_PI / 86400.0;
    double sma_km = cbrt(398600.8 / (n_rad_s * n_rad_s));
    double rate_deg_day = -1.5 * n_rad_s * 86400.0 * 1.082616e-3 *
                          pow(6378.135 / sma_km, 2) * cos(a->inclination_rad) / D2R;
    double draan = (b->raan_rad - a->raan_rad) / D2R;
    cr_expect_lt(fabs(draan - rate_deg_day * days), 1.0,
                 "RAAN moved %.2f deg, J2 predicts %.2f", draan, rate_deg_day * days);
    orb_catalog_destroy(csv);
    orb_catalog_destroy(tle);
}

Test(omm, alpha5_json_equals_tle)
{
    orb_catalog_t *j = load(ELSETS "alpha5_omm.json");
    orb_catalog_t *t = orb_catalog_create();
    orb_error_t err;
    cr_assert_eq(orb_tle_load(ELSETS "alpha5.tle", t, &err), ORB_OK);
    cr_assert_eq(j->count, 1);
    const orb_elements_t *a = &j->sats[0], *b = &t->sats[0];
    cr_expect_eq(a->norad_id, 100534);
    cr_expect_eq(b->norad_id, 100534);
    cr_expect_str_eq(a->name, b->name);
    cr_expect_str_eq(a->intl_designator, "2026-200A");
    cr_expect_str_eq(b->intl_designator, "26200A");
    /* the TLE's epoch day 274.92458857 is 22:11:24.452448, as in the JSON */
    cr_expect(fabs(orb_time_diff_s(a->epoch, b->epoch)) < 1e-6, "%.9f s",
              orb_time_diff_s(a->epoch, b->epoch));
    cr_expect_float_eq(a->epoch_day, b->epoch_day, 1e-11);
    /* tolerances: half a unit in the TLE's last digit, where the TLE has
     * fewer digits than the JSON */
    cr_expect_float_eq(a->eccentricity, b->eccentricity, 0.5e-7);
    cr_expect_float_eq(a->bstar_per_er, b->bstar_per_er, 0.5e-8);
    cr_expect_eq(a->mean_motion_rev_day, b->mean_motion_rev_day);
    cr_expect_eq(a->ndot_rev_day2, b->ndot_rev_day2);
    cr_expect_eq(a->nddot_rev_day3, b->nddot_rev_day3);
    cr_expect_eq(a->inclination_rad, b->inclination_rad);
    cr_expect_eq(a->raan_rad, b->raan_rad);
    cr_expect_eq(a->arg_perigee_rad, b->arg_perigee_rad);
    cr_expect_eq(a->mean_anomaly_rad, b->mean_anomaly_rad);
    cr_expect_eq(a->rev_at_epoch, b->rev_at_epoch);
    cr_expect_eq(a->element_set_no, b->element_set_no);
    /* and the JSON element set can be written as an Alpha-5 TLE */
    char l1[70], l2[70];
    cr_assert_eq(orb_tle_format(a, l1, l2), ORB_OK);
    cr_expect_str_eq(l2, "2 A0534  70.0006 102.5417 0003228 274.4885  85.5946 15.77591240  4697");
    orb_catalog_destroy(j);
    orb_catalog_destroy(t);
}

Test(omm, json_sample)
{
    orb_catalog_t *cat = load(ELSETS "omm_json_sample.json");
    cr_assert_eq(cat->count, 4);
    const orb_elements_t *s = &cat->sats[0];
    cr_expect_str_eq(s->name, "STARLINK-1008");
    cr_expect_eq(s->mean_motion_rev_day, 15.65058989);
    cr_expect_eq(s->eccentricity, 0.00023938);
    cr_expect_eq(s->bstar_per_er, 0.00030957272);
    cr_expect_eq(s->rev_at_epoch, 37906);
    cr_expect_eq(s->source_line, 1);
    cr_expect_eq(cat->sats[3].norad_id, 44741);
    orb_catalog_destroy(cat);
}

static const char *const JSON_NUMBERS =
    "{\"OBJECT_NAME\":\"STARLINK-1008\",\"OBJECT_ID\":\"2019-074B\","
    "\"EPOCH\":\"2026-09-20T10:48:51.349248\",\"MEAN_MOTION\":15.65058989,"
    "\"ECCENTRICITY\":0.00023938,\"INCLINATION\":53.1478,\"RA_OF_ASC_NODE\":327.2457,"
    "\"ARG_OF_PERICENTER\":69.1515,\"MEAN_ANOMALY\":290.9757,\"EPHEMERIS_TYPE\":0,"
    "\"CLASSIFICATION_TYPE\":\"U\",\"NORAD_CAT_ID\":44714,\"ELEMENT_SET_NO\":999,"
    "\"REV_AT_EPOCH\":37906,\"BSTAR\":0.00030957272,\"MEAN_MOTION_DOT\":0.00030609,"
    "\"MEAN_MOTION_DDOT\":0}";

static const char *const JSON_STRINGS =
    "[{\"OBJECT_NAME\":\"STARLINK-1008\",\"OBJECT_ID\":\"2019-074B\","
    "\"EPOCH\":\"2026-09-20T10:48:51.349248Z\",\"MEAN_MOTION\":\"15.65058989\","
    "\"ECCENTRICITY\":\".00023938\",\"INCLINATION\":\"53.1478\",\"RA_OF_ASC_NODE\":\"327.2457\","
    "\"ARG_OF_PERICENTER\":\"69.1515\",\"MEAN_ANOMALY\":\"290.9757\",\"EPHEMERIS_TYPE\":\"0\","
    "\"CLASSIFICATION_TYPE\":\"U\",\"NORAD_CAT_ID\":\"44714\",\"ELEMENT_SET_NO\":\"999\","
    "\"REV_AT_EPOCH\":\"37906\",\"BSTAR\":\"3.0957272E-4\",\"MEAN_MOTION_DOT\":\".00030609\","
    "\"MEAN_MOTION_DDOT\":\"0\",\"CREATION_DATE\":\"2026-09-20T12:00:00\"}]";

Test(omm, json_numbers_as_strings_and_single_object)
{
    orb_catalog_t *a = parse(JSON_NUMBERS, 1);
    orb_catalog_t *b = parse(JSON_STRINGS, 1);
    cr_assert_eq(a->count, 1);
    cr_assert_eq(b->count, 1);
    expect_same(&a->sats[0], &b->sats[0]);
    orb_catalog_destroy(a);
    orb_catalog_destroy(b);
}

Test(omm, json_six_digit_id_and_null_name)
{
    char text[2048];
    snprintf(text, sizeof text, "%s", JSON_NUMBERS);
    char *p = strstr(text, "44714");
    memcpy(p, "99999", 5); /* NORAD_CAT_ID 99999 -> then 6 digits below */
    orb_catalog_t *cat = parse(text, 1);
    cr_expect_eq(cat->sats[0].norad_id, 99999);
    orb_catalog_destroy(cat);
    const char *six = "[{\"OBJECT_NAME\":null,\"OBJECT_ID\":\"2026-200A\","
                      "\"EPOCH\":\"2026-10-01T22:11:24.452448\",\"MEAN_MOTION\":15.7759124,"
                      "\"ECCENTRICITY\":0.00032284,\"INCLINATION\":70.0006,\"RA_OF_ASC_NODE\":102.5417,"
                      "\"ARG_OF_PERICENTER\":274.4885,\"MEAN_ANOMALY\":85.5946,"
                      "\"NORAD_CAT_ID\":339999.0,\"BSTAR\":0.00066694375,"
                      "\"MEAN_MOTION_DOT\":0.00112611,\"MEAN_MOTION_DDOT\":0}]";
    cat = parse(six, 1);
    cr_expect_eq(cat->sats[0].norad_id, 339999);
    cr_expect_str_eq(cat->sats[0].name, "");
    cr_expect_eq(cat->sats[0].classification, 'U'); /* absent: unclassified */
    cr_expect_eq(cat->sats[0].rev_at_epoch, 0);
    orb_catalog_destroy(cat);
}

Test(omm, json_error_names_record_line_and_key)
{
    const char *text =
        "[\n"
        "  {\n    \"OBJECT_NAME\": \"A\",\n    \"NORAD_CAT_ID\": 1\n  },\n"
        "  {\n"
        "    \"OBJECT_NAME\": \"B\",\n"
        "    \"INCLINATION\": 190.5\n"
        "  }\n"
        "]\n";
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    /* record 1 lacks keys: the first error is there */
    cr_expect_eq(orb_omm_parse_json(text, strlen(text), "p.json", cat, &err), ORB_ESYNTAX);
    cr_expect_eq(err.line, 2);
    cr_expect_not_null(strstr(err.message, "record 1"), "%s", err.message);
    orb_catalog_destroy(cat);

    /* a complete first record, then a bad inclination in the second */
    char big[4096];
    snprintf(big, sizeof big, "[\n%s,\n{\n\"OBJECT_NAME\": \"B\",\n%s\n]\n", JSON_NUMBERS,
             strchr(JSON_NUMBERS, ',') + 1);
    char *inc = strstr(strstr(big, "\"B\""), "53.1478");
    memcpy(inc, "190.000", 7);
    cat = orb_catalog_create();
    cr_expect_eq(orb_omm_parse_json(big, strlen(big), "p.json", cat, &err), ORB_ERANGE);
    cr_expect_eq(err.line, 5, "line %ld", err.line);
    cr_expect_str_eq(err.field, "INCLINATION");
    cr_expect_not_null(strstr(err.message, "record 2"), "%s", err.message);
    cr_expect_eq(cat->count, 0);
    orb_catalog_destroy(cat);
}

Test(omm, csv_columns_in_any_order_quotes_crlf)
{
    /* the first two rows of the real file, columns reversed, CRLF, one name
     * quoted with a comma in it, and an extra column nobody knows */
    const char *orig =
        "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n"
        "STARLINK-1008,2019-074B,2026-06-20T09:43:48.440064,15.50487193,.000211,53.1521,53.3154,147.6682,212.4457,0,U,44714,999,36471,.97291E-3,.56365E-3,0\n"
        "\"STARLINK, 1012\",2019-074F,2026-06-20T06:31:55.945920,15.50775749,.0002091,53.1559,54.2188,158.1531,201.9568,0,U,44718,999,36468,.89045E-3,.52054E-3,0\n";
    const char *rev =
        "\r\nFOO,MEAN_MOTION_DDOT,MEAN_MOTION_DOT,BSTAR,REV_AT_EPOCH,ELEMENT_SET_NO,NORAD_CAT_ID,CLASSIFICATION_TYPE,EPHEMERIS_TYPE,MEAN_ANOMALY,ARG_OF_PERICENTER,RA_OF_ASC_NODE,INCLINATION,ECCENTRICITY,MEAN_MOTION,EPOCH,OBJECT_ID,OBJECT_NAME\r\n"
        "x,0,.56365E-3,.97291E-3,36471,999,44714,U,0,212.4457,147.6682,53.3154,53.1521,.000211,15.50487193,2026-06-20T09:43:48.440064,2019-074B,STARLINK-1008\r\n"
        "\r\n"
        ",0,.52054E-3,.89045E-3,36468,999,44718,U,0,201.9568,158.1531,54.2188,53.1559,.0002091,15.50775749,2026-06-20T06:31:55.945920,2019-074F,\"STARLINK, 1012\"\r\n";
    orb_catalog_t *a = parse(orig, 0), *b = parse(rev, 0);
    cr_assert_eq(a->count, 2);
    cr_assert_eq(b->count, 2);
    expect_same(&a->sats[0], &b->sats[0]);
    expect_same(&a->sats[1], &b->sats[1]);
    cr_expect_str_eq(b->sats[1].name, "STARLINK, 1012");
    cr_expect_eq(b->sats[1].source_line, 5);
    orb_catalog_destroy(a);
    orb_catalog_destroy(b);
}

Test(omm, csv_six_digit_catalogue_number)
{
    const char *text =
        "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,NORAD_CAT_ID,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n"
        "STARLINK-38244,2026-200A,2026-10-01T22:11:24.452448,15.7759124,.00032284,70.0006,102.5417,274.4885,85.5946,100534,.66694375E-3,.00112611,0\n";
    orb_catalog_t *cat = parse(text, 0);
    cr_expect_eq(cat->sats[0].norad_id, 100534);
    orb_catalog_t *j = load(ELSETS "alpha5_omm.json");
    /* optional columns absent: element set and revolution numbers are 0 */
    j->sats[0].element_set_no = 0;
    j->sats[0].rev_at_epoch = 0;
    j->sats[0].source_line = 2;
    expect_same(&cat->sats[0], &j->sats[0]);
    orb_catalog_destroy(cat);
    orb_catalog_destroy(j);
}

Test(omm, csv_empty_required_cell)
{
    const char *text =
        "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,NORAD_CAT_ID,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n"
        "S,2026-200A,2026-10-01T22:11:24,15.7,.0003,70,102,274,85,100534,,0,0\n";
    orb_catalog_t *cat = orb_catalog_create();
    orb_error_t err;
    cr_expect_eq(orb_omm_parse_csv(text, strlen(text), "e.csv", cat, &err), ORB_ESYNTAX);
    cr_expect_str_eq(err.field, "BSTAR");
    cr_expect_eq(err.line, 2);
    cr_expect_eq(err.column, 65);
    orb_catalog_destroy(cat);
}

Test(omm, csv_rolls_back_on_a_late_error)
{
    /* 10,633 good rows, then a bad one: nothing of this load is kept */
    char *buf;
    size_t len;
    orb_error_t err;
    cr_assert_eq(orb_file_read(OMM_CSV, &buf, &len, &err), ORB_OK);
    char *last = buf + len - 2;
    while (*last != '\n')
        last--;
    char *mm = strstr(last, ",16.02219676,");
    cr_assert_not_null(mm);
    memcpy(mm + 1, "-6", 2);
    orb_catalog_t *cat = orb_catalog_create();
    orb_elements_t el;
    memset(&el, 0, sizeof el);
    el.norad_id = 7;
    orb_catalog_add(cat, &el);
    cr_expect_eq(orb_omm_parse_csv(buf, len, "w.csv", cat, &err), ORB_ERANGE);
    cr_expect_eq(err.line, 10635);
    cr_expect_str_eq(err.field, "MEAN_MOTION");
    cr_expect_eq(cat->count, 1);
    cr_expect_eq(cat->sats[0].norad_id, 7);
    orb_buffer_free(buf);
    orb_catalog_destroy(cat);
}

/* Rewrites the CSV as a JSON array of objects whose values are the CSV
 * cells as strings (the CSV has no quoted cells). */
static char *csv_to_json(const char *csv, size_t *out_len)
{
    size_t n = 0, cap = strlen(csv) * 6 + 4096; /* keys repeat per row: ~3.5x */
    char *out = malloc(cap);
    cr_assert_not_null(out);
    char keys[32][32];
    int nkeys = 0;
    const char *p = csv;
    while (*p != '\n') {
        size_t k = strcspn(p, ",\n");
        snprintf(keys[nkeys++], 32, "%.*s", (int)k, p);
        p += k + (p[k] == ',');
    }
    p++;
    n += (size_t)sprintf(out + n, "[\n");
    for (int rec = 0; *p; rec++) {
        n += (size_t)sprintf(out + n, "%s  {", rec ? ",\n" : "");
        for (int i = 0; i < nkeys; i++) {
            size_t k = strcspn(p, ",\n");
            n += (size_t)sprintf(out + n, "%s\"%s\": \"%.*s\"", i ? ", " : "", keys[i],
                                 (int)k, p);
            p += k + 1;
        }
        n += (size_t)sprintf(out + n, "}");
    }
    n += (size_t)sprintf(out + n, "\n]\n");
    cr_assert_lt(n, cap);
    *out_len = n;
    return out;
}

Test(omm, json_whole_catalogue_equals_csv_and_loads_fast)
{
    char *csv;
    size_t len, jlen;
    orb_error_t err;
    cr_assert_eq(orb_file_read(OMM_CSV, &csv, &len, &err), ORB_OK);
    char *json = csv_to_json(csv, &jlen);
    orb_catalog_t *a = orb_catalog_create(), *b = orb_catalog_create();
    cr_assert_eq(orb_omm_parse_csv(csv, len, "c", a, &err), ORB_OK, "%s", err.message);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(orb_omm_parse_json(json, jlen, "j", b, &err), ORB_OK, "%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    /* about 100 ms measured (jansson builds 200,000 values); a scan of the
     * text per record, as a careless error locator would do, takes minutes */
    cr_expect_lt(ms, 3000.0, "JSON load took %.0f ms", ms);
    cr_log_info("10,634-record OMM JSON (%zu bytes) parsed in %.1f ms", jlen, ms);
    cr_assert_eq(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        b->sats[i].source_line = a->sats[i].source_line;
        expect_same(&a->sats[i], &b->sats[i]);
    }
    /* an error in a late record names its line */
    char *last = NULL;
    for (char *q = strstr(json, "\"INCLINATION\": \""); q;
         q = strstr(q + 1, "\"INCLINATION\": \""))
        last = q;
    cr_assert_not_null(last);
    memcpy(last + 16, "x", 1);
    orb_catalog_t *c = orb_catalog_create();
    cr_expect_eq(orb_omm_parse_json(json, jlen, "j", c, &err), ORB_ESYNTAX);
    cr_expect_eq(err.line, 10635, "line %ld", err.line);
    cr_expect_str_eq(err.field, "INCLINATION");
    cr_expect_not_null(strstr(err.message, "record 10634"), "%s", err.message);
    orb_catalog_destroy(a);
    orb_catalog_destroy(b);
    orb_catalog_destroy(c);
    free(json);
    orb_buffer_free(csv);
}
