/* timeutil.c: calendar <-> two-part Julian date, ISO 8601, GMST. */
#include "orbnet/timeutil.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orbnet/err.h"

#define TWO_PI 6.283185307179586476925286766559

static orb_time_t normalise(double jd, double fr)
{
    double whole = floor(fr);
    jd += whole;
    fr -= whole;
    /* keep jd on a .5 boundary so that fr is the UTC time of day */
    double day = floor(jd - 0.5) + 0.5;
    fr += jd - day;
    jd = day;
    if (fr >= 1.0) {
        jd += 1.0;
        fr -= 1.0;
    }
    return (orb_time_t){jd, fr};
}

orb_time_t orb_time_from_calendar(int year, int month, int day, int hour,
                                  int minute, double second)
{
    /* Fliegel-Van Flandern style day count valid 1900-2100, as in Vallado's
     * jday(); a wider range is not needed for satellites. */
    double jd = 367.0 * year
                - floor((7.0 * (year + floor((month + 9) / 12.0))) * 0.25)
                + floor(275.0 * month / 9.0) + day + 1721013.5;
    double fr = (second + minute * 60.0 + hour * 3600.0) / ORB_SECONDS_PER_DAY;
    return normalise(jd, fr);
}

void orb_time_to_calendar(orb_time_t t, int *year, int *month, int *day,
                          int *hour, int *minute, double *second)
{
    t = normalise(t.jd, t.fr);
    /* Meeus, Astronomical Algorithms ch. 7, for the civil date of t.jd+0.5 */
    long z = (long)(t.jd + 0.5);
    long alpha = (long)(((double)z - 1867216.25) / 36524.25);
    long a = z + 1 + alpha - alpha / 4;
    long b = a + 1524;
    long c = (long)(((double)b - 122.1) / 365.25);
    long d = (long)(365.25 * (double)c);
    long e = (long)((double)(b - d) / 30.6001);
    *day = (int)(b - d - (long)(30.6001 * (double)e));
    *month = (int)(e < 14 ? e - 1 : e - 13);
    *year = (int)(*month > 2 ? c - 4716 : c - 4715);
    double s = t.fr * ORB_SECONDS_PER_DAY;
    *hour = (int)(s / 3600.0);
    s -= *hour * 3600.0;
    *minute = (int)(s / 60.0);
    s -= *minute * 60.0;
    *second = s < 0.0 ? 0.0 : s;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

orb_time_t orb_time_from_year_doy(int year, double day_of_year)
{
    if (year < 100)
        year += year < 57 ? 2000 : 1900;
    orb_time_t jan1 = orb_time_from_calendar(year, 1, 1, 0, 0, 0.0);
    double whole = floor(day_of_year);
    return normalise(jan1.jd + whole - 1.0, day_of_year - whole);
}

/* Reads exactly n digits at *p into *out, advancing *p. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

static int parse_clock(const char **pp, int *hh, int *mi, double *sec)
{
    const char *p = *pp;
    int ss;
    if (!read_digits(&p, 2, hh) || *p++ != ':' || !read_digits(&p, 2, mi))
        return ORB_ESYNTAX;
    *sec = 0.0;
    if (*p == ':') {
        p++;
        if (!read_digits(&p, 2, &ss))
            return ORB_ESYNTAX;
        *sec = ss;
        if (*p == '.') {
            double scale = 0.1;
            p++;
            if (!isdigit((unsigned char)*p))
                return ORB_ESYNTAX;
            for (; isdigit((unsigned char)*p); p++, scale *= 0.1)
                *sec += (*p - '0') * scale;
        }
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (strncmp(p, "+00:00", 6) == 0)
        p += 6;
    *pp = p;
    return ORB_OK;
}

int orb_time_parse_iso(const char *text, orb_time_t *t)
{
    const char *p = text;
    int y, mo, d, hh = 0, mi = 0;
    double sec = 0.0;
    if (!p || !read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo)
        || *p++ != '-' || !read_digits(&p, 2, &d))
        return ORB_ESYNTAX;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (parse_clock(&p, &hh, &mi, &sec) != ORB_OK)
            return ORB_ESYNTAX;
    }
    if (*p != '\0')
        return ORB_ESYNTAX;
    /* orb_time_from_calendar's day count is exact only from 1900-03-01 to
     * 2100-02-28; whole years inside that span cover every TLE epoch */
    if (y < 1901 || y > 2099 || mo < 1 || mo > 12 || d < 1
        || d > days_in_month(y, mo) || hh > 23 || mi > 59 || sec >= 61.0)
        return ORB_ERANGE;
    *t = orb_time_from_calendar(y, mo, d, hh, mi, sec);
    return ORB_OK;
}

char *orb_time_format_iso(orb_time_t t, int decimals, char *buf, size_t n)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    /* round to the printed precision first, so 59.9999999 s carries over */
    double unit = pow(10.0, -decimals);
    double s_of_day = round(t.fr * ORB_SECONDS_PER_DAY / unit) * unit;
    t = normalise(t.jd, s_of_day / ORB_SECONDS_PER_DAY);
    int y, mo, d, hh, mi;
    double sec;
    orb_time_to_calendar(t, &y, &mo, &d, &hh, &mi, &sec);
    long scaled = lround(sec / unit);
    long whole_s = scaled / lround(1.0 / unit);
    long frac = scaled % lround(1.0 / unit);
    if (whole_s >= 60) { /* guard against binary noise at the boundary */
        whole_s = 59;
        frac = lround(1.0 / unit) - 1;
    }
    if (decimals == 0)
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02ldZ", y, mo, d, hh, mi, whole_s);
    else
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02ld.%0*ldZ", y, mo, d, hh, mi,
                 whole_s, decimals, frac);
    return buf;
}

orb_time_t orb_time_add_s(orb_time_t t, double s)
{
    double days = s / ORB_SECONDS_PER_DAY;
    double whole = floor(days);
    return normalise(t.jd + whole, t.fr + (days - whole));
}

double orb_time_diff_s(orb_time_t a, orb_time_t b)
{
    return ((a.jd - b.jd) + (a.fr - b.fr)) * ORB_SECONDS_PER_DAY;
}

double orb_time_diff_min(orb_time_t a, orb_time_t b)
{
    return ((a.jd - b.jd) + (a.fr - b.fr)) * 1440.0;
}

double orb_gmst_rad(orb_time_t ut1)
{
    /* IAU-1982 GMST (Vallado, Fundamentals of Astrodynamics, eq. 3-47), the
     * sidereal angle used by SGP4's TEME frame. */
    double tut1 = ((ut1.jd - 2451545.0) + ut1.fr) / 36525.0;
    double sec = -6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1
                 + (876600.0 * 3600.0 + 8640184.812866) * tut1 + 67310.54841;
    double g = fmod(sec * (TWO_PI / 86400.0), TWO_PI);
    return g < 0.0 ? g + TWO_PI : g;
}
