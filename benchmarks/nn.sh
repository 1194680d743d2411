#!/usr/bin/env bash
# Training-step benchmark of the nn stack against PyTorch on the same machine:
# a 4-64-64-2 tanh MLP at batch 64 and a Nature-DQN conv net on 4x84x84 at batch 32 (forward, loss, backward, Adam step).
# Usage: benchmarks/nn.sh [mlp|conv]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-}

if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  echo "installing the PyTorch peer (python3-torch python3-numpy libopenblas0-pthread)..."
  apt-get install -y python3-torch python3-numpy libopenblas0-pthread >/dev/null
fi

dotnet build benchmarks/NN.Benchmarks -c Release -v quiet -nologo >/dev/null
ours=$(dotnet benchmarks/NN.Benchmarks/bin/Release/net10.0/RlPlat.NN.Benchmarks.dll $which)
peer=$(/usr/bin/python3 benchmarks/peers/nn_train_step.py $which)

printf "%-24s %14s %14s %10s\n" "benchmark (ms/step)" "rlplat" "torch(2 thr)" "ratio"
join -t $'\t' <(echo "$ours" | sort) <(echo "$peer" | sort) |
  awk -F'\t' '{ printf "%-24s %14.3f %14.3f %9.2fx\n", $1, $2, $3, $2 / $3 }'
echo "ratio = rlplat / torch: below 1 means rlplat is faster"
