#!/usr/bin/env bash
# Web benchmark: the browser Catch game through the web connector (lockstep steps/s and latency with 1 and N tabs,
# live frames/s, a random agent's return), side by side with Python + Selenium stepping the same game.js.
# Usage: benchmarks/web.sh [--seconds 3] [--tabs 4] [--no-python]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v chromium >/dev/null 2>&1 || { apt-get update && apt-get install -y chromium; }
if [[ " $* " != *" --no-python "* ]] && { ! /usr/bin/python3 -c "import selenium" 2>/dev/null || [ ! -x /usr/bin/chromedriver ]; }; then
  apt-get update && apt-get install -y python3-selenium chromium-driver
fi
dotnet build benchmarks/Web.Benchmarks -c Release -v quiet -nologo
dotnet benchmarks/Web.Benchmarks/bin/Release/net10.0/RlPlat.Web.Benchmarks.dll "$@"
