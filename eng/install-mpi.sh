#!/usr/bin/env bash
# Installs Open MPI (mpirun and libmpi), which data-parallel training (Strategy = "ddp") and its tests use, only
# where no MPI is installed yet; safe to run again. An MPI the machine already has (Open MPI or MPICH) is kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

has_mpi() {
  local cache
  command -v mpirun >/dev/null || return 1
  [ "$(uname -s)" = Linux ] || return 0 # the loader cache is Linux's; elsewhere mpirun comes with its library
  cache="$("$here/loader-cache.sh")"
  grep -qE 'libmpi\.so\.(40|12)\b' <<<"$cache"
}

if has_mpi; then
  echo "ok: MPI found ($(mpirun --version 2>/dev/null | head -n 1))"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  cat >&2 <<MSG
Data-parallel training needs MPI: mpirun and libmpi (Open MPI or MPICH). This script only knows apt-get; install
Open MPI with your system's package manager (for example 'dnf install openmpi' or 'brew install open-mpi'), then run again.
MSG
  exit 1
fi

echo "Installing Open MPI (openmpi-bin, libopenmpi-dev) for data-parallel training"
"$here/as-root.sh" apt-get update -qq
"$here/as-root.sh" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openmpi-bin libopenmpi-dev
has_mpi || { echo "Open MPI was installed but mpirun or libmpi is still not found." >&2; exit 1; }
echo "ok: $(mpirun --version | head -n 1)"
