#!/usr/bin/env bash
# Prints the dynamic loader's cache (`ldconfig -p`): the libraries the loader finds, in the order it picks them.
# ldconfig is in /sbin, which not every user's PATH has; where there is none (not glibc, not Linux) it prints nothing.
# Callers read the whole output before searching it (cache="$(eng/loader-cache.sh)"): a reader that stops at the
# first match, such as `grep -q` or `awk '... exit'`, kills the writer with SIGPIPE, which pipefail turns into a
# failure now and then.
set -euo pipefail
ldconfig="$(command -v ldconfig || command -v /sbin/ldconfig || command -v /usr/sbin/ldconfig || true)"
[ -z "$ldconfig" ] || "$ldconfig" -p 2>/dev/null || true
