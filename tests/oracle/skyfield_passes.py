#!/usr/bin/python3
"""skyfield_passes.py: writes the oracle for tests/test_passes.c into
tests/data/skyfield/: passes_sats.tle (the satellites), passes_events.csv
(Skyfield's EarthSatellite.find_events as it reports them) and
passes_refined.csv (the same passes with AOS/LOS/TCA refined to 1 us on
Skyfield's own altitude function).

find_events is meant to stop its searches at half a second, but Skyfield
1.45's _find_discrete tests only the first bracket for convergence while
find_events starts it on brackets of unequal width, so its rise and set
times can be late by several seconds (up to 11 s here; it reports the end of
its last bracket, which lies after the true crossing).  The refinement (bisection on altitude - mask for AOS/LOS, on
the sign of the altitude rate for TCA) gives reference times to compare our
root-finding with at the millisecond level.

Usage: /usr/bin/python3 tests/oracle/skyfield_passes.py
"""
import csv
import os

from skyfield.api import wgs84

import skyfield_common as common

SITE = common.SITES[0]              # Kyiv
MASKS_DEG = [0.0, 10.0, 25.0]       # 25 deg: Starlink's user-terminal mask
START = (2026, 6, 24, 0, 0, 0.0)
DURATION_S = 86400.0


class Oracle:
    def __init__(self, ts, sat, topos):
        self.ts, self.sat, self.topos = ts, sat, topos
        self.diff = sat - topos

    def time(self, x):
        y, mo, d, h, mi, s = START
        return self.ts.utc(y, mo, d, h, mi, s + x)

    def offset(self, t):
        return (t.tt - self.time(0.0).tt) * 86400.0

    def alt(self, x):
        return self.diff.at(self.time(x)).altaz()[0].degrees

    def rate_sign(self, x, h=1e-3):
        return self.alt(x + h) - self.alt(x - h) > 0.0


def bisect(pred, lo, hi, tol=1e-6):
    """pred(lo) != pred(hi); returns the switch point to tol seconds."""
    plo = pred(lo)
    assert plo != pred(hi), (lo, hi)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if pred(mid) == plo:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def bracket(pred, x, lo_limit, hi_limit, width=2.0):
    lo, hi = max(x - width, lo_limit), min(x + width, hi_limit)
    while pred(lo) == pred(hi):
        width *= 2.0
        lo, hi = max(x - width, lo_limit), min(x + width, hi_limit)
        assert width < 600.0, x
    return lo, hi


def group(events):
    """(kind, x) events -> passes [aos_x or None, [culmination xs], los_x or None]."""
    passes, cur = [], None
    for kind, x in events:
        if kind == 0:
            cur = [x, [], None]
            passes.append(cur)
        else:
            if cur is None:
                cur = [None, [], None]
                passes.append(cur)
            if kind == 1:
                cur[1].append(x)
            else:
                cur[2] = x
                cur = None
    return passes


def refine(o, p, mask):
    below = lambda x: o.alt(x) < mask
    aos = los = None
    if p[0] is not None:
        aos = bisect(below, *bracket(below, p[0], 0.0, DURATION_S))
    if p[2] is not None:
        los = bisect(below, *bracket(below, p[2], 0.0, DURATION_S))
    peaks = []
    for x in p[1]:
        lo, hi = bracket(o.rate_sign, x, 0.0, DURATION_S, 5.0)
        tca = bisect(o.rate_sign, lo, hi)
        peaks.append((o.alt(tca), tca))
    if not peaks:   # in progress at an end of the window and past its peak
        x = 0.0 if aos is None else DURATION_S
        peaks.append((o.alt(x), x))
    return aos, max(peaks)[1], los, max(peaks)[0]


def constant_dut1_timescale():
    """Skyfield's timescale with UT1-UTC held at its value at START: its
    extrapolated UT1-UTC drifts by 0.24 ms over the day, which moves the
    satellites by up to 8 cm and elevations by ~1e-5 deg, while
    orb_passes_find takes one value for its whole window."""
    ts = common.timescale()
    t0 = ts.utc(*START)
    delta_t = 32.184 + float(t0._leap_seconds()) - float(t0.dut1)
    ts.delta_t_function = lambda tt: 0.0 * tt + delta_t
    return ts


def main():
    ts = constant_dut1_timescale()
    records = common.one_per_shell(common.read_tle())
    sats = common.satellites(ts, records)
    topos = wgs84.latlon(SITE[1], SITE[2], elevation_m=SITE[3])
    os.makedirs(common.OUT_DIR, exist_ok=True)
    with open(os.path.join(common.OUT_DIR, 'passes_sats.tle'), 'w') as f:
        for name, l1, l2 in records:
            f.write('%s\n%s\n%s\n' % (name, l1, l2))
    fmt = lambda x: '' if x is None else '%.6f' % x
    t0 = Oracle(ts, sats[0], topos).time(0.0)
    t1 = Oracle(ts, sats[0], topos).time(DURATION_S)
    assert abs(t1.dut1 - t0.dut1) < 1e-9, (t0.dut1, t1.dut1)
    with open(os.path.join(common.OUT_DIR, 'passes_events.csv'), 'w', newline='') as fe, \
         open(os.path.join(common.OUT_DIR, 'passes_refined.csv'), 'w', newline='') as fr:
        ev = csv.writer(fe, lineterminator='\n')
        rf = csv.writer(fr, lineterminator='\n')
        ev.writerow(['norad_id', 'mask_deg', 'event', 'offset_s', 'altitude_deg'])
        rf.writerow(['norad_id', 'mask_deg', 'dut1_s', 'aos_offset_s', 'tca_offset_s',
                     'los_offset_s', 'max_elevation_deg'])
        for sat in sats:
            o = Oracle(ts, sat, topos)
            for mask in MASKS_DEG:
                t, kinds = sat.find_events(topos, t0, t1, altitude_degrees=mask)
                events = [(int(k), o.offset(ti)) for ti, k in zip(t, kinds)]
                for k, x in events:
                    ev.writerow([sat.model.satnum, mask, k, '%.6f' % x, '%.9f' % o.alt(x)])
                for p in group(events):
                    aos, tca, los, max_el = refine(o, p, mask)
                    rf.writerow([sat.model.satnum, mask, repr(float(t0.dut1)), fmt(aos),
                                 fmt(tca), fmt(los), '%.9f' % max_el])


if __name__ == '__main__':
    main()
