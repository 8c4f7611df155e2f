"""walker_oracle.py: independent reference for Walker shell generation.

For circular, drag-free orbits it finds by bisection (with python3-sgp4,
WGS-72, improved mode) the Kozai mean motion whose orbit-mean of
|r| - 6378.137 km equals the wanted altitude, averaging 5,000 samples over
one period; and it gives the mean altitude of Hypatia's Starlink-550 element
set (15.19 rev/day, 53 deg, e = 1e-7).  Run with Debian's Python:
    /usr/bin/python3 tests/oracle/walker_oracle.py > tests/data/walker/mean_motion.csv
"""
import math

from sgp4.api import Satrec, WGS72

RE = 6378.137
SAMPLES = 5000
EPOCH_1950 = 18262.5  # 2000-01-01 00:00 UTC in days since 1949-12-31 00:00


def mean_altitude(n_rev_day, incl_deg, ecc=0.0):
    sat = Satrec()
    no_kozai = n_rev_day * 2 * math.pi / 1440.0  # rad/min
    sat.sgp4init(WGS72, 'i', 1, EPOCH_1950, 0.0, 0.0, 0.0, ecc, 0.0,
                 math.radians(incl_deg), 0.0, no_kozai, 0.0)
    period = 1440.0 / n_rev_day
    total = 0.0
    for k in range(SAMPLES):
        err, r, _ = sat.sgp4_tsince(period * k / SAMPLES)
        assert err == 0
        total += math.sqrt(r[0] ** 2 + r[1] ** 2 + r[2] ** 2)
    return total / SAMPLES - RE


def mean_motion_for(alt_km, incl_deg):
    lo, hi = 1.0, 17.0  # rev/day: higher n, lower orbit
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if mean_altitude(mid, incl_deg) > alt_km:
            lo = mid
        else:
            hi = mid
    n = 0.5 * (lo + hi)
    return n, mean_altitude(n, incl_deg)


def main():
    print('case,altitude_km,inclination_deg,mean_motion_rev_day,mean_altitude_km')
    for alt, inc in [(550, 53.0), (540, 53.2), (570, 70.0), (560, 97.6), (340, 53.0),
                     (1200, 87.9)]:
        n, a = mean_motion_for(alt, inc)
        print('walker,%g,%g,%.10f,%.6f' % (alt, inc, n, a))
    print('hypatia,,53,15.19,%.6f' % mean_altitude(15.19, 53.0, 1e-7))


if __name__ == '__main__':
    main()
