#!/usr/bin/env bash
# valgrind.sh [ORBNET]: runs a short case of every orbnet command (and a few
# bad inputs, whose error paths must free everything too) under Valgrind
# memcheck with --leak-check=full; any error or leak fails the script.
# ORBNET defaults to build/orbnet (a plain build: Valgrind and ASan do not mix).
set -euo pipefail
main() {
cd "$(dirname "$0")/.."
orbnet=${1:-build/orbnet}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed" >&2; return 2; }
[ -x "$orbnet" ] || { echo "valgrind.sh: no $orbnet (run make first)" >&2; return 2; }
out=build/valgrind
rm -rf "$out"; mkdir -p "$out"
five=tests/data/cli/five.tle
kyiv=50.45,30.5236,179
start=2026-06-24T00:00:00Z
short=tests/data/valgrind/walker-550-short.ini
nearest=tests/data/valgrind/nearest.ini
bad=tests/data/badinput
failed=0 n=0

# check NAME EXPECTED_EXIT ARGS...: one command under memcheck.  Error exit
# 99 marks a memcheck error; "definite" and "possible" leaks count as errors.
check() {
  local name=$1 want=$2; shift 2
  local log="$out/$name.log"
  n=$((n + 1))
  set +e
  OMP_NUM_THREADS=2 valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible \
    --suppressions=scripts/valgrind.supp --track-origins=yes --log-file="$log" "$orbnet" "$@" > "$out/$name.out" 2>&1
  local rc=$?
  set -e
  local errs
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
  if [ "$rc" -eq 99 ] || [ "${errs:-1}" != 0 ] || [ "$rc" -ne "$want" ]; then
    failed=$((failed + 1))
    echo "FAIL $name: exit $rc (want $want), ${errs:-?} memcheck errors; see $log"
    tail -n 30 "$log"
  else
    echo "ok   $name: exit $rc, 0 memcheck errors"
  fi
}

check propagate 0 propagate --tle "$five" --start "$start" --duration 600 --step 60
check propagate-ecef-file 0 propagate --tle "$five" --start "$start" --duration 120 \
  --step 60 --frame geodetic -o "$out/prop.csv"
check propagate-omm 0 propagate --omm tests/data/elsets/omm_json_sample.json \
  --start "$start" --duration 120 --step 60
check visible 0 visible --tle "$five" --site "$kyiv" --time "$start" --min-elevation 0
check passes 0 passes --tle "$five" --site "$kyiv" --start "$start" --duration 7200 \
  --min-elevation 10
check run 0 run "$short" -o "$out/run" --quiet
check run-nearest 0 run "$nearest" -o "$out/run-nearest"
check run-snapshot 0 run tests/data/valgrind/ukraine-short.ini -o "$out/run-snapshot" --quiet
check route 0 route "$short" --from Kyiv --to "Warsaw PoP (wrswpol1)" \
  --time 2026-06-24T00:00:05Z
check route-json 0 route "$nearest" --from Lviv --to "Frankfurt PoP (frntdeu1)" \
  --time 2026-06-24T00:00:05Z --format json
check fetch-help 0 fetch --help
check help 0 --help
# error paths: exit 2 or 3, and still nothing leaked
check bad-checksum 3 propagate --tle "$bad/wrong_checksum.tle" --start "$start" \
  --duration 60 --step 60
check bad-omm-json 3 propagate --omm "$bad/omm_inf.json" --start "$start" \
  --duration 60 --step 60
check bad-sites 3 run "$bad/scn_sites_duplicate.ini" -o "$out/bad"
check bad-scenario 3 run "$bad/jam_lat_95.ini" -o "$out/bad"
check no-satellites 3 run "$bad/no_sats_pattern.ini" -o "$out/bad"
check bad-route-site 3 route "$short" --from Nowhere --to Kyiv --time "$start"
check bad-usage 2 propagate --tle "$five" --start "$start" --duration 60 --step 0

echo "valgrind: $((n - failed)) of $n commands clean"
[ "$failed" -eq 0 ]
}
main "$@"; exit $?
