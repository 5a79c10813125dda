"""Telling a network share from a local disk, from the mount table."""

from __future__ import annotations

from pathlib import Path

import pytest

from j3490_desk.storage import filesystems


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("/mnt/clinic-share/J3490Desk", True),
        ("/mnt/clinic-share", True),
        ("/home/biller/.local/share/J3490Desk", False),
        ("/mnt/clinic-shared-local", False),  # a prefix of the share's name is not under it
    ],
)
def test_mount_table_decides(folder: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        filesystems,
        "_mounts",
        lambda: {
            "/": "ext4",
            "/home": "ext4",
            "/mnt/clinic-share": "cifs",
            "/mnt/clinic-shared-local": "ext4",
        },
    )
    monkeypatch.setattr(Path, "resolve", lambda self: self)
    assert filesystems.is_network_path(Path(folder)) is expected


def test_this_machines_temp_folder_is_local(tmp_path: Path) -> None:
    assert filesystems.is_network_path(tmp_path) is False
