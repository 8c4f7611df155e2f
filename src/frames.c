/* frames.c: TEME -> pseudo-Earth-fixed by the IAU-1982 sidereal angle, WGS-84
 * geodetic coordinates (Vermeille's closed form), and topocentric look
 * angles from a ground site. */
#include "orbnet/frames.h"

#include <math.h>

#include "orbnet/vec.h"

#define PI 3.14159265358979323846264338327950
#define TWO_PI 6.283185307179586476925286766559
#define WGS84_E2 (ORB_WGS84_F * (2.0 - ORB_WGS84_F)) /* first eccentricity^2 */

/* Earth's rotation rate in rad/s as the IAU-1982 GMST formula gives it at
 * J2000 (1 + 8640184.812866 / (36525 * 86400)) turns per UT1 day.  The
 * century term changes it by 1e-11 relative in 2026: not worth modelling. */
#define EARTH_OMEGA_RAD_S \
    ((1.0 + 8640184.812866 / (36525.0 * 86400.0)) * TWO_PI / 86400.0)

/* TEME and the pseudo-Earth-fixed frame (PEF) share the true equator and
 * differ by a rotation about z through GMST.  Polar motion, which would take
 * PEF to ITRF, is at most ~0.5 arcsec: under 15 m at LEO, so it is
 * neglected (as Skyfield does by default). */
void orb_teme_to_ecef_gmst(const double r_teme_km[3], const double v_teme_km_s[3],
                           double gmst_rad, double r_ecef_km[3],
                           double v_ecef_km_s[3])
{
    double c = cos(gmst_rad), s = sin(gmst_rad);
    double x = r_teme_km[0], y = r_teme_km[1], z = r_teme_km[2];
    double xe = c * x + s * y;
    double ye = -s * x + c * y;
    r_ecef_km[0] = xe;
    r_ecef_km[1] = ye;
    r_ecef_km[2] = z;
    if (v_teme_km_s && v_ecef_km_s) {
        double vx = v_teme_km_s[0], vy = v_teme_km_s[1], vz = v_teme_km_s[2];
        /* v_ecef = R v_teme - omega x r_ecef, omega = (0, 0, EARTH_OMEGA) */
        v_ecef_km_s[0] = c * vx + s * vy + EARTH_OMEGA_RAD_S * ye;
        v_ecef_km_s[1] = -s * vx + c * vy - EARTH_OMEGA_RAD_S * xe;
        v_ecef_km_s[2] = vz;
    }
}

void orb_teme_to_ecef(const double r_teme_km[3], const double v_teme_km_s[3],
                      orb_time_t t_utc, double dut1_s,
                      double r_ecef_km[3], double v_ecef_km_s[3])
{
    double gmst = orb_gmst_rad(orb_time_add_s(t_utc, dut1_s));
    orb_teme_to_ecef_gmst(r_teme_km, v_teme_km_s, gmst, r_ecef_km, v_ecef_km_s);
}

/* Longitude in (-pi, pi]; atan2 already returns that range except that
 * it gives -pi for y = -0.0, x < 0. */
static double longitude_of(double x, double y)
{
    double lon = atan2(y, x);
    return lon <= -PI ? PI : lon;
}

/* Fallback for points within ~45 km of the Earth's centre, where the closed
 * form's cube root argument changes sign: fixed-point iteration on
 * latitude, which converges there because the ellipsoid is nearly round. */
static void geodetic_near_centre(double rho, double z, double *lat, double *h)
{
    double phi = atan2(z, rho);
    for (int i = 0; i < 30; i++) {
        double s = sin(phi);
        double n = ORB_WGS84_A_KM / sqrt(1.0 - WGS84_E2 * s * s);
        phi = atan2(z + WGS84_E2 * n * s, rho);
    }
    double c = cos(phi), s = sin(phi);
    *lat = phi;
    /* height along the normal: the point's offset from the normal's foot */
    *h = rho * c + z * s - ORB_WGS84_A_KM * sqrt(1.0 - WGS84_E2 * s * s);
}

