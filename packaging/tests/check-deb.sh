#!/usr/bin/env bash
# Builds the Debian package of this build tree (cpack -G DEB) and checks that it
# holds what a user's desktop and a server admin need, and that every file lands
# in place when unpacked.  Usage: check-deb.sh <build dir>
set -eu
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
missing() { echo "MISSING: $1"; fail=1; }

cd "$build"
cpack -G DEB -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; echo "cpack failed"; exit 1; }
deb=$(ls "$work"/out/*.deb | head -n 1)
[ -f "$deb" ] || { echo "no .deb produced"; exit 1; }
dbgsym=$(ls "$work"/out/*-dbgsym_*.ddeb 2>/dev/null | head -n 1)
[ -f "${dbgsym:-}" ] || missing "the -dbgsym package beside the .deb"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/list"

for exe in softphone softphone-tray softphone-cli softphone-server; do
    grep -qx "/usr/bin/$exe" "$work/list" || missing "/usr/bin/$exe"
done
for f in /usr/share/applications/softphone.desktop /etc/xdg/autostart/softphone-tray.desktop \
         /usr/share/icons/hicolor/scalable/apps/softphone.svg \
         /usr/lib/systemd/system/softphone-server.service \
         /usr/lib/systemd/system/softphone-server-calling.service \
         /usr/lib/systemd/system/softphone-server-appserver.service \
         /usr/lib/systemd/system/softphone-server-push.service; do
    grep -qx "$f" "$work/list" || missing "$f"
done
for state in online offline connecting dnd; do
    f=/usr/share/icons/hicolor/scalable/status/softphone-tray-$state.svg
    grep -qx "$f" "$work/list" || missing "$f"
done
# Sounds: the WAVs rendered at build time.
if [ -d "${SOFTPHONE_SOURCE_DIR:-/nonexistent}/resources/sounds" ]; then
    for s in ringtone.wav ringback.wav call-ended.wav; do
        grep -q "/usr/share/softphone/sounds/$s\$" "$work/list" ||
            missing "sound $s"
    done
fi

# The .desktop entry opens softphone: and tel: links.
dpkg-deb -x "$deb" "$work/root"
desktop="$work/root/usr/share/applications/softphone.desktop"
grep -q '^MimeType=.*x-scheme-handler/softphone;' "$desktop" || missing "MimeType softphone handler"
grep -q '^MimeType=.*x-scheme-handler/tel;' "$desktop" || missing "MimeType tel handler"
grep -q '^Exec=softphone-tray' "$work/root/etc/xdg/autostart/softphone-tray.desktop" ||
    missing "autostart Exec=softphone-tray"
# Unpacked, every listed file is there and the programs are executable.
while read -r f; do
    case "$f" in */) continue ;; esac
    [ -e "$work/root$f" ] || [ -L "$work/root$f" ] || missing "unpacked $f"
done <"$work/list"
for exe in softphone softphone-tray softphone-cli softphone-server; do
    [ -x "$work/root/usr/bin/$exe" ] || missing "executable /usr/bin/$exe"
done

# Stripped programs; their symbols in the -dbgsym package under their build ids.
for exe in softphone softphone-tray softphone-cli softphone-server; do
    f="$work/root/usr/bin/$exe"
    [ -f "$f" ] || continue
    file -L "$f" | grep -q 'not stripped' && missing "stripped /usr/bin/$exe"
    id=$(file -L "$f" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
    if [ -n "$id" ] && [ -f "${dbgsym:-}" ]; then
        dpkg-deb -c "$dbgsym" | grep -q "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug\$" ||
            missing "debug symbols of /usr/bin/$exe (build id $id) in $(basename "$dbgsym")"
    fi
done
# The runtime pieces shlibdeps cannot see are named (docs/packaging.md).
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
for p in libqt6sql6-sqlite libqt6svg6 libqt6gui6 libqt6multimedia6 libqt6keychain1; do
    echo "$depends" | grep -q "\b$p\b" || missing "Depends: $p"
done
for p in gnome-keyring pipewire-pulse pulseaudio default-dbus-session-bus qt6-qpa-plugins; do
    echo "$recommends" | grep -q "\b$p\b" || missing "Recommends: $p"
done

[ $fail -eq 0 ] && echo "package $(basename "$deb"): $(wc -l <"$work/list") entries, all in place"
exit $fail
