#!/usr/bin/env bash
# What the tests need beyond the build's prerequisites: Slurm (Debian's slurm-wlm), under whose srun the DDP tests
# start ranks on a one-machine cluster of their own, and Python with PyTorch, with which the interop tests read what
# the runtime writes and write what it reads. Installs slurm-wlm where srun, slurmctld or slurmd is missing, and
# Debian's python3-torch where apt offers it and no Python here imports torch yet; safe to run again. Prints the
# interpreter that imports torch on standard output (the system's first: a pyenv or venv python3 on the PATH seldom
# has torch), or nothing where the system offers no PyTorch; everything else goes to standard error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

has_slurm() { command -v srun >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null; }

if ! has_slurm; then
  if command -v apt-get >/dev/null; then
    echo "Installing slurm-wlm (the DDP tests run ranks under srun on a one-machine Slurm)" >&2
    "$here/as-root.sh" apt-get update -qq >&2
    "$here/as-root.sh" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm >&2
  else
    echo "note: no apt-get here, so Slurm is not installed; the DDP tests under srun fail until srun, slurmctld and slurmd are on the PATH." >&2
  fi
fi

python_with_torch() {
  local candidate path
  for candidate in /usr/bin/python3 python3; do
    path="$(command -v "$candidate")" || continue
    if "$path" -c 'import torch' >/dev/null 2>&1; then
      echo "$path"
      return 0
    fi
  done
  return 1
}

offered() { [ -n "$(apt-cache policy python3-torch 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)' || true)" ]; }

if python_with_torch; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "note: no apt-get here, so python3-torch is not installed; the Python interop tests end inconclusive unless a python3 imports torch." >&2
  exit 0
fi
if ! offered; then
  "$here/as-root.sh" apt-get update -qq >&2
fi
if ! offered; then
  echo "note: this system's archive has no python3-torch; the Python interop tests end inconclusive unless a python3 imports torch." >&2
  exit 0
fi
echo "Installing python3-torch (the tests check checkpoints against PyTorch)" >&2
"$here/as-root.sh" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >&2
python_with_torch || {
  echo "python3-torch is installed, but neither /usr/bin/python3 nor python3 imports torch." >&2
  exit 1
}
