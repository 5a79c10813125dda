#!/usr/bin/env bash
# Prove that every dependency in pyproject.toml installs as a binary wheel on the platforms no
# machine of ours runs the tests on: Windows x86-64 and macOS (arm64, x86-64), Python 3.11 and
# 3.12. pip resolves the whole tree for each target with --only-binary=:all: (an sdist, which
# would need a compiler on the clinic's computer, fails the resolution), exactly as
# `pip download --only-binary=:all: --platform ...` would, but with --dry-run it reads only the
# packages' metadata instead of downloading ~1 GB of wheels, so it takes seconds per target.
# Usage: packaging/check_wheels.sh [PYTHON]   (needs the package index; exit 1 names the target)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}

requirements=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$requirements" "$work"' EXIT
"$python" - "$requirements" <<'PY'
import sys
import tomllib

with open("pyproject.toml", "rb") as handle:
    dependencies = tomllib.load(handle)["project"]["dependencies"]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\n".join(dependencies) + "\n")
PY

# macOS 13 is the oldest the README supports; pip also accepts wheels tagged for older macOS.
platforms=(win_amd64 macosx_13_0_arm64 macosx_13_0_x86_64)
versions=(3.11 3.12)
failed=0
for platform in "${platforms[@]}"; do
  for version in "${versions[@]}"; do
    report="$work/$platform-$version.json"
    if ! "$python" -m pip install --dry-run --ignore-installed --quiet --no-input \
        --disable-pip-version-check --only-binary=:all: --implementation cp \
        --platform "$platform" --python-version "$version" --target "$work/target" \
        --report "$report" -r "$requirements" >"$work/log" 2>&1; then
      echo "FAIL $platform cp$version: no binary wheel for some dependency"
      grep -E '^ERROR' "$work/log" || tail -n 5 "$work/log"
      failed=1
      continue
    fi
    # Every resolved file must be a wheel (belt and braces: --only-binary already demands it).
    "$python" - "$report" "$platform" "$version" <<'PY' || failed=1
import json
import sys

report, platform, version = sys.argv[1:]
with open(report, encoding="utf-8") as handle:
    files = [item["download_info"]["url"].rsplit("/", 1)[-1] for item in json.load(handle)["install"]]
not_wheels = [name for name in files if not name.endswith(".whl")]
if not_wheels:
    print(f"FAIL {platform} cp{version}: not wheels: {', '.join(not_wheels)}")
    sys.exit(1)
print(f"ok   {platform} cp{version}: {len(files)} wheels")
PY
  done
done
exit "$failed"
