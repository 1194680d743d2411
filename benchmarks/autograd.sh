#!/usr/bin/env bash
# Autograd overhead benchmark: ours (benchmarks/Autograd.Benchmarks) against PyTorch eager
# (benchmarks/peers/torch_autograd.py, 2 threads), printed side by side. Ratio = peer time / our time (above 1: we are faster).
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
PEER=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/peers/torch_autograd.py --threads 2)
ROWS="${1:-$("${OURS[@]}" --list | paste -sd, -)}"

echo "peer: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (2 threads); ours: .NET $(dotnet --version); $(nproc) cores" >&2
printf '%-16s %12s %12s %8s\n' row "ours (us)" "torch (us)" ratio
IFS=, read -ra LIST <<<"$ROWS"
for row in "${LIST[@]}"; do
  ours=$("${OURS[@]}" "$row" | cut -f2)
  peer=$("${PEER[@]}" "$row" | cut -f2)
  printf '%-16s %12s %12s %8s\n' "$row" "$ours" "$peer" "$(awk -v o="$ours" -v p="$peer" 'BEGIN { printf "%.2fx", p / o }')"
done
