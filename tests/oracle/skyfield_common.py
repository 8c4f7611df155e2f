"""skyfield_common.py: what the Skyfield oracle scripts share: the TLE file,
the deterministic choice of one satellite per Starlink shell, and the sites.

Run the scripts with Debian's Python (/usr/bin/python3, python3-skyfield);
no network and no ephemeris file are needed.
"""
import math
import os

from skyfield.api import EarthSatellite, load

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TLE_FILE = os.path.join(REPO, 'data', 'tle', 'starlink_celestrak_gp_2026-06-24.tle')
OUT_DIR = os.path.join(REPO, 'tests', 'data', 'skyfield')

# (name, latitude deg, longitude deg, height m)
SITES = [
    ('kyiv', 50.45, 30.5236, 179.0),
    ('kharkiv', 50.0, 36.2292, 152.0),
    ('warsaw', 52.2297, 21.0122, 100.0),
    ('punta_arenas', -53.1638, -70.9171, 34.0),   # southern, western hemisphere
    ('longyearbyen', 78.2232, 15.6267, 10.0),     # Arctic
    ('mcmurdo', -77.8419, 166.6863, 10.0),        # Antarctic, near the antimeridian
]

MU_WGS72 = 398600.8     # km^3/s^2
RE_WGS72 = 6378.135     # km


def timescale():
    return load.timescale(builtin=True)


def read_tle(path=TLE_FILE):
    """(name, line1, line2) of every record of a 3LE file, in file order."""
    with open(path) as f:
        lines = [ln.rstrip() for ln in f if ln.strip()]
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith('1 ') and i + 1 < len(lines) and lines[i + 1].startswith('2 '):
            out.append(('', lines[i], lines[i + 1]))
            i += 2
        else:
            out.append((lines[i].strip(), lines[i + 1], lines[i + 2]))
            i += 3
    return out


def shell_of(line2):
    """(inclination bin of 0.5 deg, mean altitude bin of 10 km), as in
    data/tle/shell_census_2026-06-24.csv."""
    inc = float(line2[8:16])
    n_rad_s = float(line2[52:63]) * 2.0 * math.pi / 86400.0
    alt = (MU_WGS72 / n_rad_s ** 2) ** (1.0 / 3.0) - RE_WGS72
    return (math.floor(inc / 0.5) * 0.5, math.floor(alt / 10.0) * 10)


def one_per_shell(records, min_members=30):
    """The lowest-numbered satellite of every shell bin holding at least
    min_members satellites (the bins of the shell census)."""
    bins = {}
    for rec in records:
        bins.setdefault(shell_of(rec[2]), []).append(rec)
    chosen = []
    for key in sorted(bins):
        members = bins[key]
        if len(members) >= min_members:
            chosen.append(min(members, key=lambda r: int(r[1][2:7])))
    return chosen


def satellites(ts, records):
    return [EarthSatellite(l1, l2, name, ts) for name, l1, l2 in records]
