#!/bin/sh
# Browser tests drive Debian's Chromium (never a downloaded browser). Installs it when absent.
set -eu
BIN="${RELAIS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$BIN" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Chromium absent ($BIN): apt-get install -y chromium"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
