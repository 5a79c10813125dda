#!/usr/bin/env bash
# Build the Linux one-folder bundle (dist/j3490-desk/) with packaging/j3490_desk.spec, then prove
# it is complete by running it:
#   1. `j3490-desk --version` prints the version in pyproject.toml;
#   2. `j3490-desk --smoke-test` offscreen, on a new empty data folder, migrates it, opens the main
#      window and closes it by itself (exit 0);
#   3. the same on a data folder whose claims.sqlite is damaged: the clear message of the app's
#      dialog, on stderr, and exit 2; never a Python traceback;
#   4. the CLI: import, check, back up, then encrypt the folder and read it back;
#   5. the shared-server driver: a server that does not answer gets its clear message, exit 2.
#
# Needs: the app and PyInstaller installed (`pip install . pyinstaller`) and the Qt run-time
# libraries of packaging/debian-packages.txt. No network. Usage: packaging/build_linux.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=dist/j3490-desk
exe=$bundle/j3490-desk
step() { printf '\n=== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
size_mb() { du -sb "$1" | awk '{printf "%.1f", $1 / 1e6}'; }  # MB = 10^6 bytes, as bench/ reports

version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

if [ "${1:-}" != "--no-build" ]; then
    step "PyInstaller $(python3 -m PyInstaller --version): building $bundle (version $version)"
    start=$(date +%s)
    python3 -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/j3490_desk.spec
    echo "built in $(( $(date +%s) - start )) s"
fi
[ -x "$exe" ] || fail "$exe was not built"
echo "bundle size: $(size_mb "$bundle") MB unpacked"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
# The bundle must not find anything of the build machine's: no home folder, no settings.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
unset J3490_DESK_DATA_DIR PYTHONPATH PYTHONHOME

step "$exe --version"
out=$("$exe" --version)
echo "$out"
[ "$out" = "j3490-desk $version" ] || fail "--version printed '$out', expected 'j3490-desk $version'"

step "$exe --smoke-test (offscreen, new data folder)"
set +e
"$exe" --smoke-test --data-dir "$work/data" >"$work/out" 2>"$work/err"
status=$?
set -e
cat "$work/out" "$work/err"
[ "$status" -eq 0 ] || fail "smoke start exited $status"
[ -s "$work/data/claims.sqlite" ] || fail "the smoke start made no database"
grep -q "main window opened and closed" "$work/err" || fail "the smoke start did not report the window"

step "$exe --smoke-test on a damaged claims.sqlite"
mkdir -p "$work/damaged"
head -c 4096 /dev/urandom >"$work/damaged/claims.sqlite"
set +e
"$exe" --smoke-test --data-dir "$work/damaged" >"$work/out" 2>"$work/err"
status=$?
set -e
cat "$work/out" "$work/err"
[ "$status" -eq 2 ] || fail "a damaged database should exit 2, got $status"
grep -q "cannot open your data" "$work/err" || fail "no clear message for the damaged database"
if grep -q "Traceback" "$work/out" "$work/err"; then fail "a Python traceback was printed"; fi

fixture=tests/fixtures/schemas/claims-0001.sqlite
if [ -f "$fixture" ]; then
    step "$exe --smoke-test on a data folder of the first released schema (an upgrade)"
    mkdir -p "$work/old"
    cp "$fixture" "$work/old/claims.sqlite"
    "$exe" --smoke-test --data-dir "$work/old" 2>&1 | grep -v propagateSizeHints
    ls "$work/old/backups"/claims-before-migration-* >/dev/null || fail "no backup before the migration"
    "$exe" --data-dir "$work/old" claim list --json | grep -q '"id"' || fail "the claims did not survive"
fi

step "the CLI in the bundle: import the example claims, check one (JSON Schema, ICD-10-CM data)"
for example in resources/examples/*.json; do
    "$exe" --data-dir "$work/data" claim import "$example" >/dev/null
done
"$exe" --data-dir "$work/data" claim list --json | head -c 300; echo
set +e
"$exe" --data-dir "$work/data" claim check 1 --today 2026-01-15 >"$work/out" 2>&1
status=$?
set -e
tail -n 1 "$work/out"
[ "$status" -le 1 ] || fail "claim check exited $status"
"$exe" --data-dir "$work/data" backup create --to "$work" >/dev/null

step "encryption at rest in the bundle (SQLCipher, AES-GCM): encrypt, then read back"
export J3490_DESK_PASSPHRASE="bundle smoke passphrase"
"$exe" --data-dir "$work/data" encryption enable
head -c 16 "$work/data/claims.sqlite" | grep -q "SQLite format 3" && fail "the database is still plain"
"$exe" --data-dir "$work/data" claim list --json | grep -q '"id"' || fail "no claims after encryption"
"$exe" --data-dir "$work/data" backup create --to "$work/encrypted" >/dev/null
"$exe" backup verify "$work"/encrypted/j3490-desk-backup-*.zip
unset J3490_DESK_PASSPHRASE

step "the shared-server driver in the bundle (psycopg, libpq): a server that does not answer"
set +e
"$exe" --data-dir "$work/seat" --database-url "postgresql+psycopg://clerk@127.0.0.1:9/claims" \
    claim list >"$work/out" 2>&1
status=$?
set -e
cat "$work/out"
[ "$status" -eq 2 ] || fail "an unreachable server should exit 2, got $status"
grep -q "cannot be reached" "$work/out" || fail "no clear message for an unreachable server"
if grep -q "Traceback" "$work/out"; then fail "a Python traceback was printed"; fi

step "bundle OK: $bundle, version $version, $(size_mb "$bundle") MB unpacked"
