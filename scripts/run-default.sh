#!/usr/bin/env bash
# run-default.sh: what `make run` runs: the default scenario, Starlink over
# Ukraine (scenarios/ukraine.ini), into out/ukraine/, then says where the
# report is.  Builds first when run on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/orbnet ] || make -j2
out=out/ukraine
mkdir -p "$out"
echo "orbnet: Starlink over Ukraine, 2026-06-24 00:00-01:00 UTC (scenarios/ukraine.ini)"
echo
build/orbnet run scenarios/ukraine.ini -o "$out"
cat <<EOF

Columns: avail% = share of the hour with a path to the PoP; rtt_* = round-trip
time terminal -> PoP in ms (propagation only); ho/h = changes of serving
satellite per hour; hops = mean links on the path; pop = the PoP used most.

Report (open it in any browser, it needs no network):
  $PWD/$out/report.html
Also in $out/: summary.json, rtt.csv, handovers.csv.  More scenarios: scenarios/.
EOF
