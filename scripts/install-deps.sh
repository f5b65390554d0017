#!/usr/bin/env bash
# Installs the Debian packages listed in the file given (one per line, '#'
# comments) that are not installed yet.  Needs root (or sudo).
set -euo pipefail
list=${1:?usage: install-deps.sh PACKAGE-LIST}
missing=()
while read -r pkg; do
	pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
	[ -n "$pkg" ] || continue
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
