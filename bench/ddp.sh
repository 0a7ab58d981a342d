#!/usr/bin/env bash
# Issue 18's benchmark: the parity module with Strategy = "ddp" on 1 and on 2 CPU ranks (mpirun), and the gradient
# all-reduce against a bare MPI_Allreduce of the same bytes. Writes bench/results/ddp-cpu.md. About 3 minutes.
# Usage: bench/ddp.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
eng/install-mpi.sh
data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
    apt-get install -y dataset-fashion-mnist || { apt-get update && apt-get install -y dataset-fashion-mnist; }
fi
dotnet build bench/Lightning.Bench -c Release -nologo -v quiet
bench/Lightning.Bench/bin/Release/net10.0/Lightning.Bench ddp --runs "${1:-3}" --data "$data" --out bench/results/ddp-cpu.md
