#!/usr/bin/env bash
# Pack dist/J3490 Desk.app into dist/J3490-Desk-<version>.dmg: a compressed disk image that opens
# to the app beside a link to /Applications, so installing is one drag. macOS only (hdiutil).
# Run after `pyinstaller packaging/j3490_desk.spec` (and after signing, see SIGNING.md).
# An upgrade replaces the .app only: the data folder (~/Library/Application Support/J3490Desk)
# is outside it and is migrated by the new version at its first start.
#
# Usage: packaging/macos/make_dmg.sh [VERSION]   (default: the version in pyproject.toml)
set -euo pipefail
cd "$(dirname "$0")/../.."

version=${1:-$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')}
app="dist/J3490 Desk.app"
dmg="dist/J3490-Desk-$version.dmg"
[ -d "$app" ] || { echo "$app not found: build it first with packaging/j3490_desk.spec" >&2; exit 1; }

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps symlinks, extended attributes and code signatures as they are
ditto "$app" "$staging/J3490 Desk.app"
ln -s /Applications "$staging/Applications"

rm -f "$dmg"
hdiutil create \
    -volname "J3490 Desk $version" \
    -srcfolder "$staging" \
    -fs HFS+ \
    -format UDZO \
    -imagekey zlib-level=9 \
    -ov \
    "$dmg"
hdiutil verify "$dmg"
echo "wrote $dmg ($(du -h "$dmg" | cut -f1))"
