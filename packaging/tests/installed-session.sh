#!/usr/bin/env bash
# Run by install-fresh-root.sh inside the fresh root, as an ordinary user,
# inside tests/desktop-session: starts the INSTALLED programs (/usr/bin) as a
# new user would and checks that each came up:
# - softphone-server with demo users answers POST /v1/login with a token
#   (raw HTTP through bash's /dev/tcp: the fresh root has no curl);
# - softphone-tray signs in as alice and has its push registration confirmed,
#   its icon from the XEmbed plugin (no StatusNotifierWatcher in the session);
# - softphone (the GUI) signs in as alice;
# that none of them says a plugin is missing, and that both desktop processes
# are still running a moment later.
# Usage: installed-session.sh <folder for the logs>
set -euo pipefail
out=$1
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() { echo "installed-session: $*" >&2; exit 1; }

# Waits up to $2 tenths of a second for a line matching $3 in file $1 while pid $4 lives.
wait_for_line() {
    local file=$1 tenths=$2 pattern=$3 pid=$4
    for _ in $(seq "$tenths"); do
        grep -q -- "$pattern" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    grep -q -- "$pattern" "$file" 2>/dev/null
}

/usr/bin/softphone-server serve --demo --data-dir "$HOME/server" \
    --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$out/server.out" 2>"$out/server.err" &
pids+=($!)
wait_for_line "$out/server.out" 300 '"event":"listening"' "${pids[0]}" ||
    fail "softphone-server did not print its start line within 30 s"
start_line=$(head -n 1 "$out/server.out")
appserver=$(sed -n 's/.*"appserver":"\([^"]*\)".*/\1/p' <<<"$start_line")
password() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$start_line"; }
[ -n "$appserver" ] && [ -n "$(password alice)" ] || fail "no appserver URL or demo users in: $start_line"
echo "installed-session: softphone-server listening, application server at $appserver"

# POST /v1/login for bob, as any HTTP client would send it.
hostport=${appserver#http://}
hostport=${hostport%%/*}
body="{\"user\":\"bob\",\"password\":\"$(password bob)\",\"device\":\"package-test\"}"
exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
printf 'POST /v1/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$hostport" "${#body}" "$body" >&3
timeout 20 cat <&3 >"$out/login.http" || true
exec 3<&-
head -n 1 "$out/login.http" | grep -q '^HTTP/1.1 200' && grep -q '"accessToken":"' "$out/login.http" ||
    fail "POST /v1/login did not answer 200 with a token: $(head -n 1 "$out/login.http")"
echo "installed-session: POST /v1/login for bob: 200 with an access token"

password alice | /usr/bin/softphone-tray --server "$appserver" --user alice --password-stdin \
    >"$out/tray.log" 2>&1 &
pids+=($!)
tray=$!
password alice | /usr/bin/softphone --server "$appserver" --user alice --password-stdin \
    >"$out/gui.log" 2>&1 &
pids+=($!)
gui=$!
wait_for_line "$out/tray.log" 600 'push registration confirmed' "$tray" ||
    fail "softphone-tray did not confirm its push registration within 60 s"
echo "installed-session: softphone-tray: $(grep -m1 -o 'push registration confirmed' "$out/tray.log")"
# Xvfb and no StatusNotifierWatcher: its icon is the XEmbed plugin's (/usr/lib/x86_64-linux-gnu/softphone).
grep -q 'tray icon: XEmbed' "$out/tray.log" ||
    fail "softphone-tray did not load its XEmbed tray plugin: $(grep -m1 'XEmbed' "$out/tray.log")"
wait_for_line "$out/gui.log" 600 'signed in as alice' "$gui" ||
    fail "softphone did not sign in as alice within 60 s"
echo "installed-session: softphone: $(grep -m1 -o 'signed in as alice on device [^ ]*' "$out/gui.log")"

# What Qt says when a plugin that shlibdeps cannot see is missing.
missing_piece='driver not loaded|Qt platform plugin|Cannot load library|No Icon set|Unknown media backend|no XEmbed tray'
if grep -E -h "$missing_piece" "$out/server.err" "$out/tray.log" "$out/gui.log"; then
    fail "a run-time piece is missing (lines above)"
fi

sleep 2
kill -0 "$tray" 2>/dev/null || fail "softphone-tray exited after starting"
kill -0 "$gui" 2>/dev/null || fail "softphone exited after starting"
kill -0 "${pids[0]}" 2>/dev/null || fail "softphone-server exited"
echo "installed-session: server, tray and GUI up"
