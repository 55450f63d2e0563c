#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing.
# Playwright's own browser download needs the internet; the distribution build does not.
set -euo pipefail
for exe in chromium chromium-browser; do
    if command -v "$exe" >/dev/null 2>&1; then exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: no chromium and no apt-get; install Chromium yourself or set CHROMIUM=/path/to/chromium" >&2
    exit 0   # the browser tests then say what is missing (and fail under CI=true)
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "ensure_chromium: installing Debian's chromium for the browser tests"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
