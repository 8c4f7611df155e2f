#!/usr/bin/python3
"""cli_oracle.py: writes the oracle files under tests/data/cli/ that
tests/test_cli.c compares the `orbnet propagate | visible | passes` output
with.  The values come from Debian's python3-sgp4 (Vallado's SGP4, the
reference implementation) and python3-skyfield (frames, look angles, pass
events), not from orbnet.

Files written (all from data/tle/starlink_celestrak_gp_2026-06-24.tle unless
noted):
  five.tle          5 real satellites of different shells, in snapshot order
  teme.csv          their TEME states from python3-sgp4 at START + 0..600 s
                    every 60 s
  geodetic.csv      the same instants: Skyfield ITRS position and WGS-84
                    latitude, longitude, height, with Skyfield's UT1-UTC
  visible_kyiv.csv  every satellite of the snapshot at least 20 deg above
                    Kyiv at VISIBLE_TIME (Skyfield altaz)
  passes_kyiv.csv   passes of the five satellites over Kyiv during one day
                    at masks of 25 and 10 degrees, in seconds after START:
                    Skyfield's altitude sampled every 5 s, crossings
                    bisected and maxima golden-section searched to 1 ms.
                    (Skyfield 1.45's own find_events was checked too but
                    put 48881's rise 38 s late, at 29.5 deg, so it is not
                    used.)
  decay.tle         two satellites of the SGP4 verification set shipped by
                    python3-sgp4 (SGP4-VER.TLE): 28872, which decays about
                    50 minutes after its epoch, and 29238, which does not
  omm_teme.csv      TEME states at 0, 60, 120 s after a start near each
                    epoch, from python3-sgp4's OMM reader, for the first 3
                    rows of tests/data/elsets/starlink_celestrak_omm_2026-06-20.csv,
                    the 4 records of omm_json_sample.json and alpha5_omm.json
                    (NORAD 100534), and from twoline2rv for alpha5.tle
  decay.csv         python3-sgp4's error code for each of them every 5
                    minutes from DECAY_START (28872's epoch is 00:28:59)
                    for 60 minutes

Usage: /usr/bin/python3 tests/oracle/cli_oracle.py   (no network needed)
"""
import csv
import datetime
import json
import os

from sgp4 import omm
from sgp4.api import Satrec, jday
from skyfield.api import EarthSatellite, load, wgs84
from skyfield.framelib import itrs

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SNAPSHOT = os.path.join(REPO, 'data', 'tle', 'starlink_celestrak_gp_2026-06-24.tle')
VER_TLE = '/usr/lib/python3/dist-packages/sgp4/SGP4-VER.TLE'
OUT = os.path.join(REPO, 'tests', 'data', 'cli')

# 53 deg/550 km (first of the file), 53 deg/360 km, 97.5 deg, 70 deg, 43 deg
FIVE = {44714, 44753, 48881, 49132, 54820}
START = (2026, 6, 24, 0, 0, 0.0)
STEPS_S = range(0, 601, 60)
KYIV = (50.45, 30.5236, 179.0)
VISIBLE_TIME = (2026, 6, 24, 12, 0, 0.0)
VISIBLE_FLOOR_DEG = 20.0
PASS_DAY_S = 86400
PASS_MASKS_DEG = (25.0, 10.0)
PASS_SCAN_S = 5   # Starlink passes above 10 deg last minutes; none is this short
DECAY_START = (2005, 11, 29, 0, 30, 0.0)
ELSETS = os.path.join(REPO, 'tests', 'data', 'elsets')
OMM_CSV = os.path.join(ELSETS, 'starlink_celestrak_omm_2026-06-20.csv')
OMM_JSON = os.path.join(ELSETS, 'omm_json_sample.json')
ALPHA5_JSON = os.path.join(ELSETS, 'alpha5_omm.json')
ALPHA5_TLE = os.path.join(ELSETS, 'alpha5.tle')
OMM_STARTS = {
    'csv': datetime.datetime(2026, 6, 20, 12, 0, 0),
    'json': datetime.datetime(2026, 9, 20, 12, 0, 0),
    'alpha5_json': datetime.datetime(2026, 10, 2, 0, 0, 0),
    'alpha5_tle': datetime.datetime(2026, 10, 2, 0, 0, 0),
}


def read_3le(path):
    with open(path) as f:
        lines = [ln.rstrip('\r\n') for ln in f if ln.strip()]
    return [(lines[i].strip(), lines[i + 1], lines[i + 2]) for i in range(0, len(lines), 3)]


