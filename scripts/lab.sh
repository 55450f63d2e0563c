#!/usr/bin/env bash
# `make lab`: open the course in JupyterLab, for any user.
# JupyterLab refuses to start as root ("Running as root is not recommended") unless told --allow-root;
# containers, cloud VMs and lab machines set up by an administrator often run as root, so pass it there
# and say so in one line. Extra arguments go to `jupyter lab` (the tests use --no-browser and a port).
#   LAB_DRY_RUN=1 prints the command instead of running it.
set -euo pipefail
cd "$(dirname "$0")/.."
JUPYTER="${JUPYTER:-.venv/bin/jupyter}"
args=(lab notebooks/)
if [ "$(id -u)" = "0" ]; then
    echo "make lab: running as root, so JupyterLab is started with --allow-root" >&2
    args+=(--allow-root)
fi
args+=("$@")
if [ -n "${LAB_DRY_RUN:-}" ]; then
    echo "$JUPYTER ${args[*]}"
    exit 0
fi
exec "$JUPYTER" "${args[@]}"
