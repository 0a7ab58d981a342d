#!/usr/bin/env bash
# How long `dotnet lightning add-hook` takes on the classifier template's project (issue 7: under 2 s).
# Packs the templates, instantiates lightning-classifier into a temp folder with an isolated template hive,
# builds the tool in Release, then times `add-hook on_train_epoch_end --dry-run` as whole processes (the way a
# user runs it): 1 warm-up and 7 counted runs. Writes bench/results/tool-latency.md; exits 1 when the median
# misses the goal.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
goal=2.0

dotnet pack "$root/templates/Lightning.Templates.csproj" -c Release -o "$work/packages" --nologo -v quiet >/dev/null
dotnet new install "$work"/packages/Lightning.Templates.*.nupkg --debug:custom-hive "$work/hive" >/dev/null
(cd "$work" && dotnet new lightning-classifier -n Shop --skip-restore --debug:custom-hive "$work/hive" >/dev/null)
dotnet build "$root/tool/Lightning.Tool" -c Release -o "$work/tool" --nologo -v quiet >/dev/null

times=()
for run in 0 1 2 3 4 5 6 7; do
  start=$(date +%s.%N)
  (cd "$work/Shop" && dotnet "$work/tool/dotnet-lightning.dll" add-hook on_train_epoch_end --dry-run >/dev/null)
  end=$(date +%s.%N)
  [ "$run" -eq 0 ] || times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -g)
min=$(echo "$sorted" | head -1); max=$(echo "$sorted" | tail -1); median=$(echo "$sorted" | sed -n 4p)
met=$(awk -v m="$median" -v g="$goal" 'BEGIN { print (m < g) ? 1 : 0 }')

report="$root/bench/results/tool-latency.md"
mkdir -p "$(dirname "$report")"
cat > "$report" <<MD
# \`dotnet lightning add-hook\` on the classifier project

Written by \`bench/tool-latency.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC at commit $(git -C "$root" rev-parse --short HEAD).
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before the runs $(cut -d' ' -f1-3 /proc/loadavg).

\`dotnet lightning add-hook on_train_epoch_end --dry-run\` in a fresh \`dotnet new lightning-classifier\` project,
whole process wall-clock seconds (Release build of the tool, 1 warm-up, 7 counted runs):

| min | median | max | goal | met |
| --- | --- | --- | --- | --- |
| $(printf '%.2f' "$min") | $(printf '%.2f' "$median") | $(printf '%.2f' "$max") | < $goal | $([ "$met" = 1 ] && echo yes || echo "**no**") |
MD
cat "$report"
[ "$met" = 1 ]
