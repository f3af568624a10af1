#!/usr/bin/env bash
# Installs the Debian package of a build tree as a new user would, on a fresh
# Debian 12 root: cpack -G DEB, debootstrap --variant=minbase bookworm into a
# throwaway folder, `apt-get install ./softphone_*.deb` in it (the desktop
# package alone, Recommends included, apt's default; it must not pull in the
# server), then `apt-get install ./softphone-server_*.deb`, then, as an ordinary user of that root inside a
# desktop session of its own (tests/desktop-session: Xvfb, D-Bus, PulseAudio,
# gnome-keyring, all installed in the root), starts the installed server with
# demo users, the tray agent and the GUI (installed-session.sh says what counts
# as "came up"). Prints how long each step took. Mounts and the folder are
# removed whatever happens.
#
# Usage (as root): install-fresh-root.sh <build dir>
#   e.g. packaging/tests/install-fresh-root.sh build/package (after cmake --build --preset package)
# Environment: SOFTPHONE_DEBIAN_MIRROR (default: the first URI of
# /etc/apt/sources.list.d/debian.sources, else http://deb.debian.org/debian).
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)

# Exit code 77: skipped (ctest's SKIP_RETURN_CODE); CI runs as root.
[ "$(id -u)" -eq 0 ] || { echo "install-fresh-root: skipped, needs root (debootstrap, chroot, mount)"; exit 77; }
command -v debootstrap >/dev/null || { echo "install-fresh-root: debootstrap is missing (packaging/install-deps.sh installs it)" >&2; exit 1; }

mirror=${SOFTPHONE_DEBIAN_MIRROR:-$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

# Removes a fresh root: every process whose root it is (daemons of the session,
# a hung program), then every mount under it, deepest first, then the folder;
# rm stays on this file system, so a mount left behind is never entered.
remove_root() {
    local work=$1 root=$1/root p m
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    mounts_under() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts; }
    for m in $(mounts_under | sort -r); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
    if [ -n "$(mounts_under)" ]; then
        echo "install-fresh-root: mounts left under $root; folder kept" >&2
        return 1
    fi
    rm -rf --one-file-system "$work"
}

# Each run holds a lock on its folder; a folder older than the test's timeout
# whose lock is free was left by a run that was killed, and is removed now.
for old in $(find /var/tmp -maxdepth 1 -name 'softphone-fresh-root.*' -mmin +20 2>/dev/null); do
    flock -n "$old/lock" true 2>/dev/null && remove_root "$old" || true
