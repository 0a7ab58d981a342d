#!/usr/bin/env bash
# Installs what TorchSharp 0.107 needs natively, only where it is missing; safe to run again.
# Linux: a libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer). Debian 13 has it in its own archive; Debian 12's
# (GCC 12) lacks it, so there libstdc++6 comes from Debian 13 through a temporary source list that reuses the
# mirror already configured for the machine, leaving the machine's own source and package lists as they were.
# macOS: LibTorch links the libomp that Homebrew installs.
# LIGHTNING_OS_RELEASE names another os-release file (the tests use it to play other systems).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
os_release="${LIGHTNING_OS_RELEASE:-/etc/os-release}"

if [ "$(uname -s)" = Darwin ]; then
  libomp=/opt/homebrew/opt/libomp/lib/libomp.dylib # the path libtorch_cpu.dylib names
  if [ -f "$libomp" ]; then
    echo "ok: $libomp is there"
    exit 0
  fi
  echo "LibTorch on macOS loads $libomp, which is missing: install it with 'brew install libomp', then run again." >&2
  exit 1
fi

# The first Debian archive URI (not the security archive) in the machine's apt sources.
debian_mirror() {
  local files=()
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  {
    # one-line style: deb [options] URI suite components
    grep -hE '^[[:space:]]*deb[[:space:]]' "${files[@]}" 2>/dev/null |
      sed -E 's/\[[^]]*\]//' | awk '{print $2}'
    # deb822 style: URIs: ...
    grep -hE '^[[:space:]]*URIs:' "${files[@]}" 2>/dev/null | sed -E 's/^[[:space:]]*URIs:[[:space:]]*//' | tr ' ' '\n'
  } | grep -E '^https?://' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true
}

# Prints what it found either way: 'ok: ...' means there is nothing to install.
if "$here/native-check.sh"; then
  exit 0
fi

os_id="" ; os_version=""
if [ -r "$os_release" ]; then
  os_id="$(sed -n 's/^ID=//p' "$os_release" | tr -d '"')"
  os_version="$(sed -n 's/^VERSION_ID=//p' "$os_release" | tr -d '"')"
fi

case "$os_id:$os_version" in
  debian:12)
    mirror="$(debian_mirror)"
    if [ -z "$mirror" ]; then
      echo "No Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d; cannot install libstdc++6 from Debian 13." >&2
      exit 1
    fi
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/lists/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-trixie-stable.gpg] ${mirror%/} trixie main" > "$tmp/trixie.list"
    apt_opts=(-o "Dir::Etc::SourceList=$tmp/trixie.list" -o "Dir::Etc::SourceParts=-" -o "Dir::State::Lists=$tmp/lists")
    echo "Installing libstdc++6 from Debian 13 (TorchSharp needs GLIBCXX_3.4.32); mirror: $mirror"
    "$here/as-root.sh" apt-get "${apt_opts[@]}" update -qq
    "$here/as-root.sh" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends libstdc++6/trixie
    ;;
  debian:1[3-9] | debian:[2-9][0-9])
    echo "Installing libstdc++6 from this system's Debian $os_version archive (TorchSharp needs GLIBCXX_3.4.32)"
    "$here/as-root.sh" apt-get update -qq
    "$here/as-root.sh" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libstdc++6
    ;;
  *)
    cat >&2 <<MSG
TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer), and none was found here.
This script knows how to install it on Debian 12 and newer. Install libstdc++6 from GCC 13 or newer with
your system's package manager (for example from a newer release of your distribution), then run again.
MSG
    exit 1
    ;;
esac
"$here/native-check.sh"
