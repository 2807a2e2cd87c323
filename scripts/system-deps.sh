#!/usr/bin/env bash
# Installs the Debian packages PPIR Workbench needs, or says clearly which are missing.
#   scripts/system-deps.sh [--optional] gettext chromium
set -euo pipefail
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi

declare -A probe=( [gettext]=msgfmt [chromium]=/usr/bin/chromium [redis-server]=redis-server [fonts-nanum]=/usr/share/fonts/truetype/nanum/NanumGothic.ttf [poppler-utils]=pdftoppm )
missing=()
for pkg in "$@"; do
  cmd=${probe[$pkg]:-$pkg}
  if [[ $cmd == /* ]]; then [ -e "$cmd" ] || missing+=("$pkg"); else command -v "$cmd" >/dev/null || missing+=("$pkg"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-noto-cjk >/dev/null
  exit 0
fi
msg="PPIR Workbench needs these system packages: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]})."
if [ $optional = 1 ]; then echo "Note: $msg"; exit 0; fi
echo "ERROR: $msg" >&2
exit 1
