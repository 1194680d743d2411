#!/usr/bin/env bash
# Env steps per second: rlplat's envs (through Gym.Make's default wrapper stack) against a NUMPY PORT of
# Gymnasium 1.x's CartPole/Pendulum step code (Gymnasium itself cannot be installed here; see
# benchmarks/peers/gymnasium_port_envs.py). CarSensors-v0 has no peer: its figures are ours alone.
# Usage: benchmarks/envs.sh [seconds per case, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CASE="${1:-2}"

if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "installing the Debian numpy peer dependency..." >&2
  apt-get install -y python3-numpy >&2
fi

dotnet build benchmarks/Environments.Benchmarks -c Release -nologo -v quiet >&2
OURS=$(mktemp) PEER=$(mktemp)
trap 'rm -f "$OURS" "$PEER"' EXIT
echo "running rlplat (about $((9 * 2 * SECONDS_PER_CASE)) s)..." >&2
dotnet benchmarks/Environments.Benchmarks/bin/Release/net10.0/RlPlat.Environments.Benchmarks.dll "$SECONDS_PER_CASE" > "$OURS"
echo "running the numpy port of Gymnasium's step code..." >&2
/usr/bin/python3 benchmarks/peers/gymnasium_port_envs.py "$SECONDS_PER_CASE" > "$PEER"

awk 'NR == FNR { peer[$1 " " $2] = $3; next }
     BEGIN { printf "%-15s %-14s %16s %14s %28s %9s\n", "env", "mode", "rlplat steps/s", "alloc B/step", "gymnasium numpy port st/s", "ratio" }
     {
       key = $1 " " $2
       # Threaded vectors are compared with the port'"'"'s sync vector (the port has no threaded one).
       pkey = ($2 == "threaded-vec8") ? $1 " sync-vec8" : key
       if (pkey in peer) printf "%-15s %-14s %16s %14s %28s %8.1fx\n", $1, $2, $3, $4, peer[pkey], $3 / peer[pkey]
       else printf "%-15s %-14s %16s %14s %28s %9s\n", $1, $2, $3, $4, "(no peer)", "-"
     }' "$PEER" "$OURS"
echo "steps/s are env steps (a vec8 step counts 8). Peer = numpy port of Gymnasium 1.x code, NOT Gymnasium itself." >&2
