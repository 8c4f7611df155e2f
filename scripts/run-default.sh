#!/usr/bin/env bash
# run-default.sh: what `make run` runs: the default scenario, Starlink over Ukraine.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/ukraine
exec build/orbnet run scenarios/ukraine.ini -o out/ukraine