def iso_after_start(seconds):
    t = datetime.datetime(*START[:5], int(START[5])) + datetime.timedelta(seconds=seconds)
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def utc_plus(ts, base, seconds):
    y, mo, d, h, mi, s = base
    return ts.utc(y, mo, d, h, mi, s + seconds)


def iso_of(t):
    return t.utc_strftime('%Y-%m-%dT%H:%M:%SZ')


def write_five(records):
    with open(os.path.join(OUT, 'five.tle'), 'w') as f:
        for name, l1, l2 in records:
            f.write('%s\n%s\n%s\n' % (name, l1, l2))


def write_teme(records):
    with open(os.path.join(OUT, 'teme.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['time_utc', 'norad_id', 'x_km', 'y_km', 'z_km',
                    'vx_km_s', 'vy_km_s', 'vz_km_s'])
        for dt in STEPS_S:
            y, mo, d, h, mi, s = START
            jd, fr = jday(y, mo, d, h, mi, s + dt)
            for name, l1, l2 in records:
                sat = Satrec.twoline2rv(l1, l2)
                e, r, v = sat.sgp4(jd, fr)
                assert e == 0, (name, e)
                w.writerow([iso_after_start(dt), sat.satnum] + [repr(x) for x in r + v])


def write_geodetic(ts, records):
    with open(os.path.join(OUT, 'geodetic.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['time_utc', 'norad_id', 'dut1_s', 'itrs_x_km', 'itrs_y_km', 'itrs_z_km',
                    'lat_deg', 'lon_deg', 'alt_km'])
        sats = [EarthSatellite(l1, l2, name, ts) for name, l1, l2 in records]
        for dt in STEPS_S:
            t = utc_plus(ts, START, dt)
            for sat in sats:
                pos = sat.at(t)
                lat, lon = wgs84.latlon_of(pos)
                r = pos.frame_xyz(itrs).km
                w.writerow([iso_of(t), sat.model.satnum, repr(float(t.dut1))]
                           + [repr(float(x)) for x in r]
                           + [repr(float(lat.degrees)), repr(float(lon.degrees)),
                              repr(float(wgs84.height_of(pos).km))])


def write_visible(ts, records):
    site = wgs84.latlon(KYIV[0], KYIV[1], elevation_m=KYIV[2])
    t = utc_plus(ts, VISIBLE_TIME, 0)
    rows = []
    for name, l1, l2 in records:
        sat = EarthSatellite(l1, l2, name, ts)
        alt, az, dist = (sat - site).at(t).altaz()
        if alt.degrees >= VISIBLE_FLOOR_DEG:
            rows.append((float(alt.degrees), sat.model.satnum, float(az.degrees), float(dist.km)))
    rows.sort(reverse=True)
    with open(os.path.join(OUT, 'visible_kyiv.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['time_utc', 'site_lat_deg', 'site_lon_deg', 'site_alt_m', 'dut1_s',
                    'norad_id', 'azimuth_deg', 'elevation_deg', 'range_km'])
        for el, num, az, rng in rows:
            w.writerow([iso_of(t), KYIV[0], KYIV[1], KYIV[2], repr(float(t.dut1)),
                        num, repr(az), repr(el), repr(rng)])


def altitude_fn(sat, site, ts, t0):
    """Skyfield's altitude (deg) of sat above site, seconds after t0."""
    def alt(seconds):
        t = ts.tt_jd(t0.tt + seconds / 86400.0)
        return (sat - site).at(t).altaz()[0].degrees
    return alt