/* Vermeille, "Computing geodetic coordinates from geocentric coordinates",
 * J. Geodesy 78 (2004) 94-95: exact (no iteration) for every point farther
 * than ~45 km from the centre; rounding keeps it well under 1 um at LEO. */
void orb_ecef_to_geodetic(const double r_ecef_km[3], double *lat_rad,
                          double *lon_rad, double *alt_km)
{
    const double a = ORB_WGS84_A_KM, e2 = WGS84_E2, e4 = e2 * e2;
    double x = r_ecef_km[0], y = r_ecef_km[1], z = r_ecef_km[2];
    double rho = hypot(x, y);
    double p = (rho / a) * (rho / a);
    double q = (1.0 - e2) * (z / a) * (z / a);
    double r = (p + q - e4) / 6.0;
    *lon_rad = longitude_of(x, y);
    if (r <= 1e-9) {
        geodetic_near_centre(rho, z, lat_rad, alt_km);
        return;
    }
    double s = e4 * p * q / (4.0 * r * r * r);
    double t = cbrt(1.0 + s + sqrt(s * (2.0 + s)));
    double u = r * (1.0 + t + 1.0 / t);
    double v = sqrt(u * u + e4 * q);
    double w = e2 * (u + v - q) / (2.0 * v);
    double k = sqrt(u + v + w * w) - w;
    double d = k * rho / (k + e2);
    double dz = hypot(d, z);
    *lat_rad = 2.0 * atan2(z, d + dz);
    *alt_km = (k + e2 - 1.0) / k * dz;
}

void orb_geodetic_to_ecef(double lat_rad, double lon_rad, double alt_km,
                          double r_ecef_km[3])
{
    double sl = sin(lat_rad), cl = cos(lat_rad);
    double n = ORB_WGS84_A_KM / sqrt(1.0 - WGS84_E2 * sl * sl); /* prime vertical radius */
    r_ecef_km[0] = (n + alt_km) * cl * cos(lon_rad);
    r_ecef_km[1] = (n + alt_km) * cl * sin(lon_rad);
    r_ecef_km[2] = (n * (1.0 - WGS84_E2) + alt_km) * sl;
}

void orb_topo_init(orb_topo_t *site, double lat_rad, double lon_rad, double alt_km)
{
    double sl = sin(lat_rad), cl = cos(lat_rad);
    double so = sin(lon_rad), co = cos(lon_rad);
    site->lat_rad = lat_rad;
    site->lon_rad = lon_rad;
    site->alt_km = alt_km;
    orb_geodetic_to_ecef(lat_rad, lon_rad, alt_km, site->r_ecef_km);
    site->east[0] = -so;
    site->east[1] = co;
    site->east[2] = 0.0;
    site->north[0] = -sl * co;
    site->north[1] = -sl * so;
    site->north[2] = cl;
    site->up[0] = cl * co;
    site->up[1] = cl * so;
    site->up[2] = sl;
}

void orb_topo_look(const orb_topo_t *site, const double r_ecef_km[3],
                   double *az_rad, double *el_rad, double *range_km)
{
    double d[3];
    orb_vec_sub(r_ecef_km, site->r_ecef_km, d);
    double e = orb_vec_dot(d, site->east);
    double n = orb_vec_dot(d, site->north);
    double u = orb_vec_dot(d, site->up);
    double horiz = sqrt(e * e + n * n);
    /* straight overhead (horiz == 0) atan2 gives azimuth 0: a convention */
    double az = atan2(e, n);
    if (az < 0.0)
        az += TWO_PI;
    if (az >= TWO_PI) /* -tiny + 2 pi rounds up to 2 pi */
        az = 0.0;
    *az_rad = az;
    *el_rad = atan2(u, horiz);
    *range_km = orb_vec_norm(d);
}

double orb_topo_elevation(const orb_topo_t *site, const double r_ecef_km[3])
{
    double d[3];
    orb_vec_sub(r_ecef_km, site->r_ecef_km, d);
    double u = orb_vec_dot(d, site->up);
    double horiz2 = orb_vec_dot(d, d) - u * u;
    return atan2(u, sqrt(horiz2 > 0.0 ? horiz2 : 0.0));
}
