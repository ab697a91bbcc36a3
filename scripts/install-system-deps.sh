#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing, so `make run` and
# `make test` work on a fresh Debian machine. Needs root (or sudo) when something is missing.
set -euo pipefail

declare -A NEEDED=(
  [python3]=python3 [gs]=ghostscript [chromium]=chromium [tiffinfo]=libtiff-tools
  [espeak-ng]=espeak-ng [pg_ctlcluster]=postgresql [pdftoppm]=poppler-utils [sipp]=sip-tester
)
missing=()
for cmd in "${!NEEDED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEEDED[$cmd]}")
done
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
