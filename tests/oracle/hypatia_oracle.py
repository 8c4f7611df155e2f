#!/usr/bin/python3
"""Oracle data for orbnet's network tests, computed by RUNNING Hypatia's satgenpy.

Reads the Starlink-550 inputs in tests/data/hypatia/ (satgenpy's own output),
calls satgenpy's own functions (forwarding state, path walk, path length) at a
few instants and writes CSV files next to the inputs. See
tests/data/hypatia/README.md for the file formats and satgenpy's conventions.

Usage (from the repository root, Debian's python, satgenpy's Debian packages):
    HYPATIA_DIR=/path/to/hypatia EXPUTIL_DIR=/path/to/exputilpy \\
        /usr/bin/python3 tests/oracle/hypatia_oracle.py [OUT_DIR]

Nothing of Hypatia is copied or built here: satgenpy is imported from
$HYPATIA_DIR/satgenpy. Takes about 2 minutes (one forwarding state per instant).
"""

import itertools
import math
import os
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data", "hypatia"))

for var in ("HYPATIA_DIR", "EXPUTIL_DIR"):
    if os.environ.get(var):
        sys.path.insert(0, os.environ[var] + ("/satgenpy" if var == "HYPATIA_DIR" else ""))
if not os.environ.get("HYPATIA_DIR"):
    sys.exit("hypatia_oracle.py: set HYPATIA_DIR to a checkout of github.com/snkas/hypatia")

warnings.simplefilter("ignore")  # numpy/networkx deprecation noise inside satgenpy

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from astropy import units as u  # noqa: E402
from sgp4.api import WGS72, Satrec, jday  # noqa: E402
from sgp4.propagation import gstime  # noqa: E402

import exputil  # noqa: E402
import satgen  # noqa: E402
from satgen.dynamic_state.generate_dynamic_state import generate_dynamic_state_at  # noqa: E402
from satgen.post_analysis.graph_tools import (  # noqa: E402
    compute_path_length_with_graph, compute_path_length_without_graph,
    construct_graph_with_distances, get_path)

C_M_S = 299792458.0          # satgenpy's speed of light (print_routes_and_rtt.py)
TIMES_S = [0, 10, 100, 1000]  # seconds after the TLE epoch 2000-01-01 00:00:00
ALGORITHM = "algorithm_free_one_only_over_isls"

# (src_gid, dst_gid): long and short, north and south, east-west and north-south.
PAIRS = [
    (24, 66), (66, 24),  # Paris <-> Luanda (satgenpy printed 105.38 ms at t = 0)
    (27, 9), (9, 20), (0, 20), (84, 20), (3, 54), (21, 6), (73, 84), (63, 27),
    (34, 24), (12, 89), (1, 11), (7, 33), (45, 25), (50, 29), (96, 72),
    (56, 94), (39, 80), (8, 0), (5, 31),
]
SAT_IDS = [0, 1, 21, 22, 500, 791, 1000, 1562, 1583]

# libastro (PyEphem) earth model used for satellites' sub-points and observers.
EPHEM_A_M = 6378160.0
EPHEM_F = 1.0 / 298.25


def load_network():
    """Read satgenpy's inputs with satgenpy's own readers."""
    net = {"gs": satgen.read_ground_stations_extended(DATA + "/ground_stations.txt")}
    tles = satgen.read_tles(DATA + "/tles.txt")
    net["sats"], net["epoch"] = tles["satellites"], tles["epoch"]
    net["isls"] = satgen.read_isls(DATA + "/isls.txt", len(net["sats"]))
    desc = exputil.PropertiesConfig(DATA + "/description.txt")
    net["max_gsl_m"] = float(desc.get_property_or_fail("max_gsl_length_m"))
    net["max_isl_m"] = float(desc.get_property_or_fail("max_isl_length_m"))
    with open(DATA + "/tles.txt") as f:
        lines = f.read().splitlines()[1:]
    net["satrec"] = [Satrec.twoline2rv(lines[3 * i + 1], lines[3 * i + 2], WGS72)
                     for i in range(len(net["sats"]))]
    return net


