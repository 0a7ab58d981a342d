#!/usr/bin/env bash
# Builds what bench/gpu/run.sh needs on the GPU machine into bench/gpu/payload (git-ignored, about 56 MB):
# the benchmark app published self-contained (the .NET runtime included) without LibTorch, which the GPU
# machine's PyTorch provides, packed as app.tar.xz; and the Fashion-MNIST training split.
# Run it here, on the development machine; then carry bench/gpu/payload to the GPU machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
payload=$root/bench/gpu/payload
data=/usr/share/datasets/fashion-mnist
[ -f "$data/train-images-idx3-ubyte.gz" ] || apt-get install -y dataset-fashion-mnist
rm -rf "$payload"
mkdir -p "$payload/fashion-mnist"
publish=$(mktemp -d)
trap 'rm -rf "$publish"' EXIT
dotnet publish "$root/bench/Lightning.Bench" -c Release -r linux-x64 --self-contained -p:LibTorch=python -o "$publish/app" -v quiet -nologo
# The publish restored the project without LibTorch; restore it back for ordinary builds here.
dotnet restore "$root/bench/Lightning.Bench" -v quiet -nologo
XZ_OPT="-6 -T0" tar -C "$publish" -cJf "$payload/app.tar.xz" app
cp "$data"/train-images-idx3-ubyte.gz "$data"/train-labels-idx1-ubyte.gz "$payload/fashion-mnist/"
git -C "$root" rev-parse --short HEAD > "$payload/COMMIT"
du -sh "$payload"
