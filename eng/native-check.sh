#!/usr/bin/env bash
# Tells whether a libstdc++ provides the symbol version TorchSharp's native library needs.
# Usage: eng/native-check.sh [path-to-libstdc++.so.6]   (default: the one the dynamic loader picks)
# Exit 0 when the version is present, 1 when it is missing, 2 when no libstdc++ is found.
# The runtime's NativeLibraryCheck does the same test in C#: both look for the version string
# inside the library file, which is where the ELF version definitions keep it.
set -euo pipefail

REQUIRED_GLIBCXX="GLIBCXX_3.4.32"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The first libstdc++ in the loader's cache: the one the dynamic loader picks.
find_libstdcxx() {
  local cache
  cache="$("$here/loader-cache.sh")"
  awk '!found && /libstdc\+\+\.so\.6 .*(x86-64|AArch64)/ { print $NF; found = 1 }' <<<"$cache"
}

lib="${1:-$(find_libstdcxx)}"
if [ -z "$lib" ] || [ ! -r "$lib" ]; then
  echo "libstdc++.so.6 not found${1:+ at $1}" >&2
  exit 2
fi
if LC_ALL=C grep -aqF "$REQUIRED_GLIBCXX" "$lib"; then
  echo "ok: $lib provides $REQUIRED_GLIBCXX"
  exit 0
fi
echo "missing: $lib lacks $REQUIRED_GLIBCXX (TorchSharp 0.107 needs libstdc++ from GCC 13 or newer)"
exit 1
