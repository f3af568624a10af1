#!/usr/bin/env bash
# The one list of what the softphone needs on Debian 12: build tools (lld links the sanitizer build), libraries,
# and what the test suite starts (Xvfb, PulseAudio, gnome-keyring, Node for interop,
# coturn/nftables/tcpdump for the UDP media tests in network namespaces, trayer/dunst/xdotool/xwininfo
# for the tray in a real panel, lxqt-panel for the tray as a StatusNotifierItem (its watcher and host),
# libdbus-1-dev for the tray agent's look for a StatusNotifierWatcher before Qt starts,
# debootstrap for the package's install test on a fresh root, lintian for its checks,
# PostgreSQL 15 for the server's shared-database tests, hiredis and Redis 7 for the bus,
# baresip-core and ALSA's PulseAudio plugin for bench_device_delay's reference call,
# xdg-desktop-portal(-gtk) for the desktop's colour scheme in tst_gui_desktop_scheme).
# Used by the README's two commands and by .ci/run. Installs only what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang clang-format libclang-rt-14-dev
  lld
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev
  qt6-multimedia-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-qpa-plugins qt6-image-formats-plugins libqt6svg6 libqt6sql6-sqlite
  qtkeychain-qt6-dev libssl-dev openssl libopus-dev libspeexdsp-dev libhttp-parser-dev libpulse-dev
  xvfb xauth pulseaudio pulseaudio-utils gnome-keyring libsecret-tools dbus dbus-x11
  nodejs npm sox espeak-ng iproute2 dpkg-dev file procps
  libsrtp2-dev libnice-dev coturn nftables tcpdump
  libwebrtc-audio-processing-dev libdbus-1-dev
  trayer dunst xdotool x11-utils lxqt-panel
  debootstrap
  lintian
  libqt6sql6-psql libpq-dev postgresql-15
  libhiredis-dev redis-server
  baresip-core libasound2-plugins
  pngquant
  xdg-desktop-portal xdg-desktop-portal-gtk
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs from another origin may already provide npm; do not fight over it.
if command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = npm ] || [ "$p" = nodejs ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node packages for the interoperability tests (web-push, http_ece, jose, ws).
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tests/interop/package-lock.json" ] && [ ! -d "$here/tests/interop/node_modules" ]; then
  (cd "$here/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
fi
