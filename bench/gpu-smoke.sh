#!/usr/bin/env bash
# GPU smoke test: trains the digits classifier on CUDA at 32-true, bf16-mixed and 16-mixed (plus a deterministic run
# and the auto/Gpus selection), printing accuracy and steps/s for each; exits non-zero on any failure.
#
# The GPU machine has Python PyTorch with CUDA but no .NET, so the work is split in two:
#   bench/gpu-smoke.sh prepare   here: publishes bench/GpuSmoke (TorchSharp without a backend package, ~6 MB) and packs
#                                the .NET runtime (no SDK) into bench/GpuSmoke/out (git-ignored)
#   bash bench/gpu-smoke.sh      there, in a copy of the repository with bench/GpuSmoke/out carried: unpacks .NET to /tmp,
#                                takes LibTorch from python3's torch/lib (LIGHTNING_TORCH_LIB=python) and runs the checks
#                                on the digits data the repository carries
# Environment: EPOCHS (default 10); ACCELERATOR (default cuda; "cpu" checks the same path on a machine without a GPU,
# with LIGHTNING_TORCH_LIB pointing at any LibTorch folder, e.g. the libtorch-cpu-linux-x64 NuGet package's native folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/GpuSmoke/out"

prepare() {
  rm -rf "$out"
  mkdir -p "$out"
  dotnet publish "$root/bench/GpuSmoke" -c Release -o "$out/app" --nologo -v quiet
  local dotnet_root version
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  version=$(sed -n 's/.*"version": "\([0-9][^"]*\)".*/\1/p' "$out/app/GpuSmoke.runtimeconfig.json" | head -1)
  version=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep "^${version%.*}\." | sort -V | tail -1)
  tar -C "$dotnet_root" -cJf "$out/dotnet.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$version"
  echo "prepared $out ($(du -sh "$out" | cut -f1)): app $(du -sh "$out/app" | cut -f1), .NET $version $(du -sh "$out/dotnet.tar.xz" | cut -f1)"
  echo "on the GPU machine: bash bench/gpu-smoke.sh   (carry: bench/GpuSmoke/out)"
}

run() {
  if [ ! -f "$out/app/GpuSmoke.dll" ]; then
    echo "gpu-smoke: $out/app is missing; run 'bench/gpu-smoke.sh prepare' where .NET is installed and carry bench/GpuSmoke/out" >&2
    exit 2
  fi
  local dotnet_root=/tmp/lightning-gpu-smoke-dotnet
  rm -rf "$dotnet_root" && mkdir -p "$dotnet_root"
  tar -C "$dotnet_root" -xJf "$out/dotnet.tar.xz"
  # The GPU image may lack ICU; the app formats with the invariant culture anyway.
  export DOTNET_ROOT="$dotnet_root" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
  export LIGHTNING_TORCH_LIB="${LIGHTNING_TORCH_LIB:-python}"
  if [ "${ACCELERATOR:-cuda}" != cpu ]; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    python3 -c "import torch; print('python torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())" || true
  fi
  "$dotnet_root/dotnet" "$out/app/GpuSmoke.dll" "${ACCELERATOR:-cuda}" 32-true,bf16-mixed,16-mixed "${EPOCHS:-10}"
}

case "${1:-run}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-smoke.sh [prepare|run]" >&2; exit 2 ;;
esac
