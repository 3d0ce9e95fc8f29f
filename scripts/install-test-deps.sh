#!/usr/bin/env bash
# System packages the integration tests need (Debian 12 / bookworm): real Kamailio with its TLS
# module (the oracle for start-up verdicts) and openssl (chain verdicts, test certificates).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends \
  kamailio kamailio-tls-modules \
  openssl ca-certificates
