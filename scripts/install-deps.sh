#!/usr/bin/env bash
# install-deps.sh: install the Debian packages orbnet needs, only those missing.
#   scripts/install-deps.sh build   what `make` needs (compiler, libraries)
#   scripts/install-deps.sh test    build + what `make check` and `make fuzz` need
#                                   (Criterion, Python oracles, clang/libFuzzer, Chromium)
#   scripts/install-deps.sh bench   test + what `make bench` needs (Node.js, Hypatia's Python stack)
set -euo pipefail
level=${1:-build}

build_pkgs=(gcc make pkg-config libinih-dev libjansson-dev libcurl4-openssl-dev)
test_pkgs=(libcriterion-dev python3 python3-sgp4 python3-skyfield clang libclang-rt-14-dev chromium valgrind)
bench_pkgs=(nodejs npm python3-networkx python3-ephem python3-geopy python3-astropy
            python3-numpy python3-matplotlib python3-statsmodels python3-cartopy)

pkgs=("${build_pkgs[@]}")
case "$level" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  # nodejs may come from another repository that provides npm itself
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "orbnet: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo
  else echo "orbnet: please install as root: apt-get install ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
