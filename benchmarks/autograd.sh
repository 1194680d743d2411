#!/usr/bin/env bash
# Autograd overhead benchmark: ours (benchmarks/Autograd.Benchmarks) against PyTorch eager
# (benchmarks/peers/torch_autograd.py), printed side by side. Both sides time single iterations and report the
# 10th percentile, which stays meaningful on a shared, loaded machine. Ratio = peer time / our time (above 1: we are faster).
# Usage: benchmarks/autograd.sh [ROWS]   (comma-separated; default all: mlp_fwd_bwd, mlp_fwd_nograd, chain_fwd_bwd)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "installing the PyTorch peer (Debian python3-torch, OpenBLAS pthread)..." >&2
  apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >&2
fi

dotnet build benchmarks/Autograd.Benchmarks -c Release -v q -nologo >&2
OURS=(dotnet benchmarks/Autograd.Benchmarks/bin/Release/net10.0/RlPlat.Autograd.Benchmarks.dll)
# Let OpenBLAS pick its own kernel for this CPU (the environment may pin another one).
PEER=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/peers/torch_autograd.py)
ROWS="${1:-$("${OURS[@]}" --list | paste -sd, -)}"

echo "peer: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); ours: .NET $(dotnet --version); $(nproc) cores" >&2
# PyTorch is run with 2 threads (the comparison asked for) and with 1: on a loaded machine OpenBLAS's second thread can
# make the 2-thread peer orders of magnitude slower, and the 1-thread column keeps the comparison meaningful then.
printf '%-16s %10s %14s %8s %14s %8s\n' row "ours (us)" "torch-2t (us)" ratio "torch-1t (us)" ratio
IFS=, read -ra LIST <<<"$ROWS"
for row in "${LIST[@]}"; do
  ours=$("${OURS[@]}" "$row" | cut -f2)
  peer2=$("${PEER[@]}" "$row" --threads 2 | cut -f2)
  peer1=$("${PEER[@]}" "$row" --threads 1 | cut -f2)
  printf '%-16s %10s %14s %8s %14s %8s\n' "$row" "$ours" "$peer2" "$(awk -v o="$ours" -v p="$peer2" 'BEGIN { printf "%.2fx", p / o }')" \
    "$peer1" "$(awk -v o="$ours" -v p="$peer1" 'BEGIN { printf "%.2fx", p / o }')"
done