done
work=$(mktemp -d /var/tmp/softphone-fresh-root.XXXXXX)
root="$work/root"
exec 9>"$work/lock"
flock 9
child=
cleanup() {
    local status=$?
    set +e
    [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
    remove_root "$work" || true
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Runs a long step in the background, so a signal ends the run at once.
run() {
    "$@" 9>&- &
    child=$!
    local status=0
    wait "$child" || status=$?
    child=
    return $status
}

started=$(date +%s)
step_start=$started
step() { # name: prints the time since the previous step
    local now
    now=$(date +%s)
    printf 'install-fresh-root: %-28s %4d s\n' "$1" $((now - step_start))
    step_start=$now
}

# The package, as the build tree makes it.
# gzip: the package's xz takes minutes on the symbols and tests nothing more.
if ! run sh -c 'cd "$1" && exec cpack -G DEB -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip -B "$2/out"' \
    sh "$build" "$work" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "install-fresh-root: cpack failed" >&2
    exit 1
fi
deb=$(ls "$work"/out/softphone_*.deb)
server_deb=$(ls "$work"/out/softphone-server_*.deb)
step "cpack ($(du -k "$deb" | cut -f1) kB desktop, $(du -k "$server_deb" | cut -f1) kB server)"

# A fresh Debian 12: the essential packages and apt, nothing else.
if ! run debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log"
    echo "install-fresh-root: debootstrap from $mirror failed" >&2
    exit 1
fi
step "debootstrap minbase"

mount -t proc proc "$root/proc"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" # no daemons started by maintainer scripts
chmod 755 "$root/usr/sbin/policy-rc.d"
cp "$deb" "$server_deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"; }
# The desktop package first, alone, as a user installs it: it must not pull in the server.
if ! run in_root sh -c 'apt-get update -qq && apt-get install -y -q /tmp/softphone_*.deb' >"$work/apt.log" 2>&1; then
    tail -n 40 "$work/apt.log"
    echo "install-fresh-root: apt-get install ./$(basename "$deb") failed" >&2
    exit 1
fi
step "apt-get install ./$(basename "$deb")"
grep -E 'newly installed|^Need to get' "$work/apt.log" | sed 's/^/install-fresh-root:   /'
in_root dpkg-query -W -f='${Status}' softphone-server 2>/dev/null | grep -q 'install ok installed' &&
    { echo "install-fresh-root: the desktop package pulled in softphone-server" >&2; exit 1; }
# Then the server package, for the session below to talk to (a server admin's install).
if ! run in_root apt-get install -y -q "/tmp/$(basename "$server_deb")" >"$work/apt-server.log" 2>&1; then
    tail -n 40 "$work/apt-server.log"
    echo "install-fresh-root: apt-get install ./$(basename "$server_deb") failed" >&2
    exit 1
fi
step "apt-get install ./$(basename "$server_deb")"
grep -E 'newly installed|^Need to get' "$work/apt-server.log" | sed 's/^/install-fresh-root:   /'

# What the user's desktop has and the package does not: an X server and the
# tools tests/desktop-session drives its session with.
if ! run in_root apt-get install -y -q --no-install-recommends xvfb xauth pulseaudio-utils dbus-bin procps \
    >"$work/apt-desktop.log" 2>&1; then
    tail -n 40 "$work/apt-desktop.log"
    echo "install-fresh-root: installing the desktop session's tools failed" >&2
    exit 1
fi
step "apt-get install the desktop"

fail=0
# The pieces shlibdeps cannot see are there, from the package's Depends and Recommends.
for piece in qt6/plugins/sqldrivers/libqsqlite.so qt6/plugins/platforms/libqxcb.so \
             qt6/plugins/iconengines/libqsvgicon.so; do
    owner=$(in_root dpkg -S "$piece" 2>/dev/null | cut -d: -f1 | head -n 1)
    [ -n "$owner" ] || { echo "MISSING in the fresh root: $piece"; fail=1; }
    echo "install-fresh-root:   $piece from ${owner:-nothing}"
done
for p in gnome-keyring pulseaudio xdg-desktop-portal; do
    in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        { echo "MISSING in the fresh root: $p (a Recommends of the package)"; fail=1; }
done

# A user of that root, in a desktop session of its own, starts what the package installed.
in_root useradd --create-home --shell /bin/bash tester
mkdir -p "$root/usr/local/lib/softphone-test"
cp "$source_dir/tests/desktop-session" "$here/installed-session.sh" "$root/usr/local/lib/softphone-test/"
chmod 755 "$root"/usr/local/lib/softphone-test/*
out=/tmp/softphone-test-out
mkdir -p "$root$out" && chown --reference="$root/home/tester" "$root$out"
uid=$(stat -c %u "$root/home/tester")
gid=$(stat -c %g "$root/home/tester")
# A sanitizer build reports leaks at exit; this test is about starting up.
if ! run chroot --userspec="$uid:$gid" "$root" /usr/bin/env -i HOME=/home/tester USER=tester LOGNAME=tester \
    PATH=/usr/bin:/bin LANG=C.UTF-8 ASAN_OPTIONS=detect_leaks=0 \
    timeout 300 /bin/bash /usr/local/lib/softphone-test/desktop-session \
    /bin/bash /usr/local/lib/softphone-test/installed-session.sh "$out"; then
    fail=1
fi
step "server, tray and GUI"
printf 'install-fresh-root: %-28s %4d s\n' total $(($(date +%s) - started))
# The logs outlive the root, for a look after a failure.
logs="$build/packaging/install-fresh-root-logs"
rm -rf "$logs" && mkdir -p "$logs"
cp "$work"/*.log "$root$out"/* "$logs"/ 2>/dev/null || true
echo "install-fresh-root: logs in $logs"

if [ $fail -ne 0 ]; then
    for f in "$root$out"/*; do
        [ -f "$f" ] || continue
        echo "----- $(basename "$f") -----"
        tail -n 40 "$f"
    done
    echo "install-fresh-root: FAILED" >&2
    exit 1
fi
echo "install-fresh-root: $(basename "$deb") and $(basename "$server_deb") installed on a fresh Debian 12; server, tray and GUI came up"
