#!/usr/bin/env bash
# Builds the Debian packages of this build tree (cpack -G DEB: softphone, the
# desktop, and softphone-server) and checks that each holds what a user's desktop
# or a server admin needs, that every file lands in place when unpacked, and
# that lintian finds nothing that is neither fixed nor listed.  Usage: check-deb.sh <build dir>
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
missing() { echo "MISSING: $1"; fail=1; }

cd "$build"
cpack -G DEB -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; echo "cpack failed"; exit 1; }
# Two packages (docs/packaging.md "Packages"): the desktop and the server.
deb=$(ls "$work"/out/softphone_*.deb 2>/dev/null | head -n 1)
server_deb=$(ls "$work"/out/softphone-server_*.deb 2>/dev/null | head -n 1)
[ -f "${deb:-}" ] || { ls "$work/out"; echo "no desktop package softphone_*.deb produced"; exit 1; }
[ -f "${server_deb:-}" ] || { ls "$work/out"; echo "no softphone-server_*.deb produced"; exit 1; }
dbgsym=$(ls "$work"/out/softphone-dbgsym_*.ddeb 2>/dev/null | head -n 1)
server_dbgsym=$(ls "$work"/out/softphone-server-dbgsym_*.ddeb 2>/dev/null | head -n 1)
[ -f "${dbgsym:-}" ] || missing "the softphone-dbgsym package beside the .deb"
[ -f "${server_dbgsym:-}" ] || missing "the softphone-server-dbgsym package beside the .deb"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/list"
dpkg-deb -c "$server_deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/server-list"

for exe in softphone softphone-tray softphone-cli; do
    grep -qx "/usr/bin/$exe" "$work/list" || missing "/usr/bin/$exe in the desktop package"
    grep -qx "/usr/bin/$exe" "$work/server-list" && missing "/usr/bin/$exe not in the server package"
done
grep -qx "/usr/bin/softphone-server" "$work/server-list" || missing "/usr/bin/softphone-server"
grep -qx "/usr/bin/softphone-server" "$work/list" && missing "softphone-server not in the desktop package"
for f in /usr/share/applications/softphone.desktop /etc/xdg/autostart/softphone-tray.desktop \
         /usr/share/icons/hicolor/scalable/apps/softphone.svg \
         /usr/share/doc/softphone/copyright /usr/share/doc/softphone/changelog.gz; do
    grep -qx "$f" "$work/list" || missing "$f"
done
for f in /usr/lib/systemd/system/softphone-server.service \
         /usr/lib/systemd/system/softphone-server-calling.service \
         /usr/lib/systemd/system/softphone-server-appserver.service \
         /usr/lib/systemd/system/softphone-server-push.service \
         /usr/share/doc/softphone-server/copyright /usr/share/doc/softphone-server/changelog.gz \
         /usr/lib/systemd/system/softphone-server@.service /usr/share/man/man8/softphone-server.8.gz; do
    grep -qx "$f" "$work/server-list" || missing "$f"
done
for page in softphone softphone-tray softphone-cli; do
    grep -qx "/usr/share/man/man1/$page.1.gz" "$work/list" || missing "/usr/share/man/man1/$page.1.gz"
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
dpkg-deb -x "$server_deb" "$work/server-root"
desktop="$work/root/usr/share/applications/softphone.desktop"
grep -q '^MimeType=.*x-scheme-handler/softphone;' "$desktop" || missing "MimeType softphone handler"
grep -q '^MimeType=.*x-scheme-handler/tel;' "$desktop" || missing "MimeType tel handler"
grep -q '^Exec=softphone-tray' "$work/root/etc/xdg/autostart/softphone-tray.desktop" ||
    missing "autostart Exec=softphone-tray"
# Unpacked, every listed file is there and the programs are executable.
for pair in list:root server-list:server-root; do
    while read -r f; do
        case "$f" in */) continue ;; esac
        [ -e "$work/${pair#*:}$f" ] || [ -L "$work/${pair#*:}$f" ] || missing "unpacked $f"
    done <"$work/${pair%%:*}"
done

# Stripped programs; their symbols in the -dbgsym packages under their build ids.
for symbols in "${dbgsym:-}" "${server_dbgsym:-}"; do
    [ -f "$symbols" ] && dpkg-deb -c "$symbols" >"$symbols.list"