def forwarding_state(net, t_s, work):
    """satgenpy's full forwarding state at t_s: {(node, dst_gs_node): next_hop}."""
    n_sat, n_gs = len(net["sats"]), len(net["gs"])
    info_file = work + "/gsl_interfaces_info.txt"
    satgen.generate_simple_gsl_interfaces_info(info_file, n_sat, n_gs, 1, 1, 1, 1)
    info = satgen.read_gsl_interfaces_info(info_file, n_sat, n_gs)
    out = generate_dynamic_state_at(work, net["epoch"], t_s * 10**9, net["sats"], net["gs"],
                                    net["isls"], info, net["max_gsl_m"], net["max_isl_m"],
                                    ALGORITHM, None, False)
    return {k: v[0] for k, v in out["fstate"].items()}


def clean_ecef_m(net, sid, t_s):
    """python-sgp4 (WGS-72) TEME position rotated by IAU-82 GMST (UT1 = UTC), metres."""
    jd, fr = jday(2000, 1, 1, 0, 0, t_s)
    err, r_km, _ = net["satrec"][sid].sgp4(jd, fr)
    if err:
        raise RuntimeError("sgp4 error %d for satellite %d" % (err, sid))
    g = gstime(jd + fr)
    x, y, z = (1000.0 * c for c in r_km)
    return np.array([math.cos(g) * x + math.sin(g) * y, -math.sin(g) * x + math.cos(g) * y, z])


def clean_path_length_m(net, path, t_s):
    """Length of a satgenpy path recomputed with python-sgp4 and the WGS-72 site
    coordinates of ground_stations.txt (the 'clean' geometry orbnet uses)."""
    n_sat = len(net["sats"])

    def pos(node):
        if node < n_sat:
            return clean_ecef_m(net, node, t_s)
        g = net["gs"][node - n_sat]
        return np.array([g["cartesian_x"], g["cartesian_y"], g["cartesian_z"]])
    return sum(float(np.linalg.norm(pos(a) - pos(b))) for a, b in zip(path, path[1:]))


def runner_up_m(graph, n_sat, src, dst, length_m):
    """Length of the second-shortest simple path between two ground-station nodes
    over the graph with every other ground station removed (no relays). Also
    checks that satgenpy's path is a shortest one in that graph."""
    keep = [v for v in graph.nodes if v < n_sat or v in (src, dst)]
    paths = nx.shortest_simple_paths(graph.subgraph(keep), src, dst, weight="weight")
    two = list(itertools.islice(paths, 2))
    best = compute_path_length_with_graph(two[0], graph)
    if abs(best - length_m) > 0.01:
        raise RuntimeError("satgenpy path %d->%d is %.3f m, Dijkstra finds %.3f m"
                           % (src, dst, length_m, best))
    if len(two) < 2:
        return float("inf")
    return compute_path_length_with_graph(two[1], graph)


def pair_rows(net, t_s, fstate, graph):
    """Rows of paths.csv for one instant, exactly as print_routes_and_rtt computes them."""
    n_sat, rows = len(net["sats"]), []
    for src_gid, dst_gid in PAIRS:
        src, dst = n_sat + src_gid, n_sat + dst_gid
        there, back = get_path(src, dst, fstate), get_path(dst, src, fstate)
        if there is None or back is None:
            rows.append("%d,%d,%d,,,,,," % (t_s, src_gid, dst_gid))
            continue
        args = (net["epoch"], t_s * 10**9, net["sats"], net["gs"], net["isls"],
                net["max_gsl_m"], net["max_isl_m"])
        len_there = compute_path_length_without_graph(there, *args)
        len_back = compute_path_length_without_graph(back, *args)
        rtt_ms = (len_there + len_back) * 1000.0 / C_M_S
        second = runner_up_m(graph, n_sat, src, dst, len_there)
        clean_ms = 2000.0 * clean_path_length_m(net, there, t_s) / C_M_S
        rows.append("%d,%d,%d,%.6f,%s,%.3f,%.3f,%.3f,%.6f" % (
            t_s, src_gid, dst_gid, rtt_ms, "-".join(map(str, there)), len_there, len_back,
            second - len_there, clean_ms))
        print("  t=%4d %2d->%2d rtt %.3f ms hops %d margin %.0f m" % (
            t_s, src_gid, dst_gid, rtt_ms, len(there) - 1, second - len_there), flush=True)
    return rows


