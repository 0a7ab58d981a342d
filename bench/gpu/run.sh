#!/usr/bin/env bash
# The GPU case, run on the GPU machine from the repository root (Python PyTorch and pytorch-lightning there,
# no .NET SDK): the published benchmark app from bench/gpu/payload (bench/gpu/package.sh makes it) trains
# case 1's network and a small convolutional network with the Trainer on CUDA, loading PyTorch's own LibTorch;
# then bench/gpu/pl_bench.py does the same with PyTorch Lightning. Writes gpu-report.md and the raw results
# to $OUT (or bench/gpu/out). Exits non-zero when a side fails or .NET is slower.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
payload=$here/payload
out=${OUT:-$here/out}
mkdir -p "$out"
[ -f "$payload/app.tar.xz" ] || { echo "No $payload/app.tar.xz: run bench/gpu/package.sh first and carry bench/gpu/payload." >&2; exit 2; }
work=$(mktemp -d)
tar -C "$work" -xJf "$payload/app.tar.xz"
torch_lib="$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib"
export LIGHTNING_TORCH_LIB=$torch_lib DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1

timeout 240 "$work/app/Lightning.Bench" gpu --torch-lib "$torch_lib" --data "$payload/fashion-mnist" --epochs 3 \
    --result "$out/dotnet.json" > "$out/dotnet.log" 2>&1
dotnet_status=$?
tail -n 30 "$out/dotnet.log"
timeout 240 python3 "$here/pl_bench.py" --data "$payload/fashion-mnist" --epochs 3 --result "$out/pl.json" > "$out/pl.log" 2>&1
python_status=$?
tail -n 30 "$out/pl.log"
if [ $dotnet_status -ne 0 ] || [ $python_status -ne 0 ]; then
    echo "GPU case failed: .NET exit $dotnet_status, PyTorch Lightning exit $python_status (logs in $out)." >&2
    exit 1
fi
"$work/app/Lightning.Bench" gpu-report --dotnet "$out/dotnet.json" --python "$out/pl.json" --out "$out/gpu-report.md"
