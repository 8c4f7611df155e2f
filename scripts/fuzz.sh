#!/usr/bin/env bash
# fuzz.sh SECONDS [NAME...]: builds every libFuzzer harness in fuzz/ (or
# only fuzz/NAME.c) with clang (ASan + UBSan) and runs each for SECONDS,
# seeded from the project's real data.  A crash leaves its reproducer in build/fuzz/<name>/crash-*;
# turn each into a regression test under tests/.
set -euo pipefail
# the body is one function, read whole before it runs, so editing this file
# while a long fuzz run is under way cannot change what that run does
main() {
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
out=build/fuzz
mkdir -p "$out/obj"
flags="-std=c11 -g -O1 -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DORBNET_VERSION=\"fuzz\" -fopenmp=libgomp -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all"
objs=()
for c in src/*.c; do
  o="$out/obj/$(basename "${c%.c}").o"
  # rebuilt when its source or any header changed (a struct that grew in a
  # header would otherwise leave objects that disagree on its layout)
  if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || \
     [ -n "$(find include src -name '*.h' -newer "$o" -print -quit)" ]; then
    clang $flags -c "$c" -o "$o"
  fi
  objs+=("$o")
done
clang -O0 -fPIC -c build/gen/embedded.c -o "$out/obj/embedded.o" 2>/dev/null || { make -s build/gen/embedded.c && clang -c build/gen/embedded.c -o "$out/obj/embedded.o"; }
objs+=("$out/obj/embedded.o")

seed() { # harness -> seed files
  case "$1" in
    fuzz_tle) ls data/tle/*.tle tests/data/sgp4/*.TLE tests/data/elsets/*.tle 2>/dev/null ;;
    fuzz_omm_csv) ls tests/data/elsets/*.csv tests/data/fetch/*.csv 2>/dev/null ;;
    fuzz_omm_json) ls tests/data/elsets/*.json tests/data/fetch/*.json 2>/dev/null ;;
    fuzz_scenario) ls scenarios/*.ini tests/data/{scenarios,net,badinput,valgrind}/*.ini 2>/dev/null ;;
    fuzz_sites) ls data/ground/*.csv data/cities/*.csv tests/data/{scenarios,net}/*.csv \
                   tests/data/badinput/sites*.csv 2>/dev/null ;;
    fuzz_isl) ls tests/data/net/isl*.txt 2>/dev/null ;;
    *) ;;
  esac
}

status=0
harnesses=(fuzz/fuzz_*.c)
if [ $# -gt 0 ]; then harnesses=(); for n in "$@"; do harnesses+=("fuzz/${n%.c}.c"); done; fi
for h in "${harnesses[@]}"; do
  name=$(basename "${h%.c}")
  bin="$out/bin/$name"; mkdir -p "$out/bin"; rm -f "$out/$name" 2>/dev/null || true
  clang $flags -fsanitize=fuzzer "$h" "${objs[@]}" -o "$bin" -linih -ljansson -lcurl -lm
  corpus="$out/$name/corpus"; mkdir -p "$corpus"
  # large real files are cut into small seeds: the fuzzer's max_len is 64 kB
  for f in $(seed "$name"); do head -c 60000 "$f" > "$corpus/seed-$(basename "$f")"; done
  dict=(); [ -f "fuzz/${name#fuzz_}.dict" ] && dict=(-dict="$PWD/fuzz/${name#fuzz_}.dict")
  echo "== $name: ${secs}s"
  # the whole log stays in build/fuzz/NAME/log; the summary is the final
  # coverage line (cov: edges, ft: features) and libFuzzer's final stats
  if (cd "$out/$name" && "../bin/$name" -max_total_time="$secs" -max_len=65536 -timeout=10 \
          -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" corpus > log 2>&1); then
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$out/$name/log" || true
  else
    status=1; tail -n 40 "$out/$name/log"; echo "!! $name found a problem: see $out/$name"
  fi
done
return $status
}
main "$@"; exit $?
