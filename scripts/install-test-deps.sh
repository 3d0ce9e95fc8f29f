#!/usr/bin/env bash
# System packages the integration and end-to-end tests need (Debian 12 / bookworm):
#   - kamailio + kamailio-tls-modules: the real server, oracle for start-up verdicts;
#   - openssl: chain verdicts, test certificates;
#   - gnutls-bin: gnutls-cli, a second TLS stack as the peer (test/integration/gnutlsPeer.ts);
#   - git: committed-key tests make real repositories (test/cli, test/lsp committedKeys);
#   - neovim (0.7.2): a second LSP client (test/integration/neovim.test.ts);
#   - chromium: the browser that drives code-server in test/e2e (through playwright-core);
#   - libkrb5-dev, ripgrep, python3, make, g++: what installing code-server needs
#     (scripts/install-code-server.sh: the native kerberos module, @vscode/ripgrep without a download);
#   - fonts-dejavu-core, fonts-noto-color-emoji: readable text and verdict marks in the screenshots;
#   - debootstrap: the second oracle, Debian 13's Kamailio 6.0.1 / OpenSSL 3.5 in a chroot, built
#     (or found in .cache/, by the hash of its package list) by scripts/install-debian13-oracle.sh.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends \
  kamailio kamailio-tls-modules \
  openssl ca-certificates \
  gnutls-bin git \
  neovim \
  chromium fonts-dejavu-core fonts-noto-color-emoji \
  libkrb5-dev ripgrep python3 make g++ pkg-config \
  debootstrap
"$(dirname "$0")/install-debian13-oracle.sh"
