#!/usr/bin/python3
"""Reference states for test_sgp4.c: python3-sgp4 (Debian; Vallado's C++
SGP4 behind Satrec, WGS-72, improved mode) on every 400th satellite of the
2026-06-24 Starlink snapshot, at 0, 720 and 1440 minutes from each epoch.

Run from the repository root:
    /usr/bin/python3 tests/oracle/sgp4_starlink_t0.py \
        > tests/data/sgp4/starlink_t0_python_sgp4.csv
"""
import sys

from sgp4.api import Satrec, WGS72

PATH = 'data/tle/starlink_celestrak_gp_2026-06-24.tle'


def records(path):
    lines = [l.rstrip('\r\n') for l in open(path) if l.strip()]
    i = 0
    while i < len(lines):
        if lines[i].startswith('1 ') and i + 1 < len(lines):
            yield lines[i], lines[i + 1]
            i += 2
        else:
            i += 1


def main():
    out = sys.stdout
    out.write('index,norad_id,tsince_min,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n')
    for index, (l1, l2) in enumerate(records(PATH)):
        if index % 400:
            continue
        sat = Satrec.twoline2rv(l1, l2, WGS72)
        for tsince in (0.0, 720.0, 1440.0):
            e, r, v = sat.sgp4_tsince(tsince)
            if e != 0:
                continue
            out.write('%d,%d,%.1f,%.10f,%.10f,%.10f,%.12f,%.12f,%.12f\n'
                      % (index, sat.satnum, tsince, *r, *v))


main()
