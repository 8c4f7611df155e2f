/* frames.h: TEME -> Earth-fixed (pseudo-Earth-fixed: polar motion is
 * neglected, which moves a LEO satellite by under 15 m) -> WGS-84 geodetic,
 * and topocentric azimuth / elevation / range from a ground site. */
#ifndef ORBNET_FRAMES_H
#define ORBNET_FRAMES_H

#include "orbnet/timeutil.h"

#define ORB_WGS84_A_KM 6378.137
#define ORB_WGS84_F (1.0 / 298.257223563)
#define ORB_C_KM_S 299792.458
#define ORB_DEG (3.14159265358979323846 / 180.0)

/* Rotates a TEME state into the Earth-fixed frame at UTC instant t, with
 * UT1 = UTC + dut1_s (pass 0 when unknown: at most 0.9 s, i.e. about 0.4 km
 * of Earth rotation at the equator).  v may be NULL on input and output.
 * The output may alias the input. */
void orb_teme_to_ecef(const double r_teme_km[3], const double v_teme_km_s[3],
                      orb_time_t t_utc, double dut1_s,
                      double r_ecef_km[3], double v_ecef_km_s[3]);

/* The same rotation with a precomputed GMST angle (radians), for loops that
 * convert many satellites at one instant. */
void orb_teme_to_ecef_gmst(const double r_teme_km[3], const double v_teme_km_s[3],
                           double gmst_rad, double r_ecef_km[3],
                           double v_ecef_km_s[3]);

/* WGS-84 geodetic latitude/longitude (radians, lon in (-pi, pi]) and height
 * (km) of an Earth-fixed point; exact to < 1 mm for LEO altitudes. */
void orb_ecef_to_geodetic(const double r_ecef_km[3], double *lat_rad,
                          double *lon_rad, double *alt_km);

/* Earth-fixed position of a WGS-84 geodetic point. */
void orb_geodetic_to_ecef(double lat_rad, double lon_rad, double alt_km,
                          double r_ecef_km[3]);

/* A ground site prepared for fast look-angle computation. */
typedef struct orb_topo {
    double lat_rad, lon_rad, alt_km;
    double r_ecef_km[3];
    double east[3], north[3], up[3]; /* local unit vectors, Earth-fixed */
} orb_topo_t;

void orb_topo_init(orb_topo_t *site, double lat_rad, double lon_rad, double alt_km);

/* Azimuth (radians from north through east, [0, 2 pi)), elevation
 * (radians, geodetic horizon) and range (km) of an Earth-fixed point. */
void orb_topo_look(const orb_topo_t *site, const double r_ecef_km[3],
                   double *az_rad, double *el_rad, double *range_km);

/* Elevation only: the cheap test used in link loops. */
double orb_topo_elevation(const orb_topo_t *site, const double r_ecef_km[3]);

#endif
