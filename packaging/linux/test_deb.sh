#!/usr/bin/env bash
# Install the .deb as a user would, run LeadDesk from /usr/bin, remove it again:
# `make deb-test` (apt-get installs the package and its Depends: as root, or
# through sudo).
#
#   packaging/linux/test_deb.sh dist/leaddesk_VERSION_ARCH.deb PYTHON
#
# PYTHON runs packaging/smoke_test.py against /usr/bin/leaddesk.
set -euo pipefail
deb=$(realpath "$1")
python=$2
cd "$(dirname "$0")/../.."
# Wait for another apt or dpkg to finish rather than fail on its lock.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
if [ "$(id -u)" -ne 0 ]; then apt=(sudo "${apt[@]}"); fi

if dpkg-query -W -f='${Status}' leaddesk 2>/dev/null | grep -q "ok installed"; then
    echo "leaddesk is already installed here; remove it first (apt-get remove leaddesk)" >&2
    exit 1
fi
remove() { "${apt[@]}" remove -y -qq leaddesk >/dev/null; }
"${apt[@]}" install -y -qq "$deb" >/dev/null
trap remove EXIT

test -x /usr/bin/leaddesk
test -f /usr/share/applications/org.leaddesk.LeadDesk.desktop
test -f /usr/share/icons/hicolor/256x256/apps/leaddesk.png
desktop-file-validate /usr/share/applications/org.leaddesk.LeadDesk.desktop

# A fresh user: no data folder yet, the default location, run from elsewhere.
home=$(mktemp -d)
(cd "$home" && env -u LEADDESK_DATA_DIR -u LEADDESK_DATABASE_URL -u PYTHONPATH \
    HOME="$home" XDG_DATA_HOME= QT_QPA_PLATFORM=offscreen LEADDESK_SKIP_FIRST_RUN=1 \
    sh -c 'leaddesk info --json && leaddesk screenshot board.png && test -s board.png')
test -f "$home/.local/share/LeadDesk/leaddesk.sqlite3"
rm -rf "$home"
"$python" packaging/smoke_test.py /usr/bin/leaddesk

trap - EXIT
remove
if test -e /usr/bin/leaddesk || test -e /opt/leaddesk; then
    echo "apt-get remove left /usr/bin/leaddesk or /opt/leaddesk behind" >&2
    exit 1
fi
echo "deb test passed: $deb installed, ran from /usr/bin, removed"
