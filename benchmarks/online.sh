#!/usr/bin/env bash
# Online learning benchmarks (issue 10): action latency on a real-time CarSensors stream at 50 Hz and 1 kHz with the
# online DQN learning on its own thread, the fraction of deadlines met (deadline = one sensor period), the car demo's
# learning curve in virtual time (laps per minute of stream time, each minute) with and without growth, and the cost
# of one action against a PyTorch peer (benchmarks/peers/online_act_torch.py).
#   benchmarks/online.sh              everything (about 5 minutes on 2 cores)
#   SECONDS_PER_RATE=60 benchmarks/online.sh latency   longer latency runs
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
what="${1:-all}"
secs="${SECONDS_PER_RATE:-20}"
minutes="${MINUTES:-6}"

dotnet build benchmarks/Online.Benchmarks -c Release -v quiet -nologo >/dev/null
bench="dotnet benchmarks/Online.Benchmarks/bin/Release/net10.0/RlPlat.Online.Benchmarks.dll"
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  apt-get install -y python3-torch python3-numpy libopenblas0-pthread >/dev/null
fi

if [[ $what == latency || $what == all ]]; then
  echo "== action latency, real time, CarSensorsDiscrete-v0 via sensor-stream, online DQN learning on its own thread; ${secs} s per rate after 2 s warm-up"
  echo "   latency = reading taken -> action posted; deadline = one sensor period"
  echo "   stream clock: Rx's Scheduler.Default (thread-pool timer callbacks) or an EventLoopScheduler (a thread of its own; what rlplat run uses)"
  printf '%-8s %-10s %10s %9s %9s %10s %10s %10s %10s %10s\n' rate_hz clock observed actions late met p50_us p95_us p99_us upd/s
  for rate in 50 1000; do
    for clock in default eventloop; do
      row=$($bench latency "$rate" "$secs" "$clock" | grep LATENCY)
      val() { echo "$row" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
      printf '%-8s %-10s %10s %9s %9s %10s %10s %10s %10s %10s\n' "$rate" "$clock" "$(val observed_hz)" "$(val actions)" "$(val late)" "$(val deadlines_met)" "$(val p50_us)" "$(val p95_us)" "$(val p99_us)" "$(val updates_per_s)"
    done
  done
fi

if [[ $what == act || $what == all ]]; then
  echo
  echo "== one action, 12-64-64-5 MLP, one observation (the actor's cost per reading)"
  rl=$($bench act 200000 | grep ACT)
  py=$(/usr/bin/python3 benchmarks/peers/online_act_torch.py 100000)
  snap=$(echo "$rl" | tr '\t' '\n' | sed -n 's/^snapshot_us=//p')
  eng=$(echo "$rl" | tr '\t' '\n' | sed -n 's/^engine_us=//p')
  torch=$(echo "$py" | tr '\t' '\n' | sed -n 's/^torch_us=//p')
  printf '%-46s %10s %12s\n' implementation "us/action" "vs torch"
  printf '%-46s %10s %12s\n' "rlplat PolicySnapshot.Forward (what acts)" "$snap" "$(/usr/bin/python3 -c "print(f'{$torch/$snap:.1f}x faster')")"
  printf '%-46s %10s %12s\n' "rlplat engine Module.Forward, no-grad" "$eng" "$(/usr/bin/python3 -c "print(f'{$torch/$eng:.1f}x faster')")"
  printf '%-46s %10s %12s\n' "PyTorch nn.Sequential, no_grad (peer)" "$torch" "1.0x"
fi

if [[ $what == curve || $what == all ]]; then
  echo
  echo "== car demo learning curve, virtual time, 50 Hz sensor-stream, ${minutes} min of stream time: laps per minute, each minute"
  for algo in "random-dqn 0" "dqn 0" "dqn 1" "random-ac 0" "ac 0" "ac 1"; do
    $bench curve $algo "$minutes" | grep CURVE | cut -f2- | column -t -s $'\t'
  done
fi
