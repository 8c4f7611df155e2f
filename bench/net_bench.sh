#!/bin/sh
# Network-engine benchmarks (issue 3), run from `make bench` or by hand from
# the repository root after `make`:
#  1. Hypatia's Starlink-550 network (72x22 +Grid, 100 cities, all-pairs
#     RTTs per step): orbnet's CPU ms per step (bench/net_bench.c), and the
#     ratio to satgenpy's seconds per step (bench/hypatia_peer.sh, when
#     HYPATIA_DIR and EXPUTIL_DIR are set).  Target: <= 5 ms per step.
#  2. The real 2026-06-24 snapshot (10,631 satellites, inferred shells,
#     +Grid) with ~1,000 sites over Europe (27 gateways, 6 PoPs and a grid of
#     986 terminals), 1 s steps, `orbnet run --threads 2` with every output
#     file: times faster than real time.  Target: >= 100x on 2 cores.
# Usage: bench/net_bench.sh [HYPATIA_STEPS] [REAL_SECONDS]   (defaults 200, 600)
set -eu

cd "$(dirname "$0")/.."
hsteps=${1:-200}
real_s=${2:-600}
build=${B:-build}

bin="$build/bench/net_bench"
if [ ! -x "$bin" ] || [ bench/net_bench.c -nt "$bin" ] || [ "$build/liborbnet.a" -nt "$bin" ]; then
    make -s B="$build" "$bin" 2>/dev/null || {
        mkdir -p "$build/bench"
        ${CC:-cc} -std=c11 -O2 -g -fopenmp -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -Iinclude -Isrc -o "$bin" bench/net_bench.c "$build/liborbnet.a" \
            -linih -ljansson -lcurl -lm -fopenmp
    }
fi

echo "== orbnet on Hypatia's Starlink-550 network (1584 satellites, 100 cities, all pairs)"
out=$("$bin" "$hsteps")
echo "$out"
line=$(echo "$out" | grep '^orbnet_hypatia_ms_per_step=')
orb_ms=${line#*=}
peer=$(bench/hypatia_peer.sh 2 | tail -n 1)
echo "$peer"
hyp_s=${peer#*=}
case $hyp_s in
    ''|*[!0-9.]*) echo "hypatia_ratio=unavailable" ;;
    *) awk -v h="$hyp_s" -v o="$orb_ms" 'BEGIN { printf "hypatia_ratio=%.0f (satgenpy s/step over orbnet s/step)\n", h * 1000 / o }' ;;
esac

echo "== orbnet run: real snapshot, ~1,000 sites, 1 s steps, 2 threads"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
awk 'BEGIN { print "name,lat,lon,role"; n = 0
             for (la = 36; la <= 69.5; la += 1)
                 for (lo = -10; lo <= 40; lo += 1.75) {
                     n++; printf "T%04d,%.2f,%.2f,terminal\n", n, la, lo } }' \
    > "$work/terminals.csv"
cat > "$work/real.ini" <<EOF
[scenario]
name = bench-real-10k-europe
start = 2026-06-24T12:00:00Z
duration_s = $real_s
step_s = 1

[constellation]
tle = $PWD/data/tle/starlink_celestrak_gp_2026-06-24.tle

[ground]
sites = $PWD/data/ground/starlink_ground_europe.csv
sites = terminals.csv

[links]
isl = plus-grid
EOF
# CPU seconds (user + system) of the whole command, from the shell's times
cpu_before=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
"$build/orbnet" run "$work/real.ini" -o "$work/out" --threads 2 --quiet
wall=$(sed -n 's/.*"wall_time_s": *\([0-9.e+-]*\).*/\1/p' "$work/out/summary.json")
ticks=$(getconf CLK_TCK)
cpu_after=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
steps=$((real_s + 1))
awk -v w="$wall" -v c0="$cpu_before" -v c1="$cpu_after" -v t="$ticks" -v s="$steps" -v d="$real_s" 'BEGIN {
    cpu = (c1 - c0) / t
    printf "orbnet_real_ms_per_step=%.2f (wall, 2 threads, step loop only)\n", 1000 * w / s
    printf "orbnet_real_cpu_ms_per_step=%.2f (CPU, whole command incl. loading)\n", 1000 * cpu / s
    printf "realtime_ratio=%.0f (simulated s / wall s of the step loop)\n", d / w
    printf "realtime_ratio_cpu=%.0f (simulated s / (CPU s / 2 cores): the ratio on an idle machine)\n", d / (cpu / 2)
}'
