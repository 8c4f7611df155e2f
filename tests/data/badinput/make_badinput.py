#!/usr/bin/python3
"""make_badinput.py: writes the bad-input fixtures of tests/test_badinput.c
into this folder (run from anywhere; deterministic).  Each file has one
defect; MANIFEST.csv lists file, kind, and the line and field the error
message must name.  Kinds: tle / omm (orbnet propagate --tle / --omm FILE),
run (orbnet run FILE), run:OTHER and sites:OTHER (orbnet run FILE, the
message names OTHER, a file the scenario refers to).  The 100 MB file is not stored: the test makes it
sparse with ftruncate."""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
# two element sets of tests/data/cli/five.tle (CelesTrak, 2026-06-24)
L0 = "STARLINK-1008"
L1 = "1 44714U 19074B   26174.88577602  .00061014  00000+0  10374-2 0  9992"
L2 = "2 44714  53.1523  36.6365 0001936 172.4425 187.6614 15.50879183365255"
OMM_HEAD = ("OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,"
            "RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,"
            "CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,"
            "MEAN_MOTION_DOT,MEAN_MOTION_DDOT")
OMM_ROW = ("STARLINK-1008,2019-074B,2026-06-20T09:43:48.440064,15.50487193,.000211,"
           "53.1521,53.3154,147.6682,212.4457,0,U,44714,999,36471,.97291E-3,.56365E-3,0")
JSON_REC = ('{"OBJECT_NAME":"STARLINK-1008","OBJECT_ID":"2019-074B",'
            '"EPOCH":"2026-06-20T09:43:48.440064","MEAN_MOTION":15.50487193,'
            '"ECCENTRICITY":0.000211,"INCLINATION":53.1521,"RA_OF_ASC_NODE":53.3154,'
            '"ARG_OF_PERICENTER":147.6682,"MEAN_ANOMALY":212.4457,"EPHEMERIS_TYPE":0,'
            '"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":44714,"ELEMENT_SET_NO":999,'
            '"REV_AT_EPOCH":36471,"BSTAR":0.00097291,"MEAN_MOTION_DOT":0.00056365,'
            '"MEAN_MOTION_DDOT":0}')
SITES_HEAD = "name,lat,lon,alt_m,role,pop"
SITES = ["Kyiv,50.4500,30.5236,179,terminal,Warsaw PoP",
         "Lviv,49.8419,24.0311,296,terminal,",
         "Wola Krobowska,51.86417,20.92105,,gateway,",
         "Warsaw PoP,52.227354,21.003357,,pop,"]
SCENARIO = """[scenario]
start = 2026-06-24T00:00:00Z
duration_s = 60
step_s = 10

[constellation]
tle = sats.tle

[ground]
sites = sites.csv
"""

manifest = []  # file, kind, line, field


def put(name, text, kind, line, field="", binary=False):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text if binary else text.encode())
    if kind:
        manifest.append((name, kind, line, field))


def checksum(line):
    s = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return line[:68] + str(s % 10)


def scenario(name, line, field, replace=None, add="", sites=None):
    text = SCENARIO
    if replace:
        text = text.replace(replace[0], replace[1])
    if sites:
        text = text.replace("sites = sites.csv", "sites = " + sites)
    put(name, text + add, "run", line, field)


