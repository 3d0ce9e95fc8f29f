#!/usr/bin/env bash
# Installs code-server (real VS Code in a browser) for the end-to-end tests (test/e2e) into
# .cache/code-server/ of the repository — outside the extension's own dependencies, ignored by git.
#
#   scripts/install-code-server.sh          # idempotent: returns at once when it is installed
#   CODE_SERVER_FORCE=1 scripts/install-code-server.sh   # reinstall
#
# 4.100.3 (VS Code 1.100.3) is the last code-server that runs on Node 20. Needs the Debian
# packages from scripts/install-test-deps.sh (libkrb5-dev, ripgrep, python3, make, g++).
# Installing as root needs npm_config_unsafe_perm; @vscode/ripgrep's postinstall would download
# ripgrep from GitHub, so its download cache is pre-filled with Debian's rg.
# Once installed, nothing here touches the network.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$REPO/.cache/code-server"
BIN="$PREFIX/node_modules/.bin/code-server"
STAMP="$PREFIX/installed-$VERSION"
VSCODE="$PREFIX/node_modules/code-server/lib/vscode"

# code-server's own postinstall installs VS Code's dependencies (native modules, ripgrep).
complete() {
  [ -x "$BIN" ] && [ -x "$VSCODE/node_modules/@vscode/ripgrep/bin/rg" ] && [ -e "$VSCODE/node_modules.asar" ]
}

if [ -f "$STAMP" ] && complete && [ "${CODE_SERVER_FORCE:-0}" != "1" ]; then
  echo "code-server $VERSION is installed: $BIN"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  echo "warning: code-server $VERSION expects Node 20 (this is $(node --version))" >&2
fi

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "missing Debian packages: ${missing[*]} — run scripts/install-test-deps.sh (or apt-get install ${missing[*]})" >&2
  exit 1
fi

# @vscode/ripgrep's postinstall (1.15.11 in code-server 4.100.3) looks for
# $TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz before it
# downloads from GitHub: put Debian's rg (13.0.0 on bookworm) there.
RG_PKG="${RIPGREP_PKG_VERSION:-1.15.11}"
RG_ASSET="${RIPGREP_ASSET_VERSION:-v13.0.0-10}"
TMP="$PREFIX/tmp"
cache="$TMP/vscode-ripgrep-cache-$RG_PKG"
mkdir -p "$cache"
rgstage="$(mktemp -d "$TMP/rg.XXXXXX")"
cp "$(command -v rg)" "$rgstage/rg"
tar -C "$rgstage" -czf "$cache/ripgrep-$RG_ASSET-x86_64-unknown-linux-musl.tar.gz" rg
rm -rf "$rgstage"

rm -f "$STAMP"
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{ "name": "sip-tls-code-server", "private": true }' > "$PREFIX/package.json"

echo "installing code-server $VERSION into $PREFIX (about a minute, ~300 MB)…"
start=$(date +%s)
(
  cd "$PREFIX"
  export TMPDIR="$TMP"
  export npm_config_unsafe_perm=true
  export npm_config_yes=true
  export npm_config_fund=false
  export npm_config_audit=false
  export npm_config_update_notifier=false
  npm install --save-exact "code-server@$VERSION"
)
if ! complete; then
  echo "code-server's postinstall did not complete: $VSCODE lacks its dependencies (see the npm output above)" >&2
  exit 1
fi
# (code-server creates its config and data folders under XDG_*: keep them in the cache)
XDG_CONFIG_HOME="$PREFIX/xdg/config" XDG_DATA_HOME="$PREFIX/xdg/data" "$BIN" --config "$PREFIX/config.yaml" --version
touch "$STAMP"
echo "code-server $VERSION installed in $(( $(date +%s) - start )) s: $BIN"
