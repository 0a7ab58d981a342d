#!/usr/bin/env bash
# Installs what TorchSharp 0.107 needs natively, only where it is missing; safe to run again.
# On Debian 12 the system libstdc++ (GCC 12) lacks GLIBCXX_3.4.32, so libstdc++6 comes from Debian 13
# through a temporary source list that reuses the mirror already configured for the machine. The
# machine's own source lists and package lists are left as they were.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

sudo_if_needed() { "$here/as-root.sh" "$@"; }

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
  } | grep -E '^https?://' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1
}

# Open MPI for data-parallel training, before the early exit below when TorchSharp's needs are met.
"$here/install-mpi.sh"

# Prints what it found either way: 'ok: ...' means there is nothing to install.
if "$here/native-check.sh"; then
  exit 0
fi

os_id="" ; os_version=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  os_id="${ID:-}" ; os_version="${VERSION_ID:-}"
fi
if [ "$os_id" != "debian" ] || [ "$os_version" != "12" ]; then
  "$here/native-check.sh" >&2 || true
  cat >&2 <<MSG
TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer), and this system's is older.
This script only knows how to install it on Debian 12. Install libstdc++6 from GCC 13 or newer with
your system's package manager (for example from a newer release of your distribution), then run again.
MSG
  exit 1
fi

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
sudo_if_needed apt-get "${apt_opts[@]}" update -qq
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends libstdc++6/trixie
"$here/native-check.sh"
