#!/usr/bin/env bash
# Issue 8's benchmarks (and issue 14's case 6), end to end: builds the benchmark projects, runs cases 1 to 6 and writes
# bench/results/latest.md (machine, goals, min/median/max of each case). Exits 1 when a goal is missed.
# Usage: bench/run.sh            (about 6 minutes on a 2-core machine; longer when it is busy)
# The GPU case runs elsewhere: see bench/gpu/run.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
report=bench/results/latest.md
raw=$(mktemp -d)
bench_version=""
cleanup() {
    rm -rf "$raw"
    # The runtime package case 5 packed under a version of its own, extracted into NuGet's cache by the restore.
    if [ -n "$bench_version" ]; then
        local cache
        cache=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
        rm -rf "${cache%/}/lightning.runtime/$bench_version"
    fi
}
trap cleanup EXIT
notes=$raw/notes.md
: > "$notes"

step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))" >&2; }

step "Fashion-MNIST"
data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
    apt-get install -y dataset-fashion-mnist || { apt-get update && apt-get install -y dataset-fashion-mnist; }
fi

step "build"
dotnet build bench/Lightning.Bench -c Release -nologo -v quiet
bench=bench/Lightning.Bench/bin/Release/net10.0/Lightning.Bench

step "cases 1 and 2: parity"
# The default Trainer's progress bar goes to the log, not the terminal.
"$bench" parity --runs 11 --epochs 4 --data "$data" --out-dir "$raw" > "$raw/parity.log"
step "the Trainer's cost per step"
"$bench" overhead --runs 5 --data "$data" --out-dir "$raw"
step "case 6: multi-tensor optimizer steps"
"$bench" optimizers --runs 5 --epochs 2 --data "$data" --out-dir "$raw"
step "case 3: memory"
"$bench" memory --steps 20000 --data "$data" --out-dir "$raw"
step "case 4: data loading"
"$bench" loading --runs 4 --workers 1 --threads 1 --data "$data" --out-dir "$raw"

step "case 5: startup"
# The classifier template (issue 6) once its pack is in this checkout; until then, or if it cannot be built,
# the stand-in bench/StartupProbe of the same shape.
startup_template() {
    [ -f templates/content/lightning-classifier/.template.config/template.json ] || return 1
    local work=$raw/template
    mkdir -p "$work/feed" "$work/hive"
    # A version of this run's own, so that no package of the same version in NuGet's cache or another feed
    # stands in for the runtime built here.
    bench_version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)-bench$(date +%s)"
    dotnet pack runtime/Lightning -c Release -p:Version="$bench_version" -o "$work/feed" -nologo -v quiet &&
        dotnet pack templates/Lightning.Templates.csproj -p:Version="$bench_version" -p:StampedTemplatesDir="$work/stamped/" \
            -o "$work/feed" -nologo -v quiet &&
        dotnet new install "$work/feed/Lightning.Templates.$bench_version.nupkg" --debug:custom-hive "$work/hive" > /dev/null &&
        dotnet new lightning-classifier -n Digits -o "$work/Digits" --debug:custom-hive "$work/hive" > /dev/null &&
        printf '<configuration><packageSources><add key="bench" value="%s" /></packageSources></configuration>\n' "$work/feed" > "$work/Digits/nuget.config" &&
        dotnet build "$work/Digits" -c Release -nologo -v quiet &&
        [ -x "$work/Digits/bin/Release/net10.0/Digits" ]
}
template_args="fit --trainer.max-epochs 1 --trainer.limit-train-batches 1 --trainer.limit-val-batches 1"
if startup_template && "$bench" startup --app "$raw/template/Digits/bin/Release/net10.0/Digits" --app-args "$template_args" \
        --cwd "$raw/template" --label "the classifier template (dotnet new lightning-classifier), run as 'Digits $template_args'" \
        --runs 5 --out-dir "$raw"; then
    :
else
    echo "Case 5 measured the stand-in bench/StartupProbe (digits MLP, default Trainer with validation): the classifier template was not in this checkout, or did not build or run (see the script's output)." >> "$notes"
    dotnet build bench/StartupProbe -c Release -nologo -v quiet
    "$bench" startup --app bench/StartupProbe/bin/Release/net10.0/StartupProbe --cwd "$raw" \
        --label "bench/StartupProbe, a stand-in of the classifier template's shape (digits MLP, default Trainer with validation)" --runs 5 --out-dir "$raw"
fi

step "report"
elapsed=$(( $(date +%s) - started ))
"$bench" report --raw "$raw" --out "$report" --commit "$(git rev-parse --short HEAD)" --duration "$((elapsed / 60)) min $((elapsed % 60)) s" \
    --load-before "$load_before" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)" --notes "$notes"
