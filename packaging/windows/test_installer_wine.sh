#!/usr/bin/env bash
# Install, upgrade, and uninstall the Windows installer silently under Wine, and
# check what a user would see: the program folder, the Start-menu shortcut, the
# Apps & features entry, and leads kept after uninstalling. `make
# installer-windows-wine` (needs Debian's wine64 and nsis).
#
# The installer is compiled over empty files under the bundle's names (the real
# programs are Windows builds that only the release pipeline makes), and for
# the amd64 target, since Debian's 64-bit Wine runs no 32-bit program.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${1:-python3}

out=build/wine-installer
"$python" packaging/windows/build_installer.py --stub --target amd64-unicode --out "$out" >/dev/null
setup=$(ls "$out"/LeadDesk-*-setup.exe)
version=$("$python" packaging/version.py)

export WINEPREFIX=$PWD/build/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
rm -rf "$WINEPREFIX"
wineboot --init >/dev/null 2>&1
wineserver -w
user=$WINEPREFIX/drive_c/users/$(whoami)
programs=$user/AppData/Local/Programs/LeadDesk
data=$user/AppData/Local/LeadDesk
shortcut="$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/LeadDesk.lnk"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadDesk'

fail() { echo "wine installer test: $*" >&2; exit 1; }
entry() { wine reg query "$key" /v "$1" 2>/dev/null | tr -d '\r' | awk -v n="$1" '$1 == n {print $3}'; }

wine "$setup" /S
wineserver -w
test -f "$programs/LeadDesk.exe" || fail "LeadDesk.exe is not in $programs"
test -f "$programs/Uninstall LeadDesk.exe" || fail "no uninstaller"
test -f "$shortcut" || fail "no Start-menu shortcut"
[ "$(entry DisplayVersion)" = "$version" ] || fail "DisplayVersion is not $version"
for name in DisplayName Publisher DisplayIcon UninstallString EstimatedSize; do
    [ -n "$(entry "$name")" ] || fail "the uninstall entry has no $name"
done

# The user's leads, as LeadDesk would have written them.
mkdir -p "$data"
echo leads > "$data/leaddesk.sqlite3"

# Upgrade in place: a stale file of the old version's libraries must go.
touch "$programs/_internal/left-from-old-version.dll"
wine "$setup" /S
wineserver -w
test -f "$programs/LeadDesk.exe" || fail "LeadDesk.exe went missing on upgrade"
test ! -e "$programs/_internal/left-from-old-version.dll" || fail "upgrade kept old libraries"

# A silent uninstall never ticks "Also remove my leads".
wine "$programs/Uninstall LeadDesk.exe" /S "_?=$(winepath -w "$programs")"
wineserver -w
test ! -e "$programs/LeadDesk.exe" || fail "LeadDesk.exe is still installed"
test ! -e "$shortcut" || fail "the Start-menu shortcut is still there"
[ -z "$(entry DisplayName)" ] || fail "the Apps & features entry is still there"
test -f "$data/leaddesk.sqlite3" || fail "uninstalling removed the user's leads"
echo "wine installer test passed: installed, upgraded in place, uninstalled, leads kept"
