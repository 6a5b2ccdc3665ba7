#!/usr/bin/env bash
# Installs Bootlab's npm packages, builds it, and runs it headless: open the URL it prints in a browser.
# Extra arguments go to `bootlab serve` (e.g. --interface eth0 --dhcp auto). The system's prebuilt iPXE
# (Debian/Ubuntu package "ipxe") gives first-stage files out of the box; it is installed when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && [ ! -d /usr/lib/ipxe ] && command -v apt-get >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ipxe
fi
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm install, not npm ci: see scripts/test.sh.
  npm install --no-audit --no-fund --no-save
fi
npm run build
exec node bin/bootlab.js serve "$@"
