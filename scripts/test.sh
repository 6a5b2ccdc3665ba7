#!/usr/bin/env bash
# Installs everything Bootlab's tests need and runs all of them: typecheck, lint, build, then unit,
# integration and end-to-end tests (real clients, network namespaces, QEMU firmware, Chromium).
# Run as root (CI does): it installs Debian packages and creates network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  bash .ci/install-system-deps.sh
else
  echo "test.sh: not root: installing Debian packages with sudo; namespace and QEMU tests will skip." >&2
  sudo bash .ci/install-system-deps.sh
fi
# Electron's postinstall downloads its binary from GitHub, which these machines cannot reach; the UI is
# tested in Debian's Chromium instead, and the Electron code is typechecked and unit-tested.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# npm install, not npm ci: lock files written where npm omits registry URLs lack the other platforms'
# optional packages (rollup's), which npm ci rejects; npm install keeps the locked versions and adds them.
npm install --no-audit --no-fund --no-save
npm run typecheck
npm run lint
npm run build
npm test