def main():
    rng = random.Random(5)
    put("sats.tle", "\n".join([L0, L1, L2]) + "\n", None, 0)
    put("sites.csv", "\n".join([SITES_HEAD] + SITES) + "\n", None, 0)
    put("good.ini", SCENARIO, None, 0)
    # element sets (orbnet propagate --tle/--omm)
    put("empty.tle", "", "tle", 0)
    put("garbage.bin", bytes(rng.randrange(256) for _ in range(4096)), "tle", 0, binary=True)
    put("garbage.csv", bytes(rng.randrange(256) for _ in range(4096)), "omm", 0, binary=True)
    put("truncated_line2.tle", "\n".join([L0, L1, L2[:40]]) + "\n", "tle", 3)
    put("truncated_no_line2.tle", "\n".join([L0, L1]) + "\n", "tle", 2)
    bad = L1[:68] + str((int(L1[68]) + 1) % 10)
    put("wrong_checksum.tle", "\n".join([L0, bad, L2]) + "\n", "tle", 2, "checksum")
    put("omm_nan.csv", OMM_HEAD + "\n" + OMM_ROW.replace(",.000211,", ",NaN,") + "\n",
        "omm", 2, "ECCENTRICITY")
    put("omm_inf.csv", OMM_HEAD + "\n" + OMM_ROW.replace(",15.50487193,", ",inf,") + "\n",
        "omm", 2, "MEAN_MOTION")
    put("omm_truncated.csv", OMM_HEAD + "\n" + OMM_ROW[:60] + "\n", "omm", 2)
    put("omm_nan.json", "[" + JSON_REC.replace('"INCLINATION":53.1521', '"INCLINATION":NaN')
        + "]\n", "omm", 1, "")
    put("omm_inf.json", "[" + JSON_REC.replace('"BSTAR":0.00097291', '"BSTAR":"Infinity"')
        + "]\n", "omm", 1, "BSTAR")
    put("omm_truncated.json", "[" + JSON_REC[:200], "omm", 1)
    # site CSV files, each read through a scenario naming it
    for name, rows, line, field in [
        ("sites_empty.csv", None, 0, ""),
        ("sites_lat_nan.csv", SITES[:1] + ["Lviv,nan,24.0311,296,terminal,"] + SITES[2:], 3, "lat"),
        ("sites_lon_inf.csv", SITES[:2] + ["Wola Krobowska,51.86417,-inf,,gateway,"] + SITES[3:],
         4, "lon"),
        ("sites_lat_91.csv", ["Kyiv,91.0,30.5236,179,terminal,Warsaw PoP"] + SITES[1:], 2, "lat"),
        ("sites_lat_-90.5.csv", SITES[:3] + ["Warsaw PoP,-90.5,21.003357,,pop,"], 5, "lat"),
        ("sites_duplicate.csv", SITES + ["Lviv,49.8419,24.0311,296,terminal,"], 6, "name"),
        ("sites_truncated.csv", SITES[:2] + ["Wola Krobowska,51.86"], 4, ""),
        ("sites_alt_nan.csv", ["Kyiv,50.4500,30.5236,NaN,terminal,Warsaw PoP"] + SITES[1:], 2,
         "alt_m"),
    ]:
        text = "" if rows is None else "\n".join([SITES_HEAD] + rows) + "\n"
        put(name, text, None, 0)
        scenario("scn_" + name.replace(".csv", ".ini"), line, field, sites=name)
        manifest[-1] = (manifest[-1][0], "sites:" + name, line, field)
    put("sites_garbage.csv", bytes(rng.randrange(256) for _ in range(4096)), None, 0, binary=True)
    scenario("scn_sites_garbage.ini", 0, "", sites="sites_garbage.csv")
    manifest[-1] = (manifest[-1][0], "sites:sites_garbage.csv", 0, "")
    # scenarios
    scenario("step_zero.ini", 4, "step_s", ("step_s = 10", "step_s = 0"))
    scenario("step_negative.ini", 4, "step_s", ("step_s = 10", "step_s = -10"))
    scenario("step_inf.ini", 4, "step_s", ("step_s = 10", "step_s = inf"))
    scenario("duration_nan.ini", 3, "duration_s", ("duration_s = 60", "duration_s = nan"))
    scenario("elevation_nan.ini", 13, "min_elevation_deg", add="\n[links]\nmin_elevation_deg = -nan\n")
    scenario("jam_lat_95.ini", 13, "jam", add="\n[faults]\njam = 95, 30, 100\n")
    scenario("missing_tle.ini", 7, "tle", ("tle = sats.tle", "tle = missing.tle"))
    scenario("missing_sites.ini", 10, "sites", ("sites = sites.csv", "sites = missing.csv"))
    scenario("no_sats_pattern.ini", 0, "", ("tle = sats.tle", "tle = sats.tle\nname_pattern = ONEWEB-*"))
    scenario("no_sats_inclination.ini", 0, "",
             ("tle = sats.tle", "tle = sats.tle\ninclination_min_deg = 97"))
    put("comments_only.tle", "# no element sets here\n\n", None, 0)
    scenario("no_sats_file.ini", 0, "", ("tle = sats.tle", "tle = comments_only.tle"))
    manifest[-1] = (manifest[-1][0], "run:comments_only.tle", 0, "")
    put("scenario_empty.ini", "", "run", 0)
    put("scenario_garbage.ini", bytes(rng.randrange(256) for _ in range(4096)), "run", 0, binary=True)
    scenario("scenario_truncated.ini", 3, "", ("duration_s = 60\nstep_s = 10\n", "duration_s"))
    with open(os.path.join(HERE, "MANIFEST.csv"), "w") as f:
        f.write("file,kind,line,field\n")
        for row in manifest:
            f.write("%s,%s,%d,%s\n" % row)


if __name__ == "__main__":
    main()
