#!/usr/bin/env bash
# The GPU case, run on the GPU machine from the repository root (Python PyTorch and pytorch-lightning there,
# no .NET SDK): the published benchmark app from bench/gpu/payload (bench/gpu/package.sh makes it) trains
# case 1's network, a small convolutional network and a small ResNet on 32x32 images (bf16-mixed, batch 256)
# with the Trainer on CUDA, loading PyTorch's own LibTorch;
# then bench/gpu/pl_bench.py does the same with PyTorch Lightning. Then, since that machine's many cores are
# idle, the CPU cases 1, 2 and 4 run there too (case 4 needs a free second core). Writes gpu-report.md,
# cpu-report.md and the logs and raw results to $OUT (or bench/gpu/out), 8 files at most (the device's limit
# on what comes back: GPU_ROUNDS=2 with CPU_CASES=0 makes exactly 8).
# Exits non-zero when a side fails or a goal is missed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
payload=$here/payload
out=${OUT:-$here/out}
mkdir -p "$out"
[ -f "$payload/app.tar.xz" ] || { echo "No $payload/app.tar.xz: run bench/gpu/package.sh first and carry bench/gpu/payload." >&2; exit 2; }
work=$(mktemp -d)
tar -C "$work" -xJf "$payload/app.tar.xz"
app=$work/app/Lightning.Bench
data=$payload/fashion-mnist
LIGHTNING_TORCH_LIB=${LIGHTNING_TORCH_LIB:-"$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib"}
export LIGHTNING_TORCH_LIB DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 PYTHONUNBUFFERED=1

# GPU_ROUNDS=N repeats the GPU case N times, the two sides alternating, to show how much the machine's speed
# drifts between runs (report N in gpu-report-N.md); CPU_CASES=0 skips the CPU cases.
rounds=${GPU_ROUNDS:-1}
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc; } > "$out/dotnet.log" 2>&1
: > "$out/pl.log"
gpu_status=0
for round in $(seq 1 "$rounds"); do
    suffix=$([ "$rounds" -gt 1 ] && echo "-$round")
    timeout 300 "$app" gpu --data "$data" --epochs 3 --result "$out/dotnet$suffix.json" >> "$out/dotnet.log" 2>&1
    dotnet_status=$?
    tail -n 8 "$out/dotnet.log"
    timeout 360 python3 "$here/pl_bench.py" --data "$data" --epochs 3 --result "$out/pl$suffix.json" >> "$out/pl.log" 2>&1
    python_status=$?
    grep "steps/s" "$out/pl.log" | tail -n 6
    if [ $dotnet_status -ne 0 ] || [ $python_status -ne 0 ]; then
        echo "GPU case failed: .NET exit $dotnet_status, PyTorch Lightning exit $python_status (logs in $out)." >&2
        # The device's time is short: leave it for a rerun rather than spend it on the CPU cases.
        exit 1
    fi
    "$app" gpu-report --dotnet "$out/dotnet$suffix.json" --python "$out/pl$suffix.json" --out "$out/gpu-report$suffix.md" || gpu_status=1
done
[ "${CPU_CASES:-1}" = 0 ] && exit $gpu_status

raw=$work/raw
mkdir -p "$raw"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
    timeout 170 "$app" parity --runs 3 --epochs 4 --data "$data" --out-dir "$raw" > /dev/null &&
        timeout 40 "$app" overhead --runs 3 --data "$data" --out-dir "$raw" &&
        timeout 90 "$app" loading --runs 3 --workers 1 --threads 1 --data "$data" --out-dir "$raw"
} > "$out/cpu.log" 2>&1
cpu_status=$?
"$app" report --raw "$raw" --out "$out/cpu-report.md" --by bench/gpu/run.sh --commit "$(cat "$payload/COMMIT")" \
    --duration "$(( $(date +%s) - started )) s" --load-before "$load_before" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/cpu.log" 2>&1
report_status=$?
tail -n 5 "$out/cpu.log"
[ $gpu_status -eq 0 ] && [ $cpu_status -eq 0 ] && [ $report_status -eq 0 ]
