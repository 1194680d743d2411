#!/usr/bin/env bash
# Connectors benchmark: remote CartPole stepping over loopback (TCP 1 and 8 clients, WebSocket) with latency
# percentiles, and stream-adapter throughput, side by side with the pure-Python implementation of the same protocol.
# Usage: benchmarks/connectors.sh [--seconds 2] [--no-python]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! /usr/bin/python3 -c "import msgpack, numpy" 2>/dev/null; then
  apt-get update && apt-get install -y python3-msgpack python3-numpy
fi
dotnet build benchmarks/Connectors.Benchmarks -c Release -v quiet -nologo
dotnet benchmarks/Connectors.Benchmarks/bin/Release/net10.0/RlPlat.Connectors.Benchmarks.dll "$@"
