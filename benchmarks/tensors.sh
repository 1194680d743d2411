#!/usr/bin/env bash
# Tensor-library benchmark: rlplat's per-op cost next to PyTorch's on this machine, in one run.
# Usage: benchmarks/tensors.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing the PyTorch peer (Debian packages)..." >&2
  apt-get install -y python3-torch python3-numpy libopenblas0-pthread >&2
fi
dotnet build benchmarks/Tensors.Benchmarks -c Release -v q -nologo >&2
ours=$(mktemp); theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
echo "running rlplat..." >&2
dotnet benchmarks/Tensors.Benchmarks/bin/Release/net10.0/RlPlat.Tensors.Benchmarks.dll "$@" > "$ours"
echo "running torch..." >&2
/usr/bin/python3 benchmarks/peers/tensors_torch.py "$@" > "$theirs"
head -1 "$ours"; head -1 "$theirs"
/usr/bin/python3 - "$ours" "$theirs" <<'PY'
import sys
def read(path):
    rows = {}
    for line in open(path):
        if line.startswith("#"): continue
        name, size, ns, alloc = line.split()
        rows[(name, int(size))] = (float(ns), alloc)
    return rows
ours, theirs = read(sys.argv[1]), read(sys.argv[2])
def fmt(ns):
    return f"{ns:.0f} ns" if ns < 1e4 else f"{ns / 1e3:.1f} us" if ns < 1e7 else f"{ns / 1e6:.1f} ms"
print(f"{'op':<14}{'size':>10}{'rlplat':>12}{'alloc/op':>12}{'torch':>12}{'torch/rlplat':>14}")
for key, (ns, alloc) in ours.items():
    t = theirs.get(key)
    ratio = f"{t[0] / ns:.2f}x" if t else "-"
    print(f"{key[0]:<14}{key[1]:>10}{fmt(ns):>12}{alloc + ' B':>12}{fmt(t[0]) if t else '-':>12}{ratio:>14}")
print("torch/rlplat > 1: rlplat is faster. Sizes: elements (matmul: n for n x n).")
PY
