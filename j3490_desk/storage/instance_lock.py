"""OS file locks: one app window per data folder, and work folders a live process still holds.

An OS file lock (not a marker file) is used, so a crash or power cut never leaves a stale
lock behind: the operating system drops it with the process. The CLI does not take the
folder's lock; SQLite's own locking with `BEGIN IMMEDIATE` keeps CLI writes safe beside an
open app.

The same lock tells a work folder that a backup or a restore is still filling (`work_folder`)
from one a killed process left behind (`remove_abandoned`), so leftovers can be removed at any
time without pulling files from under a process that is still running.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

from j3490_desk.errors import DataInUseError
from j3490_desk.storage.filesystems import remove_tree

_HELD = ".held"


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+b")
        if not try_lock(handle):
            handle.close()
            raise DataInUseError(
                f"The data in {self.path.parent} is in use by another J3490 Desk window.",
                "Switch to that window (check the taskbar), or close it and try again.",
            )
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            unlock(self._handle)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


@contextlib.contextmanager
def work_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A private folder under `parent`, held by this process until the block ends, then removed.
    A process killed meanwhile leaves it for `remove_abandoned`."""
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))  # 0700 on POSIX
    try:
        with (folder / _HELD).open("a+b") as handle:
            try_lock(handle)  # a new file nobody else knows of: always ours
            try:
                yield folder
            finally:
                unlock(handle)
    finally:
        remove_tree(folder)


def remove_abandoned(parent: Path, prefix: str, *, keep: frozenset[str] = frozenset()) -> int:
    """Remove the work folders under `parent` no live process holds (those a killed backup or
    restore left); `keep` names any still needed. Returns how many were removed."""
    removed = 0
    if not parent.is_dir():
        return removed
    for folder in sorted(parent.glob(f"{prefix}*")):
        if folder.name in keep or not folder.is_dir() or _is_held(folder):
            continue
        remove_tree(folder)
        removed += 1
    return removed


def _is_held(folder: Path) -> bool:
    try:
        handle = (folder / _HELD).open("r+b")
    except FileNotFoundError:  # made by an older version, or killed before the lock was taken
        return False
    with handle:
        if try_lock(handle):
            unlock(handle)
            return False
        return True


if sys.platform == "win32":
    import msvcrt

    def try_lock(handle: IO[bytes]) -> bool:
        """Lock the file for this process, without waiting; False if another one holds it.
        Windows locks a byte range: the first byte, which may lie past the end of the file."""
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(handle: IO[bytes]) -> None:
        # Explicitly: Windows may release a lock some time after its handle is closed.
        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock(handle: IO[bytes]) -> bool:
        """Lock the file for this process, without waiting; False if another one holds it."""
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
