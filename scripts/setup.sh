#!/usr/bin/env bash
# Installs whichever Debian packages from scripts/debian-packages.txt (or the list given as the
# first argument, e.g. scripts/debian-packages-fuzz.txt for `make fuzz`) are missing.
# Idempotent: when everything is present it only checks and returns in well under a second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="${1:-$here/debian-packages.txt}"
mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$list")

missing=()
for pkg in "${wanted[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
    sudo="sudo"
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "spotfarm: installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
    if [[ -n "$sudo" ]] && ! command -v sudo >/dev/null; then
        echo "spotfarm: need root or sudo to install packages" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The dashboard's browser test (tests/browser/) runs on Node with npm's puppeteer-core. Node and
# npm come from Debian only where they are missing: a machine with its own Node keeps it (Debian's
# npm package would fight it). Then `npm ci` when node_modules is missing or older than the lock.
if [[ $# -eq 0 ]]; then
    if ! command -v npm >/dev/null; then
        echo "spotfarm: installing Node.js and npm (Debian) for the browser test"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -q
        $sudo apt-get install -y -q --no-install-recommends nodejs npm
    fi
    browser="$here/../tests/browser"
    if [[ ! -f "$browser/node_modules/.package-lock.json" ||
          "$browser/package-lock.json" -nt "$browser/node_modules/.package-lock.json" ]]; then
        echo "spotfarm: installing the browser test's npm packages (npm ci in tests/browser)"
        (cd "$browser" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
