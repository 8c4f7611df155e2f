#!/usr/bin/python3
"""skyfield_frames.py: writes tests/data/skyfield/frames.csv and look.csv,
the oracle for tests/test_frames.c.

For one real Starlink satellite per shell at four UTC instants it records
Skyfield's TEME state (from python3-sgp4 inside Skyfield), UT1-UTC, the
ITRS state, the WGS-84 geodetic point under the satellite, and the
topocentric altitude / azimuth / distance from six sites.  The C test feeds
the TEME vectors (not our SGP4) through orb_teme_to_ecef and compares.

Usage: /usr/bin/python3 tests/oracle/skyfield_frames.py
"""
import csv
import os

from skyfield.api import wgs84
from skyfield.framelib import itrs

import skyfield_common as common

TIMES = [
    '2026-06-24T00:00:00Z',
    '2026-06-24T17:23:41.25Z',
    '2026-06-25T09:12:05.5Z',
    '2026-06-26T21:47:30Z',
]


def utc(ts, text):
    date, clock = text.rstrip('Z').split('T')
    y, mo, d = (int(v) for v in date.split('-'))
    h, mi, s = clock.split(':')
    return ts.utc(y, mo, d, int(h), int(mi), float(s))


def frames_row(sat, t, text):
    r, v, err = sat._position_and_velocity_TEME_km(t)
    assert err is None, err
    pos = sat.at(t)
    re, ve = pos.frame_xyz_and_velocity(itrs)
    lat, lon = wgs84.latlon_of(pos)
    h = wgs84.height_of(pos)
    return ([sat.model.satnum, text, repr(float(t.dut1))]
            + [repr(float(x)) for x in list(r) + list(v) + list(re.km) + list(ve.km_per_s)]
            + [repr(float(lat.degrees)), repr(float(lon.degrees)), repr(float(h.km))])


def look_rows(sat, t, text, sites):
    r, _, _ = sat._position_and_velocity_TEME_km(t)
    rows = []
    for (name, lat, lon, h_m), site in sites:
        alt, az, dist = (sat - site).at(t).altaz()
        rows.append([sat.model.satnum, text, repr(float(t.dut1))]
                    + [repr(float(x)) for x in r]
                    + [name, lat, lon, h_m]
                    + [repr(float(az.degrees)), repr(float(alt.degrees)), repr(float(dist.km))])
    return rows


def main():
    ts = common.timescale()
    sats = common.satellites(ts, common.one_per_shell(common.read_tle()))
    sites = [(s, wgs84.latlon(s[1], s[2], elevation_m=s[3])) for s in common.SITES]
    os.makedirs(common.OUT_DIR, exist_ok=True)
    with open(os.path.join(common.OUT_DIR, 'frames.csv'), 'w', newline='') as f_fr, \
         open(os.path.join(common.OUT_DIR, 'look.csv'), 'w', newline='') as f_lk:
        fr = csv.writer(f_fr, lineterminator='\n')
        lk = csv.writer(f_lk, lineterminator='\n')
        fr.writerow(['norad_id', 'time_utc', 'dut1_s',
                     'teme_x_km', 'teme_y_km', 'teme_z_km',
                     'teme_vx_km_s', 'teme_vy_km_s', 'teme_vz_km_s',
                     'itrs_x_km', 'itrs_y_km', 'itrs_z_km',
                     'itrs_vx_km_s', 'itrs_vy_km_s', 'itrs_vz_km_s',
                     'lat_deg', 'lon_deg', 'alt_km'])
        lk.writerow(['norad_id', 'time_utc', 'dut1_s',
                     'teme_x_km', 'teme_y_km', 'teme_z_km',
                     'site', 'site_lat_deg', 'site_lon_deg', 'site_alt_m',
                     'azimuth_deg', 'elevation_deg', 'range_km'])
        for text in TIMES:
            t = utc(ts, text)
            for sat in sats:
                fr.writerow(frames_row(sat, t, text))
                lk.writerows(look_rows(sat, t, text, sites))


if __name__ == '__main__':
    main()
