#!/usr/bin/env bash
# Runs its arguments as root: directly when already root, else through sudo; says what to do when neither works.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then
  exec "$@"
elif command -v sudo >/dev/null; then
  exec sudo "$@"
else
  echo "Installing needs root: run this script as root or install sudo. The command was: $*" >&2
  exit 1
fi
