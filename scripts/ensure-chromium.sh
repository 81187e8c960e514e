#!/usr/bin/env bash
# The audit report's browser test (tests/runner/audit-browser.test.ts) drives Debian's chromium package with
# playwright-core (executablePath /usr/bin/chromium). Installs it when missing; does nothing otherwise.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
