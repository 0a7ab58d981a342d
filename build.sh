#!/usr/bin/env bash
# The README's two commands:
#   ./build.sh         the main job: set up, then scaffold a project from the templates and train it
#   ./build.sh test    set up (and install what the tests need: Python with PyTorch), then run every test in the solution
# Set-up (eng/setup.sh) installs the native prerequisites where they are missing, packs the four packages under a
# version of this build's own into a local feed that NuGet knows about, and installs the template pack and the tool
# from it. Safe to run again, and at the same time: builds take turns for the set-up (a lock in ~/.lightning).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# One version per build, 0.1.0-local.<UTC time>.<process id>: a build never replaces the packages, template pack or
# tool that another build, a restoring project or a running `dotnet lightning` may be using.
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")-local.$(date -u +%Y%m%d%H%M%S).$$"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<USAGE
Usage: ./build.sh [test]
  ./build.sh         set up, then scaffold a lightning-classifier project in a fresh folder and train it
  ./build.sh test    set up, then run every test in Lightning.Templates.sln
USAGE
}

# Everything set-up changes belongs to the user, not to this clone (NuGet's sources, the feed, the template pack,
# the tool), so builds from any clone take turns.
setup() {
  "$root/eng/with-lock.sh" "$HOME/.lightning/setup.lock" bash "$root/eng/setup.sh" "$version"
}

# The short name of the template the main job scaffolds: the classifier where the pack has it.
pick_template() {
  local name
  for name in lightning-classifier lightning; do
    if grep -qsE "\"shortName\"[[:space:]]*:[[:space:]]*\\[?[^]]*\"$name\"" "$root"/templates/content/*/.template.config/template.json; then
      echo "$name"
      return
    fi
  done
  return 1
}

# Scaffolds a project from the templates into a fresh folder and trains it with dotnet run.
main_job() {
  local template work
  template="$(pick_template)" ||
    die "the template pack holds neither a lightning-classifier nor a lightning template yet (templates/content), so there is nothing to scaffold and train."
  work="$(mktemp -d "${TMPDIR:-/tmp}/lightning-demo.XXXXXX")"
  step "Scaffolding '$template' into $work/Demo"
  (cd "$work" && dotnet new "$template" -n Demo -o Demo)
  step "Training: dotnet run (in $work/Demo)"
  (cd "$work/Demo" && dotnet run)
  # The build output holds a copy of LibTorch (about 1 GB); the sources, logs and checkpoints stay.
  rm -rf "$work/Demo/bin" "$work/Demo/obj"
  step "Done: the trained project, its logs and checkpoints are in $work/Demo"
}

# Runs the solution's tests; the last line sums them up as 'tests: N passed, N failed, N skipped'.
test_job() {
  step "Test prerequisites"
  local python
  python="$("$root/eng/install-test-prerequisites.sh")"
  if [ -n "$python" ]; then
    # The interop tests use this interpreter, and fail rather than end inconclusive where it cannot import torch.
    export LIGHTNING_PYTHON="$python"
    echo "ok: $python imports torch"
  fi

  step "Running every test: dotnet test Lightning.Templates.sln"
  # The packaging tests check the packages this build made.
  export LIGHTNING_PACKAGE_VERSION="$version"
  local log status=0
  log="$(mktemp)"
  dotnet test "$root/Lightning.Templates.sln" --nologo 2>&1 | tee "$log" || status=$?
  # VSTest ends each test assembly with: 'Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...'
  local totals
  totals="$(sed -nE 's/.*(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+),.*/\2 \3 \4/p' "$log" |
    awk '{ f += $1; p += $2; s += $3 } END { printf "%d %d %d", p, f, s }')"
  rm -f "$log"
  local passed failed skipped
  read -r passed failed skipped <<<"$totals"
  echo
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "build.sh: dotnet test failed (exit code $status) before all tests could run; see the errors above."
  fi
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  return "$status"
}

case "${1:-}" in
  "") setup; main_job ;;
  test) setup; test_job ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
