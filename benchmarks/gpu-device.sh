#!/usr/bin/env bash
# Runs ON the GPU machine (no .NET needed): unpacks .gpu/rlplat-gpu.tar.xz (made by benchmarks/gpu.sh) to /tmp, then
# runs `check` (GPU vs CPU per kernel family, small and medium sizes) and `bench` (matmul GFLOP/s tiled vs cuBLAS,
# elementwise GB/s at 64M float32, MLP training step CPU vs GPU at batch 64 and 4096) on cuda:0.
# Usage: bash benchmarks/gpu-device.sh [tarball] [check options, e.g. --small]
# Exit code: that of `check` (1 when a family FAILs).
set -uo pipefail
cd "$(dirname "$0")/.."
tarball=.gpu/rlplat-gpu.tar.xz
if [ $# -gt 0 ] && [ -f "$1" ]; then tarball=$1; shift; fi
dir=/tmp/rlplat-gpu
if [ ! -f "$tarball" ]; then echo "error: $tarball not found (build it with benchmarks/gpu.sh and carry .gpu)" >&2; exit 2; fi
rm -rf "$dir" && mkdir -p "$dir" && tar -C "$dir" -xJf "$tarball"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
echo "== nvidia-smi"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv 2>&1 | head -5
# cuBLAS: ILGPU 1.5.3 opens libcublas.so.12/.11/.10 by name. Put the toolkit's directory on the loader path and, when only
# a newer major version exists (CUDA 13: libcublas.so.13), offer it under the .12 name: the v2 entry points used
# (create, set stream/pointer mode, sgemm) are unchanged. When none is found, matmul uses the tiled kernel.
have12=$(ldconfig -p 2>/dev/null | grep -c 'libcublas.so.12 ' || true)
lib=$(ls /usr/local/cuda*/lib64/libcublas.so.1[0-9]* /usr/local/cuda*/targets/x86_64-linux/lib/libcublas.so.1[0-9]* \
        /usr/lib/x86_64-linux-gnu/libcublas.so.1[0-9]* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$lib" ]; then lib=$(find / -xdev -name 'libcublas.so.1[0-9]*' 2>/dev/null | sort -V | tail -1 || true); fi
if [ -n "$lib" ]; then
  export LD_LIBRARY_PATH="$(dirname "$lib"):${LD_LIBRARY_PATH:-}"
  if [ "$have12" = 0 ] && [ ! -e "$(dirname "$lib")/libcublas.so.12" ]; then
    echo "cuBLAS: offering $lib as libcublas.so.12"
    mkdir -p "$dir/lib" && ln -sf "$lib" "$dir/lib/libcublas.so.12"
    export LD_LIBRARY_PATH="$dir/lib:$LD_LIBRARY_PATH"
  fi
else
  echo "cuBLAS: no libcublas found; matmul uses the tiled kernel"
fi
echo "== check"
"$dir/RlPlat.Gpu.Benchmarks" check "$@"; rc=$?
echo "== bench"
"$dir/RlPlat.Gpu.Benchmarks" bench
exit $rc