def bisect_crossing(alt, a, b, mask):
    """The instant in [a, b] where alt crosses mask, to 1 ms."""
    fa = alt(a) - mask
    while b - a > 1e-3:
        m = 0.5 * (a + b)
        fm = alt(m) - mask
        if (fm < 0) == (fa < 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def golden_max(alt, a, b):
    """The instant of the highest alt in [a, b], to 1 ms (one maximum)."""
    g = (5 ** 0.5 - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = alt(c), alt(d)
    while b - a > 1e-3:
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = alt(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = alt(d)
    return 0.5 * (a + b)


def passes_of(sat, site, ts, t0, mask):
    """(aos_s, tca_s, los_s, max_deg) of every pass above mask in
    [0, PASS_DAY_S] s after t0: Skyfield altitude sampled every PASS_SCAN_S,
    crossings bisected, the maximum by golden section.  aos_s / los_s are
    None when the pass is cut by the window."""
    alt = altitude_fn(sat, site, ts, t0)
    grid = list(range(0, PASS_DAY_S + 1, PASS_SCAN_S))
    times = ts.tt_jd([t0.tt + g / 86400.0 for g in grid])
    above = (sat - site).at(times).altaz()[0].degrees >= mask
    out = []
    i = 0
    while i < len(grid):
        if not above[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(grid) and above[j + 1]:
            j += 1
        aos = bisect_crossing(alt, grid[i - 1], grid[i], mask) if i > 0 else None
        los = bisect_crossing(alt, grid[j], grid[j + 1], mask) if j + 1 < len(grid) else None
        lo = aos if aos is not None else 0.0
        hi = los if los is not None else float(PASS_DAY_S)
        tca = golden_max(alt, lo, hi)
        out.append((aos, tca, los, alt(tca)))
        i = j + 1
    return out


def fmt_s(seconds):
    return '' if seconds is None else '%.3f' % seconds


def write_passes(ts, records):
    site = wgs84.latlon(KYIV[0], KYIV[1], elevation_m=KYIV[2])
    t0 = utc_plus(ts, START, 0)
    with open(os.path.join(OUT, 'passes_kyiv.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['min_elevation_deg', 'norad_id', 'aos_s', 'tca_s', 'los_s',
                    'max_elevation_deg'])
        for mask in PASS_MASKS_DEG:
            for name, l1, l2 in records:
                sat = EarthSatellite(l1, l2, name, ts)
                for aos, tca, los, top in passes_of(sat, site, ts, t0, mask):
                    w.writerow([mask, sat.model.satnum, fmt_s(aos), fmt_s(tca), fmt_s(los),
                                '%.6f' % top])


def write_decay():
    with open(VER_TLE) as f:
        lines = [ln.rstrip('\n') for ln in f if ln[:1] in '12']
    picked = {}
    for i in range(0, len(lines) - 1):
        if lines[i].startswith('1 ') and lines[i][2:7] in ('28872', '29238'):
            picked[lines[i][2:7]] = (lines[i][:69], lines[i + 1][:69])
    with open(os.path.join(OUT, 'decay.tle'), 'w') as f:
        for num in ('28872', '29238'):
            f.write('%s\n%s\n' % picked[num])
    with open(os.path.join(OUT, 'decay.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['minutes_after_start', 'norad_id', 'sgp4_error'])
        for minutes in range(0, 61, 5):
            y, mo, d, h, mi, sec = DECAY_START
            jd, fr = jday(y, mo, d, h, mi + minutes, sec)
            for num in ('28872', '29238'):
                sat = Satrec.twoline2rv(*picked[num])
                e, _, _ = sat.sgp4(jd, fr)
                w.writerow([minutes, num, e])


def omm_records():
    """(label, file, start, fields) of the OMM inputs, fields as dicts."""
    out = []
    with open(OMM_CSV) as f:
        rows = list(csv.DictReader(f))[:3]
    out += [('csv', r) for r in rows]
    with open(OMM_JSON) as f:
        out += [('json', r) for r in json.load(f)]
    with open(ALPHA5_JSON) as f:
        out += [('alpha5_json', r) for r in json.load(f)]
    return out


def write_omm():
    """TEME states from python3-sgp4's own OMM reader (sgp4.omm.initialize)
    and, for the Alpha-5 TLE, twoline2rv."""
    with open(os.path.join(OUT, 'omm_teme.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['input', 'time_utc', 'norad_id', 'x_km', 'y_km', 'z_km',
                    'vx_km_s', 'vy_km_s', 'vz_km_s'])
        sats = []
        for label, fields in omm_records():
            sat = Satrec()
            omm.initialize(sat, fields)
            sats.append((label, int(fields['NORAD_CAT_ID']), sat))
        with open(ALPHA5_TLE) as g:
            lines = [ln.rstrip('\r\n') for ln in g if ln.strip()]
        sats.append(('alpha5_tle', 100534, Satrec.twoline2rv(lines[-2], lines[-1])))
        for label, num, sat in sats:
            start = OMM_STARTS[label]
            for dt in (0, 60, 120):
                t = start + datetime.timedelta(seconds=dt)
                jd, fr = jday(t.year, t.month, t.day, t.hour, t.minute, t.second)
                e, r, v = sat.sgp4(jd, fr)
                assert e == 0, (label, num, e)
                w.writerow([label, t.strftime('%Y-%m-%dT%H:%M:%SZ'), num]
                           + [repr(x) for x in r + v])


def main():
    os.makedirs(OUT, exist_ok=True)
    ts = load.timescale(builtin=True)
    snapshot = read_3le(SNAPSHOT)
    five = [rec for rec in snapshot if int(rec[1][2:7]) in FIVE]
    write_five(five)
    write_teme(five)
    write_geodetic(ts, five)
    write_visible(ts, snapshot)
    write_passes(ts, five)
    write_decay()
    write_omm()


if __name__ == '__main__':
    main()