def allpairs_rows(net, fstate, graph):
    """rtt_ms for every unordered ground-station pair at t = 0 (graph weights are
    satgenpy's own distances; same numbers as compute_path_length_without_graph)."""
    n_sat, n_gs, rows = len(net["sats"]), len(net["gs"]), []
    for a, b in itertools.combinations(range(n_gs), 2):
        there = get_path(n_sat + a, n_sat + b, fstate)
        back = get_path(n_sat + b, n_sat + a, fstate)
        if there is None or back is None:
            rows.append("%d,%d,," % (a, b))
            continue
        length = (compute_path_length_with_graph(there, graph)
                  + compute_path_length_with_graph(back, graph))
        rows.append("%d,%d,%.6f,%d" % (a, b, length * 1000.0 / C_M_S, len(there) - 1))
    return rows


def gsl_rows(net, t_s, graph):
    """Satellites within satgenpy's GSL range (plus near misses up to 2 km beyond)."""
    n_sat, rows = len(net["sats"]), []
    time = net["epoch"] + t_s * 10**9 * u.ns
    for g in net["gs"]:
        for sid in range(n_sat):
            if graph.has_edge(n_sat + g["gid"], sid):
                rng = graph.edges[n_sat + g["gid"], sid]["weight"]
            else:
                rng = satgen.distance_m_ground_station_to_satellite(
                    g, net["sats"][sid], str(net["epoch"]), str(time))
                if rng > net["max_gsl_m"] + 2000.0:
                    continue
            clean = float(np.linalg.norm(clean_ecef_m(net, sid, t_s) - np.array(
                [g["cartesian_x"], g["cartesian_y"], g["cartesian_z"]])))
            rows.append("%d,%d,%d,%.3f,%d,%.3f" % (
                t_s, g["gid"], sid, rng, rng <= net["max_gsl_m"], clean))
    return rows


def isl_rows(net, t_s, graph):
    rows = []
    for a, b in net["isls"]:
        clean = float(np.linalg.norm(clean_ecef_m(net, a, t_s) - clean_ecef_m(net, b, t_s)))
        rows.append("%d,%d,%d,%.3f,%.3f" % (t_s, a, b, graph.edges[a, b]["weight"], clean))
    return rows


def ephem_sat_ecef_m(sat):
    """Earth-fixed position from PyEphem's sub-point (geocentric latitude, longitude,
    height above libastro's approximate ellipsoid), inverting libastro's formulas."""
    lat, lon = float(sat.sublat), float(sat.sublong)
    e2 = 2 * EPHEM_F - EPHEM_F ** 2
    r = float(sat.elevation) + EPHEM_A_M * math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return np.array([r * math.cos(lat) * math.cos(lon), r * math.cos(lat) * math.sin(lon),
                     r * math.sin(lat)])


def ephem_site_ecef_m(g):
    """Earth-fixed observer position as libastro places it (a = 6378.16 km,
    f = 1/298.25, latitude first mapped by atan(tan(lat) / (1 - f^2)))."""
    lat = math.atan(math.tan(math.radians(float(g["latitude_degrees_str"]))) / (1 - EPHEM_F ** 2))
    lon = math.radians(float(g["longitude_degrees_str"]))
    e2 = 2 * EPHEM_F - EPHEM_F ** 2
    g1 = EPHEM_A_M / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    g2 = g1 * (1 - EPHEM_F) ** 2
    h = g["elevation_m_float"]
    return np.array([(g1 + h) * math.cos(lat) * math.cos(lon),
                     (g1 + h) * math.cos(lat) * math.sin(lon), (g2 + h) * math.sin(lat)])


