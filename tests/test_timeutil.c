/* test_timeutil.c: calendar conversion, ISO 8601 and GMST against values
 * computed by hand or published. */
#include <criterion/criterion.h>
#include <math.h>

#include "orbnet/err.h"
#include "orbnet/timeutil.h"

Test(timeutil, j2000_epoch)
{
    /* J2000.0 = 2000-01-01T12:00:00 = JD 2451545.0 (definition) */
    orb_time_t t = orb_time_from_calendar(2000, 1, 1, 12, 0, 0.0);
    cr_assert_float_eq(t.jd + t.fr, 2451545.0, 1e-9);
    cr_assert_float_eq(t.jd, 2451544.5, 0.0);
}

Test(timeutil, iso_round_trip)
{
    orb_time_t t;
    char buf[40];
    cr_assert_eq(orb_time_parse_iso("2026-06-24T13:45:07.25Z", &t), ORB_OK);
    cr_assert_str_eq(orb_time_format_iso(t, 2, buf, sizeof buf), "2026-06-24T13:45:07.25Z");
    cr_assert_str_eq(orb_time_format_iso(t, 0, buf, sizeof buf), "2026-06-24T13:45:07Z");
    cr_assert_eq(orb_time_parse_iso("2024-02-29", &t), ORB_OK);
    cr_assert_str_eq(orb_time_format_iso(t, 0, buf, sizeof buf), "2024-02-29T00:00:00Z");
}

Test(timeutil, iso_rounding_carries)
{
    orb_time_t t;
    cr_assert_eq(orb_time_parse_iso("2026-12-31T23:59:59.9999Z", &t), ORB_OK);
    char buf[40];
    cr_assert_str_eq(orb_time_format_iso(t, 0, buf, sizeof buf), "2027-01-01T00:00:00Z");
}

Test(timeutil, iso_rejects_bad_text)
{
    orb_time_t t;
    cr_assert_eq(orb_time_parse_iso("2026-02-30T00:00:00Z", &t), ORB_ERANGE);
    cr_assert_eq(orb_time_parse_iso("2026-06-24T24:00:00Z", &t), ORB_ERANGE);
    cr_assert_eq(orb_time_parse_iso("2026-06-24T10:00:00+02:00", &t), ORB_ESYNTAX);
    cr_assert_eq(orb_time_parse_iso("yesterday", &t), ORB_ESYNTAX);
    cr_assert_eq(orb_time_parse_iso("2026-06-24T10:00:00Zjunk", &t), ORB_ESYNTAX);
    cr_assert_eq(orb_time_parse_iso("", &t), ORB_ESYNTAX);
}

Test(timeutil, add_and_diff)
{
    orb_time_t t = orb_time_from_calendar(2026, 6, 24, 23, 59, 30.0);
    orb_time_t u = orb_time_add_s(t, 45.0);
    cr_assert_float_eq(orb_time_diff_s(u, t), 45.0, 1e-9);
    cr_assert(u.fr >= 0.0 && u.fr < 1.0);
    char buf[40];
    cr_assert_str_eq(orb_time_format_iso(u, 0, buf, sizeof buf), "2026-06-25T00:00:15Z");
    orb_time_t back = orb_time_add_s(u, -86400.0 * 3);
    cr_assert_str_eq(orb_time_format_iso(back, 0, buf, sizeof buf), "2026-06-22T00:00:15Z");
}

Test(timeutil, tle_epoch_day_of_year)
{
    /* day 174.88577602 of 2026 = June 23 (day 174) 21:15:31.048 */
    orb_time_t t = orb_time_from_year_doy(26, 174.88577602);
    char buf[40];
    cr_assert_str_eq(orb_time_format_iso(t, 3, buf, sizeof buf), "2026-06-23T21:15:31.048Z");
    t = orb_time_from_year_doy(99, 1.5);
    cr_assert_str_eq(orb_time_format_iso(t, 0, buf, sizeof buf), "1999-01-01T12:00:00Z");
}

Test(timeutil, gmst_vallado_example)
{
    /* Vallado, Fundamentals of Astrodynamics, Example 3-5: 1992-08-20
     * 12:14 UT1 -> GMST 152.578 787 886 deg.  Tolerance 1e-7 deg (0.4 mas):
     * the book evaluates with a one-part Julian date, whose rounding alone
     * moves the angle by ~5e-8 deg (python3-sgp4's gstime gives
     * 152.5787878103). */
    orb_time_t t = orb_time_from_calendar(1992, 8, 20, 12, 14, 0.0);
    double deg = orb_gmst_rad(t) * 180.0 / M_PI;
    cr_assert_float_eq(deg, 152.578787886, 1e-7);
}
