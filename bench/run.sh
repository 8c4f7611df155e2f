#!/usr/bin/env bash
# run.sh: orbnet's benchmarks (make bench).  SGP4: propagations per second on
# one core for the 2026-06-24 Starlink snapshot, orbnet's batch and scalar
# paths and satellite.js on the same satellites and instants, as a table;
# then the network benchmarks of bench/net_bench.sh.
# Rates are propagations per CPU second of the (single-threaded) process, the
# median of the repeats, so that other load on a shared machine is not counted.
#   SGP4_BENCH_MINUTES (1440), SGP4_BENCH_STEP (1 min), SGP4_BENCH_REPEATS (5),
#   BENCH_CPU (0): the core the runs are pinned to.
set -euo pipefail
cd "$(dirname "$0")/.."
tle=data/tle/starlink_celestrak_gp_2026-06-24.tle
minutes=${SGP4_BENCH_MINUTES:-1440}
step=${SGP4_BENCH_STEP:-1}
repeats=${SGP4_BENCH_REPEATS:-5}
bin=build/bench/sgp4_bench

if [ ! -x "$bin" ] || [ "$bin" -ot bench/sgp4_bench.c ] || [ "$bin" -ot build/liborbnet.a ]; then
  make -s build/liborbnet.a
  mkdir -p build/bench
  ${CC:-cc} -std=c11 -O2 -g -fopenmp -D_POSIX_C_SOURCE=200809L -Iinclude \
    -o "$bin" bench/sgp4_bench.c build/liborbnet.a -linih -ljansson -lcurl -lm -fopenmp
fi
if [ ! -d bench/node_modules/satellite.js ]; then
  npm ci --prefix bench --no-audit --no-fund >/dev/null
fi

pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c "${BENCH_CPU:-0}"); fi

c_out=$("${pin[@]}" "$bin" "$tle" "$minutes" "$step" "$repeats")
js_out=$("${pin[@]}" node bench/satjs_bench.js "$tle" "$minutes" "$step" "$repeats")
value() { sed -n "s/^$1 //p" <<<"$2"; }
batch=$(value orbnet_batch_props_per_s "$c_out")
scalar=$(value orbnet_scalar_props_per_s "$c_out")
satjs=$(value satjs_props_per_s "$js_out")
satjs_version=$(node -p "require('./bench/node_modules/satellite.js/package.json').version")

echo "SGP4 on one core: $(head -n 1 <<<"$c_out")"
[ "$(head -n 1 <<<"$c_out")" = "$(head -n 1 <<<"$js_out")" ] ||
  echo "  (satellite.js side: $(head -n 1 <<<"$js_out"))"
awk -v b="$batch" -v s="$scalar" -v j="$satjs" -v ver="$satjs_version" -v node="$(node --version)" '
  function row(name, r) { printf "  %-36s %14.0f  %6.2fx\n", name, r, r / j }
  BEGIN {
    printf "  %-36s %14s  %7s\n", "implementation", "props/s", "vs s.js"
    row("orbnet batch (vectorised)", b)
    row("orbnet scalar (orb_sgp4_propagate)", s)
    row("satellite.js " ver " (Node " node ")", j)
    printf "sgp4_ratio_orbnet_batch_over_satellitejs=%.2f\n", b / j
    printf "sgp4_ratio_orbnet_scalar_over_satellitejs=%.2f\n", s / j
  }'

# Network engine: Hypatia's Starlink-550 (against satgenpy when HYPATIA_DIR
# and EXPUTIL_DIR point at checkouts) and the real snapshot against real time.
echo
bench/net_bench.sh
