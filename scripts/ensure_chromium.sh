#!/usr/bin/env bash
# The report test opens the report in headless Chromium. Install it (Debian package) when it
# is missing; do nothing when it is already there. Needs root for apt-get.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing and this is not root: install the 'chromium' package, then run make test again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# A CJK font so the Chinese city names render in the screenshot.
apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
