/* timeutil.h: UTC instants as two-part Julian dates, ISO 8601 text in and
 * out, and Greenwich mean sidereal time (IAU-1982, the angle TEME needs). */
#ifndef ORBNET_TIMEUTIL_H
#define ORBNET_TIMEUTIL_H

#include <stddef.h>

/* An instant as a two-part Julian date: jd holds the day (ending in .5, i.e.
 * the midnight that starts the UTC day) and fr the fraction of the day in
 * [0, 1).  Splitting keeps sub-microsecond precision that a single double
 * (about 40 us at JD 2.46e6) loses.  Leap seconds are not represented: a
 * day is always 86400 s, as in SGP4 practice. */
typedef struct orb_time {
    double jd;
    double fr;
} orb_time_t;

#define ORB_SECONDS_PER_DAY 86400.0

/* The instant at a calendar date and time of day (UTC).  Fields outside
 * their usual range are carried (second 90 is 1 minute 30). */
orb_time_t orb_time_from_calendar(int year, int month, int day, int hour,
                                  int minute, double second);

/* Breaks t into calendar fields; second is in [0, 60). */
void orb_time_to_calendar(orb_time_t t, int *year, int *month, int *day,
                          int *hour, int *minute, double *second);

/* The instant of a TLE epoch: two- or four-digit year (57..99 -> 19xx,
 * 00..56 -> 20xx) and fractional day of year (1.0 = Jan 1 00:00). */
orb_time_t orb_time_from_year_doy(int year, double day_of_year);

/* Parses ISO 8601 UTC: "YYYY-MM-DDTHH:MM:SS[.fff][Z|+00:00]", also with a
 * space instead of T, or a bare date "YYYY-MM-DD" (midnight).  Rejects other
 * offsets, out-of-range fields (years outside 1901..2099 included) and
 * trailing text.  Returns ORB_OK or
 * ORB_ESYNTAX / ORB_ERANGE. */
int orb_time_parse_iso(const char *text, orb_time_t *t);

/* Writes "YYYY-MM-DDTHH:MM:SS[.f...]Z" with `decimals` digits of the second
 * (0..6), rounding correctly (59.9999995 s rolls into the next minute).
 * buf should hold at least 32 bytes.  Returns buf. */
char *orb_time_format_iso(orb_time_t t, int decimals, char *buf, size_t n);

/* t moved by s seconds, renormalised so fr stays in [0, 1). */
orb_time_t orb_time_add_s(orb_time_t t, double s);

/* a - b in seconds (and in minutes), computed part by part for precision. */
double orb_time_diff_s(orb_time_t a, orb_time_t b);
double orb_time_diff_min(orb_time_t a, orb_time_t b);

/* Greenwich mean sidereal time in radians [0, 2 pi), IAU-1982 model, for an
 * instant in UT1.  Pass orb_time_add_s(utc, dut1_s) to use a UT1-UTC value. */
double orb_gmst_rad(orb_time_t ut1);

#endif
