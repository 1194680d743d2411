#!/usr/bin/env bash
# Engine benchmark: ours (benchmarks/Engine.Benchmarks) against PyTorch (benchmarks/peers/torch_engine.py), one table.
# Usage: benchmarks/engine.sh [ROWS] [REPEATS]
#   ROWS     comma-separated row names (default: every row Engine.Benchmarks has; "all" adds the peer-only rows;
#            "lazy" = the lazy-evaluation rows: 8-op chain at 1M/16M eager, lazy, lazy into a tensor; Adam step 1M)
#   REPEATS  times each row is measured per side, alternating ours/peer so both see the same machine load (default 3);
#            the best of the repeats is kept for each side.
# Ratio is ours/peer for throughputs and peer/ours for times: above 1 means we are faster.
# Rows: matmul GFLOP/s 64..2048 (2 threads and _1t), elementwise GB/s at 1K/1M/16M (add allocates its result and leaves
# it to the GC, add_dispose allocates it and disposes it (`using var c = a + b`; PyTorch's side is the same `a + b`, which
# its reference count frees at once), add_out writes it into a reused tensor (out=), add_inplace is a += b, exp allocates), per-op overhead on 1 and 64 elements (ns),
# and the 4-64-64-2 MLP forward+backward / Adam step (µs).
# THREADS (default 2) is torch.set_num_threads for the peer and RLPLAT_NUM_THREADS for ours; _1t rows use one on both.
# SKIP_BUILD=1 runs an existing Release build (for machines without the SDK's network restore).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "installing the PyTorch peer (Debian python3-torch, OpenBLAS pthread)..." >&2
  apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >&2
fi

THREADS="${THREADS:-2}"
export RLPLAT_NUM_THREADS="$THREADS"
[[ "${SKIP_BUILD:-}" == 1 ]] || dotnet build benchmarks/Engine.Benchmarks -c Release -v q -nologo >&2
OURS=(dotnet benchmarks/Engine.Benchmarks/bin/Release/net10.0/RlPlat.Engine.Benchmarks.dll)
# The environment may pin OpenBLAS to another CPU's kernel (OPENBLAS_CORETYPE) or cache size; the peer runs without
# those pins so that OpenBLAS picks its own best kernel for this CPU.
PEER=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/peers/torch_engine.py --threads "$THREADS")

ROWS="${1:-}"
REPEATS="${2:-3}"
if [[ -z "$ROWS" ]]; then
  ROWS=$("${OURS[@]}" --list | paste -sd, -)
elif [[ "$ROWS" == lazy ]]; then
  ROWS=$("${OURS[@]}" --list | grep -E '^(chain8_|adam_)' | paste -sd, -)
elif [[ "$ROWS" == all ]]; then
  ROWS=$( { "${OURS[@]}" --list; "${PEER[@]}" --list; } | awk '!seen[$0]++' | paste -sd, -)
fi
OUR_ROWS=" $("${OURS[@]}" --list | tr '\n' ' ')"
PEER_ROWS=" $("${PEER[@]}" --list | tr '\n' ' ')"

CORE=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import torch' 2>&1 | grep -o 'Core: .*' | head -1 || true)
TORCH=$(/usr/bin/python3 -c "import torch; torch.set_num_threads($THREADS); print(torch.__version__, 'threads', torch.get_num_threads())")
echo "peer: torch $TORCH, OpenBLAS ${CORE:-core unknown}; ours: .NET $(dotnet --list-runtimes | grep -o 'NETCore.App [0-9.]*' | tail -1), RLPLAT_NUM_THREADS=$THREADS; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
IFS=, read -ra LIST <<<"$ROWS"
for row in "${LIST[@]}"; do
  for ((r = 1; r <= REPEATS; r++)); do
    if [[ "$OUR_ROWS" == *" $row "* ]]; then
      "${OURS[@]}" --rows "$row" | sed 's/^/ours /' >>"$RESULTS"
    fi
    if [[ "$PEER_ROWS" == *" $row "* ]]; then
      "${PEER[@]}" --rows "$row" 2>/dev/null | sed 's/^/peer /' >>"$RESULTS"
    fi
  done
  echo "measured $row" >&2
done

/usr/bin/python3 - "$RESULTS" "$ROWS" <<'PY'
import json, sys
best, units = {}, {}
for line in open(sys.argv[1]):
    side, payload = line.split(" ", 1)
    r = json.loads(payload)
    key = (side, r["row"])
    units[r["row"]] = (r["unit"], r["higher_is_better"])
    better = max if r["higher_is_better"] else min
    best[key] = better(best[key], r["value"]) if key in best else r["value"]
kernels = {}
for line in open(sys.argv[1]):
    side, payload = line.split(" ", 1)
    r = json.loads(payload)
    if side == "ours" and "kernels" in r:
        kernels[r["row"]] = r["kernels"]
print(f"{'row':<32} {'unit':>9} {'ours':>11} {'PyTorch':>11} {'ratio':>7}")
for row in sys.argv[2].split(","):
    if row not in units:
        continue
    unit, higher = units[row]
    ours, peer = best.get(("ours", row)), best.get(("peer", row))
    fmt = lambda v: f"{v:11.3f}" if v is not None else f"{'-':>11}"
    ratio = "-"
    if ours and peer:
        ratio = f"{(ours / peer if higher else peer / ours):.2f}x"
    print(f"{row:<32} {unit:>9} {fmt(ours)} {fmt(peer)} {ratio:>7}")

# Lazy evaluation: our eager vs our lazy (fresh output, and into an existing tensor) vs PyTorch eager, with kernel counts.
lazy = [r for r in sys.argv[2].split(",") if (r.startswith("chain8_") or r.startswith("adam_")) and not r.endswith(("_eager", "_into"))]
if lazy:
    print()
    print(f"{'lazy row':<16} {'eager ms':>9} {'lazy ms':>9} {'into ms':>9} {'torch ms':>9} {'eager/lazy':>10} {'torch/lazy':>10} {'torch/into':>10} {'kernels eager/lazy':>19}")
    for row in lazy:
        e, l, i, t = (best.get(("ours", row + "_eager")), best.get(("ours", row)), best.get(("ours", row + "_into")), best.get(("peer", row)))
        f = lambda v: f"{v:9.3f}" if v is not None else f"{'-':>9}"
        ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "-"
        k = f"{kernels.get(row + '_eager', '-')}/{kernels.get(row, '-')}"
        print(f"{row:<16} {f(e)} {f(l)} {f(i)} {f(t)} {ratio(e, l):>10} {ratio(t, l):>10} {ratio(t, i):>10} {k:>19}")
PY
echo "ratio > 1: rlplat is faster; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
