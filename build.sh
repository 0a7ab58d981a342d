#!/usr/bin/env bash
# The README's two commands:
#   ./build.sh         the main job: set up, then scaffold a project from the templates and train it
#   ./build.sh test    set up (and install what the tests need: Python with PyTorch), then run every test in the solution
# Set-up installs the native prerequisites where they are missing, packs the three packages into a local
# feed that NuGet knows about, and installs the template pack and the tool from it. Safe to run again.
#
# LIGHTNING_FEED overrides the feed folder (default ~/.lightning/feed). It lives outside the clone: NuGet
# keeps the source registered, and a clone in a temporary folder would leave it pointing nowhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
feed="${LIGHTNING_FEED:-$HOME/.lightning/feed}"
feed_name="lightning-local"
packed="$root/artifacts/packages" # where dotnet pack writes (Directory.Build.props); the tests read it too
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")"
tools_dir="$HOME/.dotnet/tools"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<USAGE
Usage: ./build.sh [test]
  ./build.sh         set up, then scaffold a lightning-classifier project in a fresh folder and train it
  ./build.sh test    set up, then run every test in Lightning.Templates.sln
USAGE
}

# The template pack has something to pack once templates/content holds a template.
templates_present() {
  compgen -G "$root/templates/content/*/.template.config/template.json" >/dev/null
}

pack() {
  local id="$1" project="$2"
  rm -f "$packed/$id.$version.nupkg"
  dotnet pack "$root/$project" -c Release --nologo -v quiet
  [ -f "$packed/$id.$version.nupkg" ] || die "dotnet pack made no $packed/$id.$version.nupkg"
  cp "$packed/$id.$version.nupkg" "$feed/"
}

# Registers the feed with NuGet (user-level configuration) unless it already is, enabled and at this path.
register_feed() {
  local sources
  sources="$(dotnet nuget list source | sed 's/^ *//')"
  if grep -qE "^[0-9]+\. +$feed_name \[" <<<"$sources"; then
    if ! grep -A1 -E "^[0-9]+\. +$feed_name \[Enabled\]" <<<"$sources" | grep -qxF "$feed"; then
      dotnet nuget update source "$feed_name" --source "$feed" >/dev/null
      dotnet nuget enable source "$feed_name" >/dev/null
      echo "Pointed the NuGet source $feed_name at $feed"
    fi
  elif ! grep -qxF "$feed" <<<"$sources"; then
    dotnet nuget add source "$feed" --name "$feed_name" >/dev/null
    echo "Registered the NuGet source $feed_name -> $feed"
  fi
}

# The version never changes between builds, so NuGet's extracted copies would shadow the new packages.
forget_cached_packages() {
  local cache
  cache="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
  cache="${cache%/}"
  [ -n "$cache" ] || return 0
  local id
  for id in lightning.runtime lightning.templates lightning.tool; do
    rm -rf "${cache:?}/$id/$version"
  done
}

setup() {
  command -v dotnet >/dev/null || die "the .NET SDK is not installed: install .NET SDK 10 (https://dot.net), then run again."

  step "Native prerequisites"
  "$root/eng/install-prerequisites.sh"
  "$root/eng/install-mpi.sh"

  mkdir -p "$feed" "$packed"
  feed="$(cd "$feed" && pwd -P)" # absolute, as NuGet keeps it
  step "Packing Lightning.Runtime, Lightning.Templates and Lightning.Tool $version into $feed"
  pack Lightning.Runtime runtime/Lightning/Lightning.csproj
  if templates_present; then
    pack Lightning.Templates templates/Lightning.Templates.csproj
  else
    echo "templates/content holds no template yet: Lightning.Templates is not packed."
    rm -f "$feed/Lightning.Templates.$version.nupkg"
  fi
  pack Lightning.Tool tool/Lightning.Tool/Lightning.Tool.csproj
  register_feed
  forget_cached_packages

  if templates_present; then
    step "Installing the template pack"
    # `dotnet new install --force` of a version that is already installed adds a second entry for it, and
    # `dotnet new` then fails on the duplicate; uninstalling first (which removes every entry) keeps one.
    dotnet new uninstall Lightning.Templates >/dev/null 2>&1 || true
    dotnet new install "$feed/Lightning.Templates.$version.nupkg"
  fi

  step "Installing the tool (dotnet lightning)"
  if dotnet tool list --global | grep -qi '^lightning\.tool '; then
    dotnet tool uninstall --global Lightning.Tool >/dev/null
  fi
  dotnet tool install --global Lightning.Tool --version "$version" --source "$feed" >/dev/null
  echo "Installed Lightning.Tool $version: the command dotnet-lightning, run as 'dotnet lightning', in $tools_dir"
  case ":$PATH:" in
    *":$tools_dir:"*) ;;
    *)
      export PATH="$PATH:$tools_dir"
      echo "Note: $tools_dir is not on your PATH; add it (export PATH=\"\$PATH:$tools_dir\") to run 'dotnet lightning'."
      ;;
  esac
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
