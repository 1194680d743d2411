#!/usr/bin/env bash
# Agent benchmarks: learning results over seeds (rl-zoo hyperparameters, deterministic 20-episode evaluations) and
# PPO training speed against a CleanRL-style PyTorch PPO on a numpy CartPole (benchmarks/peers/ppo_cartpole_torch.py).
#   benchmarks/agents.sh            everything (hours on 2 cores)
#   benchmarks/agents.sh speed      PPO CartPole speed vs the PyTorch peer only
#   benchmarks/agents.sh core       PPO and DQN on CartPole-v1 (the acceptance rows that matter first)
#   SEEDS=0,1 benchmarks/agents.sh  fewer seeds
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
what="${1:-all}"
seeds="${SEEDS:-0,1,2,3,4}"
out="${OUT:-benchmarks/out/agents}"
mkdir -p "$out"

dotnet build benchmarks/Agents.Benchmarks -c Release -v quiet -nologo >/dev/null
bench="dotnet benchmarks/Agents.Benchmarks/bin/Release/net10.0/RlPlat.Agents.Benchmarks.dll"

if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  apt-get install -y python3-torch python3-numpy libopenblas0-pthread >/dev/null
fi

learn() { # algo env threshold budget [evalEvery] [overrides...]
  local algo=$1 env=$2 thr=$3 budget=$4 every=${5:-0}; shift 5 || shift $#
  $bench learn "$algo" "$env" "$thr" "$budget" "$seeds" "$every" "$@" | tee -a "$out/learn.tsv"
}

if [[ $what == speed || $what == all ]]; then
  echo "== PPO CartPole-v1, 100k env steps, seed 0 (training time, evaluation excluded)"
  rl=$($bench learn ppo CartPole-v1 1e9 100000 0 10000 | grep RESULT)
  py=$(/usr/bin/python3 benchmarks/peers/ppo_cartpole_torch.py 0 100000)
  rl_sps=$(echo "$rl" | tr '\t' '\n' | sed -n 's/^steps_per_s=//p')
  rl_s=$(echo "$rl" | tr '\t' '\n' | sed -n 's/^train_s=//p')
  py_sps=$(echo "$py" | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['steps_per_second']))")
  py_s=$(echo "$py" | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['train_seconds'],2))")
  printf '%-40s %12s %12s\n' "implementation" "train s" "steps/s"
  printf '%-40s %12s %12s\n' "rlplat PPO (C#)" "$rl_s" "$rl_sps"
  printf '%-40s %12s %12s\n' "CleanRL-style PPO, PyTorch (peer)" "$py_s" "$py_sps"
  /usr/bin/python3 -c "print(f'ratio rlplat/peer steps/s: {$rl_sps/$py_sps:.2f}x')"
  echo "$rl" >> "$out/speed.tsv"; echo "$py" >> "$out/speed.tsv"
fi

if [[ $what == core || $what == all ]]; then
  learn ppo CartPole-v1 475 100000 5000
  learn dqn CartPole-v1 475 100000 5000
fi

if [[ $what == all ]]; then
  learn a2c CartPole-v1 475 500000 10000
  learn reinforce CartPole-v1 475 300000 10000
  learn ppo Acrobot-v1 -100 200000 10000
  learn dqn Acrobot-v1 -100 200000 10000
  learn dqn MountainCar-v0 -120 200000 10000
  learn sac Pendulum-v1 -200 20000 2000
  learn td3 Pendulum-v1 -200 20000 2000
  learn ppo Pendulum-v1 -250 200000 10000
  for env in Catch-v0 CarSensorsDiscrete-v0 CarSensors-v0; do $bench random "$env" 20 | tee -a "$out/learn.tsv"; done
  learn dqn Catch-v0 1e9 100000 10000
  learn ppo CarSensors-v0 1e9 100000 10000
fi

echo
echo "== summary (reached = seeds whose evaluation mean reached the threshold within the budget)"
grep -h SUMMARY "$out/learn.tsv" 2>/dev/null | column -t -s $'\t' || true