done
for exe in softphone softphone-tray softphone-cli softphone-server; do
    f="$work/root/usr/bin/$exe" symbols=$dbgsym
    [ "$exe" = softphone-server ] && f="$work/server-root/usr/bin/$exe" symbols=$server_dbgsym
    [ -x "$f" ] || { missing "executable /usr/bin/$exe"; continue; }
    file -L "$f" | grep -q 'not stripped' && missing "stripped /usr/bin/$exe"
    id=$(file -L "$f" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
    if [ -n "$id" ] && [ -f "${symbols:-}" ]; then
        grep -q "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug\$" "$symbols.list" ||
            missing "debug symbols of /usr/bin/$exe (build id $id) in $(basename "$symbols")"
    fi
done
# The tray agent links no Qt Gui, Widgets or Svg (its icon a StatusNotifierItem
# over QtDBus); its XEmbed face is the plugin (stripped), with Qt Widgets.
plugin=$(grep -E '^/usr/lib/(.*/)?softphone/softphone-tray-xembed\.so$' "$work/list" | head -n 1)
[ -n "$plugin" ] || missing "/usr/lib/x86_64-linux-gnu/softphone/softphone-tray-xembed.so (the tray's XEmbed face)"
if [ -n "$plugin" ] && [ -f "$work/root$plugin" ]; then
    file -L "$work/root$plugin" | grep -q 'not stripped' && missing "stripped $plugin"
    readelf -d "$work/root$plugin" | grep -q 'NEEDED.*libQt6Widgets' || missing "$plugin links Qt Widgets"
fi
if [ -f "$work/root/usr/bin/softphone-tray" ]; then
    gui=$(readelf -d "$work/root/usr/bin/softphone-tray" | grep -oE 'libQt6(Gui|Widgets|Svg)[^]]*' || true)
    [ -z "$gui" ] || missing "/usr/bin/softphone-tray without Qt Gui (it needs: $(echo $gui))"
    readelf -d "$work/root/usr/bin/softphone-tray" | grep -q 'NEEDED.*libqt6keychain' &&
        missing "/usr/bin/softphone-tray without QtKeychain (its keychain work is done by softphone-keychain)"
fi
# The agent's keychain helper (a child it starts; not for users, so no man page).
helper=$(grep -E '^/usr/lib/(.*/)?softphone/softphone-keychain$' "$work/list" | head -n 1)
[ -n "$helper" ] || missing "/usr/lib/x86_64-linux-gnu/softphone/softphone-keychain (the tray's keychain helper)"
if [ -n "$helper" ] && [ -f "$work/root$helper" ]; then
    [ -x "$work/root$helper" ] || missing "executable $helper"
    file -L "$work/root$helper" | grep -q 'not stripped' && missing "stripped $helper"
fi
for n in 1 9 9plus; do
    f=/usr/share/icons/hicolor/scalable/status/softphone-tray-badge-$n.svg
    grep -qx "$f" "$work/list" || missing "$f"
done
# Each man page names every option its program's --help prints.
for pair in softphone:root:man1/softphone.1 softphone-tray:root:man1/softphone-tray.1 \
            softphone-cli:root:man1/softphone-cli.1 softphone-server:server-root:man8/softphone-server.8; do
    IFS=: read -r exe root page <<<"$pair"
    [ -f "$work/$root/usr/share/man/$page.gz" ] || continue
    help=$(QT_QPA_PLATFORM=offscreen "$work/$root/usr/bin/$exe" --help 2>&1 || true)
    text=$(zcat "$work/$root/usr/share/man/$page.gz" | sed 's/\\-/-/g')
    for option in $(echo "$help" | grep -oE '(^|[ [])--[a-z][a-z-]+' | sed 's/^[ [ ]*//' | sort -u); do
        grep -qE -- "(^|[^a-z-])$option([^a-z-]|\$)" <<<"$text" || missing "$option of $exe --help in its man page $page"
    done
done
# The runtime pieces shlibdeps cannot see are named (docs/packaging.md).
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
for p in libqt6sql6-sqlite libqt6svg6 libqt6gui6 libqt6multimedia6 libqt6keychain1; do
    echo "$depends" | grep -q "\b$p\b" || missing "Depends: $p"
done
for p in gnome-keyring pipewire-pulse pulseaudio default-dbus-session-bus qt6-qpa-plugins xdg-desktop-portal xdg-desktop-portal-gtk; do
    echo "$recommends" | grep -q "\b$p\b" || missing "Recommends: $p"
done
server_depends=$(dpkg-deb -f "$server_deb" Depends)
for p in adduser libqt6sql6-sqlite; do
    echo "$server_depends" | grep -q "\b$p\b" || missing "softphone-server Depends: $p"
done
# A server needs no GUI: no widgets, graphics or sound device libraries.
for p in libqt6widgets6 libqt6multimedia6 libqt6gui6; do
    echo "$server_depends" | grep -q "\b$p\b" && missing "softphone-server without $p (it has: $server_depends)"
done

# Lintian: no error and no warning beyond those listed, with their reasons,
# in docs/packaging.md "Lintian" (packaging/tests/lintian-accepted).
if command -v lintian >/dev/null; then
    lintian --no-tag-display-limit "$deb" "$server_deb" >"$work/lintian.log" 2>&1 || true
    grep -E '^(E|W): ' "$work/lintian.log" | sed -E 's/^[EW]: [^:]+: //' |
        awk '{print $1}' | sort -u >"$work/lintian-tags"
    unlisted=0
    while read -r tag; do
        grep -qx "$tag" "$here/lintian-accepted" && continue
        missing "lintian finding not fixed nor listed: $(grep -m1 " $tag" "$work/lintian.log")"
        unlisted=1
    done <"$work/lintian-tags"
    echo "lintian: $(grep -cE '^E: ' "$work/lintian.log") errors, $(grep -cE '^W: ' "$work/lintian.log") warnings" \
        "($(tr '\n' ' ' <"$work/lintian-tags")); unlisted: $unlisted"
else
    missing "lintian (packaging/install-deps.sh installs it)"
fi

[ $fail -eq 0 ] && echo "packages $(basename "$deb") ($(wc -l <"$work/list") entries) and $(basename "$server_deb") ($(wc -l <"$work/server-list") entries): all in place"
exit $fail
