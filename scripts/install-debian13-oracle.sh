#!/usr/bin/env bash
# The second oracle: Debian 13 (trixie) with Kamailio 6.0.1 and OpenSSL 3.5, in a debootstrap
# chroot (test/integration/oracleTargets.ts runs it as `chroot DIR kamailio …`).
#
# The chroot is cached by the hash of what it is built from (suite, package list, RECIPE — bump it
# when the steps after debootstrap change):
# `.cache/debian13-<hash>`; a folder with that hash and a `.complete` mark is reused as it is.
# Prints the folder on its last line. About 30-60 s and 300 MB on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE=trixie
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=kamailio,kamailio-tls-modules,openssl,gnutls-bin,ca-certificates
RECIPE=1
HASH=$(echo "$SUITE $PACKAGES $RECIPE" | sha256sum | cut -c1-12)
DIR=${SIPTLS_DEBIAN13_DIR:-$PWD/.cache/debian13-$HASH}
if [ -f "$DIR/.complete" ]; then
  echo "$DIR"
  exit 0
fi
# --locate: only say where a complete chroot is (exit 1 when there is none), build nothing.
if [ "${1:-}" = "--locate" ]; then exit 1; fi
if ! command -v debootstrap >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends debootstrap >&2
fi
rm -rf "$DIR"
mkdir -p "$(dirname "$DIR")"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$DIR" "$MIRROR" >&2
# What the cases look up by name inside the chroot (nobody/nogroup exist in base-passwd).
cp /etc/hosts "$DIR/etc/hosts"
chroot "$DIR" kamailio -v >&2
chroot "$DIR" openssl version >&2
touch "$DIR/.complete"
echo "$DIR"
