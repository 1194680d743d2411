#!/usr/bin/env bash
# Builds the GPU check/benchmark program for a machine without .NET: a self-contained linux-x64 publish packed as
# .gpu/rlplat-gpu.tar.xz (well under the device tool's 64 MiB). Run it there with benchmarks/gpu-device.sh.
# Usage: benchmarks/gpu.sh [--run-local]   (--run-local: also dry-run both modes here on ILGPU's CPU accelerator, small sizes)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=.gpu
rm -rf "$out/publish"
mkdir -p "$out"
echo "publishing benchmarks/Gpu.Benchmarks (self-contained, linux-x64)..." >&2
dotnet publish benchmarks/Gpu.Benchmarks/Gpu.Benchmarks.csproj -c Release -r linux-x64 --self-contained \
  -p:InvariantGlobalization=true -p:DebugType=none -o "$out/publish" -v q -nologo >&2
tar -C "$out/publish" -cJf "$out/rlplat-gpu.tar.xz.tmp" .
mv "$out/rlplat-gpu.tar.xz.tmp" "$out/rlplat-gpu.tar.xz"
size=$(stat -c %s "$out/rlplat-gpu.tar.xz")
echo "wrote $out/rlplat-gpu.tar.xz ($((size / 1024 / 1024)) MiB); on the GPU machine: bash benchmarks/gpu-device.sh" >&2
if [ "$size" -gt $((64 * 1024 * 1024)) ]; then echo "error: the tarball exceeds 64 MiB" >&2; exit 1; fi
if [ "${1:-}" = "--run-local" ]; then
  "$out/publish/RlPlat.Gpu.Benchmarks" check --device ilgpu-cpu --small
  "$out/publish/RlPlat.Gpu.Benchmarks" bench --device ilgpu-cpu --quick
fi
