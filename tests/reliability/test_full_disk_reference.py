"""`reference import` on a full disk: a message and exit 2, never a traceback, and never
"reference.sqlite is damaged" (issue 18 items 9 and 13).

A real full disk: a small tmpfs, filled up to a few kilobytes. Mounting needs root (and a
kernel that lets this container mount); elsewhere the test is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "reference"
FILES = [
    FIXTURES / "fda_product_slice.txt",
    FIXTURES / "fda_package_slice.txt",
    FIXTURES / "hcpcs_2025q4_slice.csv",
    FIXTURES / "asp_crosswalk_2026q1_slice.csv",
]


@pytest.fixture
def small_disk() -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = Path(tempfile.mkdtemp(prefix="j3490-full-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)
        mount_point.rmdir()


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


def _fill(disk: Path, leave_kb: int) -> None:
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    free_kb = shutil.disk_usage(disk).free // 1024
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free_kb - leave_kb) * 1024)


@pytest.mark.parametrize("leave_kb", [24, 80, 140])  # at opening, at the schema, mid-import
def test_reference_import_on_a_full_disk(small_disk: Path, leave_kb: int) -> None:
    data_dir = small_disk / "data"
    assert _cli("--data-dir", str(data_dir), "claim", "list").returncode == 0
    _fill(small_disk, leave_kb)
    result = _cli("--data-dir", str(data_dir), "reference", "import", *map(str, FILES))
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "Traceback" not in said and "damaged" not in said, said
    assert "full" in said, said