def sat_rows(net, t_s):
    rows, time = [], net["epoch"] + t_s * 10**9 * u.ns
    for sid in SAT_IDS:
        sat = net["sats"][sid]
        sat.compute(str(time), epoch=str(net["epoch"]))
        e, c = ephem_sat_ecef_m(sat), clean_ecef_m(net, sid, t_s)
        rows.append("%d,%d,%.9f,%.9f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f" % (
            t_s, sid, math.degrees(float(sat.sublat)), math.degrees(float(sat.sublong)),
            float(sat.elevation), *e, *c))
    return rows


def gs_rows(net):
    """Check the libastro site model against ephem's own ranges (satellite 0, t = 0)."""
    rows, worst = [], 0.0
    sat = net["sats"][0]
    sat.compute(str(net["epoch"]), epoch=str(net["epoch"]))
    sat_e = ephem_sat_ecef_m(sat)
    for g in net["gs"]:
        site = ephem_site_ecef_m(g)
        rng = satgen.distance_m_ground_station_to_satellite(
            g, sat, str(net["epoch"]), str(net["epoch"]))
        worst = max(worst, abs(float(np.linalg.norm(sat_e - site)) - rng))
        rows.append("%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f" % (
            g["gid"], *site, g["cartesian_x"], g["cartesian_y"], g["cartesian_z"]))
    print("site model check: |range(model) - range(ephem)| <= %.2f m" % worst)
    return rows


def write_csv(out_dir, name, header, rows):
    with open(os.path.join(out_dir, name), "w") as f:
        f.write(header + "\n")
        f.writelines(r + "\n" for r in rows)
    print("wrote %s (%d rows)" % (name, len(rows)), flush=True)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DATA
    net = load_network()
    n_sat = len(net["sats"])
    paths, gsl, sats = [], [], []
    with tempfile.TemporaryDirectory() as work:
        for t_s in TIMES_S:
            print("t = %d s: satgenpy forwarding state ..." % t_s, flush=True)
            fstate = forwarding_state(net, t_s, work)
            graph = construct_graph_with_distances(
                net["epoch"], t_s * 10**9, net["sats"], net["gs"], net["isls"],
                net["max_gsl_m"], net["max_isl_m"])
            paths += pair_rows(net, t_s, fstate, graph)
            gsl += gsl_rows(net, t_s, graph)
            sats += sat_rows(net, t_s)
            if t_s == 0:
                write_csv(out_dir, "allpairs_rtt_t0.csv", "src_gid,dst_gid,rtt_ms,hops",
                          allpairs_rows(net, fstate, graph))
                write_csv(out_dir, "isl_lengths_t0.csv", "time_s,a,b,length_m,clean_length_m",
                          isl_rows(net, t_s, graph))
    write_csv(out_dir, "paths.csv", "time_s,src_gid,dst_gid,rtt_ms,path,length_m,"
              "back_length_m,margin_m,clean_rtt_ms", paths)
    write_csv(out_dir, "gsl_ranges.csv",
              "time_s,gid,sat_id,range_m,in_range,clean_range_m", gsl)
    write_csv(out_dir, "sat_ecef.csv", "time_s,sat_id,sublat_deg,sublong_deg,ephem_elevation_m,"
              "ephem_x_m,ephem_y_m,ephem_z_m,sgp4_x_m,sgp4_y_m,sgp4_z_m", sats)
    write_csv(out_dir, "gs_ecef.csv", "gid,ephem_x_m,ephem_y_m,ephem_z_m,"
              "wgs72_x_m,wgs72_y_m,wgs72_z_m", gs_rows(net))
    assert n_sat == 1584


if __name__ == "__main__":
    main()
