#!/usr/bin/env bash
# run-tests.sh BUILD_DIR...: runs every test binary of each build folder from
# the repository root, with ORBNET pointing at that build's command, and
# closes with one line "tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0; failed=0; bad=()
for b in "$@"; do
  for t in "$b"/tests/test_*; do
    case "$t" in *.o|*.d) continue ;; esac
    [ -x "$t" ] || continue
    log=$(mktemp)
    ORBNET="$PWD/$b/orbnet" "$t" --jobs 2 >"$log" 2>&1
    rc=$?
    syn=$(grep -a 'Synthesis:' "$log" | tail -n 1)
    p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$syn"); p=${p:-0}
    f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$syn"); f=${f:-0}
    c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$syn"); c=${c:-0}
    f=$((f + c))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    # a sanitizer report inside a forked test process does not always
    # change its exit status: any report fails the binary
    if grep -aqE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
      [ "$f" -eq 0 ] && f=1
      echo "sanitizer report in $t"
    fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
      bad+=("$t"); echo "---- $t (exit $rc)"; cat "$log"
    else
      echo "ok   $t: $p tests"
    fi
    rm -f "$log"
  done
done
[ ${#bad[@]} -gt 0 ] && echo "failing: ${bad[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
