#!/bin/sh
# Comparison peer for the network engine: times Hypatia's satgenpy forwarding-state
# generation on its Starlink-550 network (tests/data/hypatia/) and prints
# `hypatia_s_per_step=<median seconds per time step>` (one core). See bench/README.md.
#
# Usage: HYPATIA_DIR=/path/to/hypatia EXPUTIL_DIR=/path/to/exputilpy bench/hypatia_peer.sh [STEPS]
# STEPS defaults to 2 (each step takes ~17 s on the development machine).
# Optional: HYPATIA_PYTHON (default /usr/bin/python3), HYPATIA_CPU (default 0).
set -eu

steps=${1:-2}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../tests/data/hypatia"
python=${HYPATIA_PYTHON:-/usr/bin/python3}
cpu=${HYPATIA_CPU:-0}

if [ -z "${HYPATIA_DIR:-}" ] || [ -z "${EXPUTIL_DIR:-}" ] \
    || [ ! -d "${HYPATIA_DIR:-/nonexistent}/satgenpy/satgen" ] \
    || [ ! -d "${EXPUTIL_DIR:-/nonexistent}/exputil" ]; then
    echo "hypatia_s_per_step=unavailable (set HYPATIA_DIR and EXPUTIL_DIR to Hypatia/exputilpy checkouts)"
    exit 0
fi
case $steps in
    ''|*[!0-9]*|0) echo "hypatia_peer.sh: STEPS must be a positive integer" >&2; exit 2 ;;
esac

# One core, and no hidden BLAS/OpenMP threads inside numpy.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1
export PYTHONPATH="$HYPATIA_DIR/satgenpy:$EXPUTIL_DIR${PYTHONPATH:+:$PYTHONPATH}"
pin=""
if command -v taskset >/dev/null 2>&1; then
    pin="taskset -c $cpu"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# The Python below only calls satgenpy's own functions: it reads the inputs,
# writes the per-satellite interface file satgenpy's main_helper.py would write
# for algorithm_free_one_only_over_isls, and times generate_dynamic_state_at
# (the body of satgenpy's generate_dynamic_state loop) once per step.
$pin "$python" - "$data" "$work" "$steps" <<'EOF' 2>"$work/stderr" || {
import statistics
import sys
import time
import warnings

import exputil
import satgen
from satgen.dynamic_state.generate_dynamic_state import generate_dynamic_state_at

warnings.simplefilter("ignore")
data, work, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
ground_stations = satgen.read_ground_stations_extended(data + "/ground_stations.txt")
tles = satgen.read_tles(data + "/tles.txt")
satellites = tles["satellites"]
isls = satgen.read_isls(data + "/isls.txt", len(satellites))
desc = exputil.PropertiesConfig(data + "/description.txt")
max_gsl_m = float(desc.get_property_or_fail("max_gsl_length_m"))
max_isl_m = float(desc.get_property_or_fail("max_isl_length_m"))
satgen.generate_simple_gsl_interfaces_info(
    work + "/gsl_interfaces_info.txt", len(satellites), len(ground_stations), 1, 1, 1, 1)
gsl_info = satgen.read_gsl_interfaces_info(
    work + "/gsl_interfaces_info.txt", len(satellites), len(ground_stations))

step_ns = 100 * 1000 * 1000   # Hypatia's usual 100 ms granularity
# CPU time of this single-threaded process: on a shared machine the wall clock
# would also count the time other processes hold the core.
prev, times = None, []
for i in range(steps):
    w0, c0 = time.perf_counter(), time.process_time()
    prev = generate_dynamic_state_at(work, tles["epoch"], i * step_ns, satellites,
                                     ground_stations, isls, gsl_info, max_gsl_m,
                                     max_isl_m, "algorithm_free_one_only_over_isls",
                                     prev, False)
    times.append(time.process_time() - c0)
    print("hypatia step %d: %.3f s cpu, %.3f s wall"
          % (i, times[-1], time.perf_counter() - w0), file=sys.stderr)
print("hypatia_s_per_step=%.3f" % statistics.median(times))
EOF
    echo "hypatia_peer.sh: satgenpy failed:" >&2
    cat "$work/stderr" >&2
    exit 1
}
if [ -n "${HYPATIA_VERBOSE:-}" ]; then
    cat "$work/stderr" >&2
fi
