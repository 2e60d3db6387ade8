#!/usr/bin/env bash
# macOS: sign LeadDesk.app, pack it into a disk image with a link to
# /Applications, and notarise the image. Run by the release workflow after the
# spec's BUNDLE step made dist/LeadDesk.app.
#
# Signing needs MACOS_CERTIFICATE_P12 (a base64 Developer ID Application
# certificate), MACOS_CERTIFICATE_PASSWORD and MACOS_SIGNING_IDENTITY;
# notarising also needs APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD (an
# app-specific password). Without them each step is skipped with a notice, and
# the image holds the unsigned app (README: how a user opens it).
set -euo pipefail
cd "$(dirname "$0")/../.."

app=dist/LeadDesk.app
version=$(python packaging/version.py)
dmg="dist/LeadDesk-$version-macos-$(uname -m).dmg"
test -d "$app" || { echo "no $app: build the bundle on macOS first" >&2; exit 1; }

signed=false
if [ -n "${MACOS_CERTIFICATE_P12:-}" ]; then
    keychain="${RUNNER_TEMP:-/tmp}/leaddesk-signing.keychain-db"
    keychain_password=$(uuidgen)
    security create-keychain -p "$keychain_password" "$keychain"
    security set-keychain-settings -lut 3600 "$keychain"
    security unlock-keychain -p "$keychain_password" "$keychain"
    certificate="${RUNNER_TEMP:-/tmp}/leaddesk-certificate.p12"
    printf '%s' "$MACOS_CERTIFICATE_P12" | base64 --decode > "$certificate"
    security import "$certificate" -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" \
        -T /usr/bin/codesign
    rm -f "$certificate"
    security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain"
    security list-keychains -d user -s "$keychain"
    # The hardened runtime is what notarisation asks for.
    codesign --force --deep --options runtime --timestamp \
        --sign "$MACOS_SIGNING_IDENTITY" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
    signed=true
else
    echo "::notice::No signing certificate (MACOS_CERTIFICATE_P12): LeadDesk.app is unsigned."
fi

staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "LeadDesk $version" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -ov "$dmg"
rm -rf "$staging"

if $signed && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$dmg"
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
else
    echo "::notice::No notarisation (needs the signing certificate, APPLE_ID and APPLE_APP_PASSWORD): Gatekeeper will ask users to confirm the first start."
fi
ls -l "$dmg"
