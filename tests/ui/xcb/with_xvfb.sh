#!/usr/bin/env bash
# Run a command on a real X display: Xvfb (a 1366x768 laptop screen) with the
# openbox window manager, both stopped afterwards whatever the command did.
# Usage: tests/ui/xcb/with_xvfb.sh COMMAND... (XCB_DISPLAY picks the display, :99).
set -euo pipefail
display=${XCB_DISPLAY:-:99}
for tool in Xvfb openbox xdotool; do
    command -v "$tool" >/dev/null || { echo "with_xvfb.sh: $tool is not installed" >&2; exit 2; }
done
if [ -e "/tmp/.X11-unix/X${display#:}" ]; then
    echo "with_xvfb.sh: display $display is taken; set XCB_DISPLAY=:N" >&2
    exit 2
fi

Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
wm=
stop() {
    if [ -n "$wm" ]; then kill "$wm" 2>/dev/null || true; fi
    kill "$xvfb" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
export DISPLAY=$display

# Ready when the server answers, then when the window manager has taken over
# (openbox publishes its desktops).
# Up to 30 s: on a busy machine (2 cores shared by CI jobs) openbox has taken
# over 10 s to publish its desktops.
wait_for() {
    for _ in $(seq 300); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "with_xvfb.sh: timed out waiting for: $*" >&2
    return 1
}
wait_for xdotool getdisplaygeometry
openbox --sm-disable >/dev/null 2>&1 &
wm=$!
wait_for xdotool get_num_desktops

"$@"
