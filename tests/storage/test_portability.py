"""What Windows and macOS do differently, tested on Linux: renames over an existing file,
read-only files, OS locks, folders that cannot be fsynced, long paths, case-insensitive
names. Where the difference is the operating system's refusal, the test makes Linux refuse
the same way (Windows will not replace or delete a read-only file)."""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from j3490_desk.errors import DataInUseError
from j3490_desk.paths import DataPaths
from j3490_desk.services import attachments, backups
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import filesystems
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.instance_lock import InstanceLock, remove_abandoned, work_folder
from tests.storage.filled_folder import fill

PACKAGE = Path(__file__).parents[2] / "j3490_desk"
ROOT = PACKAGE.parent
# The longest name a data folder holds, relative to it: attachments/ab/<64 hex>.
LONGEST_MEMBER = len("attachments/ab/") + 64


def test_no_rename_that_windows_refuses_over_an_existing_file() -> None:
    """os.rename (and Path.rename) fail on Windows when the target exists; os.replace does not."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bos\.rename\(|\.rename\(", line)
    ]
    assert offenders == []


def _windows_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse, as Windows does, to replace or delete a file whose read-only flag is set."""

    def refusing(real: Callable[..., Any], target_arg: int) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            target = args[target_arg]
            folder = kwargs.get("dir_fd")
            try:
                mode = os.stat(target, dir_fd=folder, follow_symlinks=False).st_mode
            except FileNotFoundError:
                mode = stat.S_IWUSR
            if stat.S_ISREG(mode) and not mode & stat.S_IWUSR:
                raise PermissionError(errno.EACCES, "read-only (as on Windows)", str(target))
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(os, "replace", refusing(os.replace, 1))
    monkeypatch.setattr(os, "unlink", refusing(os.unlink, 0))
    monkeypatch.setattr(os, "remove", refusing(os.remove, 0))


def test_read_only_attachments_are_replaced_and_removed_as_windows_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AttachmentStore(tmp_path / "attachments")
    _windows_like(monkeypatch)
    with store.staged(b"%PDF-1.4 first", max_bytes=1000) as staged:
        final = store.keep(staged)
    assert not final.stat().st_mode & stat.S_IWUSR  # kept read-only
    final.chmod(stat.S_IRUSR | stat.S_IWUSR)
    final.write_bytes(b"damaged")
    final.chmod(stat.S_IRUSR)
    with store.staged(b"%PDF-1.4 first", max_bytes=1000) as staged:
        store.keep(staged)  # the good content replaces the damaged, read-only copy
    assert final.read_bytes() == b"%PDF-1.4 first"
    store.discard(staged.sha256)
    assert not final.exists()
    folder = tmp_path / "tree"
    (folder / "ab").mkdir(parents=True)
    (folder / "ab" / "file").write_bytes(b"x")
    (folder / "ab" / "file").chmod(stat.S_IRUSR)
    filesystems.remove_tree(folder)
    assert not folder.exists()


@pytest.mark.sqlite_only
def test_a_restore_over_read_only_attachments_works_as_windows_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    data = open_app_data(folder)
    try:
        fill(data)
        backup = backups.back_up(data, tmp_path / "usb")
    finally:
        data.close()
    _windows_like(monkeypatch)
    backups.restore(backup, folder, replace_existing=True)
    data = open_app_data(folder)
    try:
        assert attachments.verify_attachments(data) == []
    finally:
        data.close()


def test_a_folder_that_cannot_be_fsynced_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.fsync

    def refusing(descriptor: int) -> None:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")  # some network and FUSE file systems
        real(descriptor)

    monkeypatch.setattr(os, "fsync", refusing)
    filesystems.fsync_folder(tmp_path)
    store = AttachmentStore(tmp_path / "attachments")
    with store.staged(b"%PDF-1.4 x", max_bytes=100) as staged:
        assert store.keep(staged).exists()


def test_the_folder_lock_is_held_across_processes_and_dropped_with_the_process(
    tmp_path: Path,
) -> None:
    lock_file = tmp_path / ".lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from j3490_desk.storage.instance_lock import InstanceLock;"
            f"lock = InstanceLock(Path({str(lock_file)!r})); lock.acquire();"
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DataInUseError):
            InstanceLock(lock_file).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with InstanceLock(lock_file):  # the OS dropped the killed holder's lock
        pass


def test_a_work_folder_in_use_is_kept_and_an_abandoned_one_removed(tmp_path: Path) -> None:
    abandoned = tmp_path / ".backup-killed"
    abandoned.mkdir()
    (abandoned / "claims.sqlite").write_bytes(b"x")
    with work_folder(tmp_path, ".backup-") as live:
        (live / "backup.zip").write_bytes(b"x")
        assert remove_abandoned(tmp_path, ".backup-") == 1
        assert live.exists() and not abandoned.exists()
    assert not live.exists()


def test_paths_longer_than_260_characters(tmp_path: Path) -> None:
    """Linux allows them; the names we add under a data folder stay short, so a data folder
    at Windows' default place (%APPDATA%\\J3490Desk\\J3490Desk) never comes near the limit."""
    deep = tmp_path
    while len(str(deep)) < 300:
        deep = deep / ("d" * 60)
    data = open_app_data(deep / "data")
    try:
        fill(data)
        backup = backups.back_up(data, deep / "usb")
        longest = max(  # a seat of a shared database may keep no file in its folder at all
            (len(p.relative_to(data.paths.root).as_posix()) for p in data.paths.root.rglob("*")),
            default=0,
        )
    finally:
        data.close()
    assert len(str(backup)) > 260
    assert backups.verify(backup) == []
    # On a server the restore replaces its database, backing that up into the deep folder first
    backups.restore(backup, deep / "restored", replace_existing=True)
    assert longest <= LONGEST_MEMBER
    with zipfile.ZipFile(backup) as archive:
        assert max(len(name) for name in archive.namelist()) <= LONGEST_MEMBER


@pytest.mark.sqlite_only  # the folder's attachment files: a server keeps them in the database
def test_names_never_differ_only_by_case(tmp_path: Path) -> None:
    """A case-insensitive disk (Windows, macOS) would fold two such names into one file:
    attachments are named by lower-case hex, and a backup member in upper case is refused."""
    data = open_app_data(tmp_path / "data")
    try:
        fill(data)
        stored = [
            p.relative_to(data.paths.root).as_posix()
            for p in DataPaths(data.paths.root).attachments.rglob("*")
        ]
    finally:
        data.close()
    assert stored and all(name == name.lower() for name in stored)
