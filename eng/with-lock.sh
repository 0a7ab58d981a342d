#!/usr/bin/env bash
# Usage: eng/with-lock.sh LOCK-FILE COMMAND [ARGUMENTS...]
# Runs COMMAND while holding an exclusive lock (flock) on LOCK-FILE, after waiting for whoever holds it; the
# lock goes when COMMAND ends, however it ends. COMMAND's children do not hold it: the build servers that dotnet
# starts outlive the build and would keep the lock for minutes. Perl holds the lock because it is everywhere the
# build runs (Debian's perl-base is essential, macOS ships it), unlike the flock command (util-linux, Linux only).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 LOCK-FILE COMMAND [ARGUMENTS...]" >&2; exit 2; }
mkdir -p "$(dirname "$1")"
exec perl -MFcntl=:flock -e '
  my $path = shift;
  # Perl opens files close-on-exec, so COMMAND and its children never see this descriptor.
  open(my $lock, ">>", $path) or die "with-lock.sh: cannot open $path: $!\n";
  unless (flock($lock, LOCK_EX | LOCK_NB)) {
    print STDERR "Waiting for another build that holds $path to finish its set-up...\n";
    flock($lock, LOCK_EX) or die "with-lock.sh: cannot lock $path: $!\n";
  }
  my $status = system { $ARGV[0] } @ARGV;
  exit 127 if $status == -1;
  exit 128 + ($status & 127) if $status & 127;
  exit $status >> 8;
' "$@"
