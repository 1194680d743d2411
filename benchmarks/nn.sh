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

printf "%-24s %12s %12s %8s   %12s %12s %8s\n" "benchmark (ms/step)" "rlplat wall" "torch wall" "ratio" "rlplat cpu" "torch cpu" "ratio"
join -t $'\t' <(echo "$ours" | sort) <(echo "$peer" | sort) |
  awk -F'\t' '{ printf "%-24s %12.3f %12.3f %7.2fx   %12.3f %12.3f %7.2fx\n", $1, $2, $4, $2 / $4, $3, $5, $3 / $5 }'
echo "torch runs with torch.set_num_threads(2); ratio = rlplat / torch (below 1: rlplat is faster)"
