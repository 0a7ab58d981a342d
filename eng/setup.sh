#!/usr/bin/env bash
# Usage: eng/setup.sh VERSION   (./build.sh runs it under its lock, eng/with-lock.sh)
# The set-up behind ./build.sh: installs the native prerequisites where they are missing, packs the four
# packages as VERSION into the local feed that NuGet knows about, and installs the template pack and the tool of
# that version. VERSION is new for every build, so nothing that another process may be using is replaced: the
# packages NuGet extracted, the template pack a `dotnet new` is reading, the tool a `dotnet lightning` runs from.
# The newest three builds stay in the feed and in ~/.lightning/tools; older ones are removed.
#
# LIGHTNING_FEED overrides the feed folder (default ~/.lightning/feed). It lives outside the clone: NuGet keeps
# the source registered, and a clone in a temporary folder would leave it pointing nowhere.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 VERSION" >&2; exit 2; }
version="$1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$HOME/.lightning"
feed="${LIGHTNING_FEED:-$state/feed}"
feed_name="lightning-local"
packed="$root/artifacts/packages" # where dotnet pack writes (Directory.Build.props); the tests read it too
base_version="${version%%-*}"
tools_dir="$HOME/.dotnet/tools"
keep=3

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# The template pack has something to pack once templates/content holds a template.
templates_present() {
  compgen -G "$root/templates/content/*/.template.config/template.json" >/dev/null
}

# Removes all but the newest $keep of the given local builds' files or folders (named after their version, whose
# local part starts with the UTC time, so that the names sort by age).
prune() {
  local path
  printf '%s\n' "$@" | sort -r | tail -n +$((keep + 1)) | while IFS= read -r path; do
    if [ -e "$path" ]; then rm -rf -- "$path"; fi
  done
}

pack() {
  local id="$1" project="$2" file="$packed/$1.$version.nupkg"
  shift 2
  dotnet pack "$root/$project" -c Release --nologo -v quiet -p:Version="$version" "$@"
  [ -f "$file" ] || die "dotnet pack made no $file"
  # Under a temporary name first, so that a restore never sees half a package.
  cp "$file" "$feed/.$id.$version.nupkg.tmp"
  mv -f "$feed/.$id.$version.nupkg.tmp" "$feed/$id.$version.nupkg"
  prune "$feed/$id.$base_version-local."*.nupkg
  prune "$packed/$id.$base_version-local."*.nupkg
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

# Each version goes into a folder of its own, and dotnet-lightning in ~/.dotnet/tools (where the SDK puts global
# tools) becomes a link to it, switched in one rename. `dotnet tool update --global` would delete the previous
# version's files, and a `dotnet lightning` still running from them fails to load its next assembly.
install_tool() {
  local dir="$state/tools/$version"
  if dotnet tool list --global | grep -qi '^lightning\.tool '; then
    dotnet tool uninstall --global Lightning.Tool >/dev/null # as earlier builds installed it
  fi
  dotnet tool install Lightning.Tool --version "$version" --source "$feed" --tool-path "$dir" >/dev/null
  mkdir -p "$tools_dir"
  ln -s "$dir/dotnet-lightning" "$tools_dir/.dotnet-lightning.$$"
  mv -f "$tools_dir/.dotnet-lightning.$$" "$tools_dir/dotnet-lightning"
  prune "$state/tools/$base_version-local."*
  echo "Installed Lightning.Tool $version: the command dotnet-lightning, run as 'dotnet lightning', in $tools_dir"
  case ":$PATH:" in
    *":$tools_dir:"*) ;;
    *) echo "Note: $tools_dir is not on your PATH; add it (export PATH=\"\$PATH:$tools_dir\") to run 'dotnet lightning'." ;;
  esac
}

command -v dotnet >/dev/null || die "the .NET SDK is not installed: install .NET SDK 10 (https://dot.net), then run again."

step "Native prerequisites"
"$root/eng/install-prerequisites.sh"
"$root/eng/install-mpi.sh"

mkdir -p "$feed" "$packed"
feed="$(cd "$feed" && pwd -P)" # absolute, as NuGet keeps it
step "Packing Lightning.Runtime, Lightning.Cli, Lightning.Templates and Lightning.Tool $version into $feed"
pack Lightning.Runtime runtime/Lightning/Lightning.csproj
# LightningCli, which the templates' Program.cs runs; it depends on Lightning.Runtime of the same version.
pack Lightning.Cli runtime/Lightning.Cli/Lightning.Cli.csproj
if templates_present; then
  # Stamped with this version in a folder of this build's own: the pack's incremental stamp would keep the
  # version of the build that stamped last.
  stamped="$(mktemp -d "${TMPDIR:-/tmp}/lightning-stamped.XXXXXX")"
  trap 'rm -rf "$stamped"' EXIT
  pack Lightning.Templates templates/Lightning.Templates.csproj -p:StampedTemplatesDir="$stamped/"
else
  echo "templates/content holds no template yet: Lightning.Templates is not packed."
fi
pack Lightning.Tool tool/Lightning.Tool/Lightning.Tool.csproj
register_feed

if templates_present; then
  step "Installing the template pack"
  # By id from the feed: that replaces an installed version in place, where installing the file would add a
  # second entry beside it (and `dotnet new` then fails on the duplicate).
  dotnet new install "Lightning.Templates@$version" --add-source "$feed"
fi

step "Installing the tool (dotnet lightning)"
install_tool
