"""Swapping a restored backup into a data folder, so that no kill can leave half of each.

The backup is unpacked (and checked) in a work folder beside the data: `<work>/new` holds the
files the folder will have. A journal (`RESTORE_JOURNAL`) naming that work folder is written
before the first rename; then each current file is moved aside into `<work>/old` and its
restored one moved in, one rename at a time, each skipped once done. A process killed at any
point leaves the journal behind, and the next open of the folder (`recover_data_folder`, before
anything reads the data) runs the same renames again to finish the job, then deletes the
journal. Until then no reader sees the half-swapped folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from j3490_desk.errors import DataFolderError, DataInUseError
from j3490_desk.paths import DataPaths
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.audit_head import ANCHOR_FILE
from j3490_desk.storage.database import ensure_writable_folder
from j3490_desk.storage.encryption import SETTINGS_FILE, write_atomically
from j3490_desk.storage.filesystems import fsync_folder, make_private, remove_tree
from j3490_desk.storage.instance_lock import InstanceLock, remove_abandoned

RESTORE_WORK = ".restore-"  # in the data folder, while a restore is unpacked and swapped in
RESTORE_JOURNAL = ".pending-restore.json"
_JOURNAL_FORMAT = "j3490-desk-restore"


def _swapped(paths: DataPaths) -> tuple[str, ...]:
    """What a restore replaces, in this order. The old database's log goes first: it must
    never be applied to the restored database. Then the key file, the database, attachments."""
    database = paths.database.name
    return (
        f"{database}-wal",
        f"{database}-shm",
        ANCHOR_FILE,
        SETTINGS_FILE,
        database,
        paths.attachments.name,
    )


def swap_in(paths: DataPaths, work: Path) -> None:
    """Write the journal, then swap `<work>/new` in (the caller holds the folder's lock)."""
    restored = sorted(p.name for p in (work / "new").iterdir())
    journal = {"format": _JOURNAL_FORMAT, "work": work.name, "restored": restored}
    write_atomically(paths.root / RESTORE_JOURNAL, json.dumps(journal).encode())
    fsync_folder(paths.root)
    _swap(paths, work, restored)


def _swap(paths: DataPaths, work: Path, restored: list[str]) -> None:
    """Move the current files aside and the restored ones in. Each step is a rename that is
    skipped once done, so running it again after a kill finishes the job."""
    new, old = work / "new", work / "old"
    old.mkdir(exist_ok=True)
    for name in _swapped(paths):
        current, staged, aside = paths.root / name, new / name, old / name
        if name in restored and not os.path.lexists(staged):
            continue  # already moved in
        if os.path.lexists(current):
            if os.path.lexists(aside):  # set aside before; this one is not the original
                _remove(current)
            else:
                os.replace(current, aside)
        if name in restored:
            os.replace(staged, current)
    fsync_folder(paths.root)
    (paths.root / RESTORE_JOURNAL).unlink()
    fsync_folder(paths.root)


def _remove(path: Path) -> None:
    if path.is_dir():
        remove_tree(path)
    else:
        path.chmod(0o600)
        path.unlink()


def finish_interrupted_restore(paths: DataPaths) -> bool:
    """Finish a restore a killed process left half-swapped (the caller holds the folder's
    lock); returns whether there was one."""
    journal = paths.root / RESTORE_JOURNAL
    try:
        raw = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        raise DataFolderError(
            f"A restore into {paths.root} was interrupted, and its journal {journal.name} "
            f"cannot be read ({error}).",
            "Restore the latest backup again (File > Restore from backup…, or `j3490-desk "
            "backup restore FILE --replace`).",
        ) from error
    work = paths.root / str(raw.get("work", ""))
    if raw.get("format") != _JOURNAL_FORMAT or not work.name.startswith(RESTORE_WORK):
        raise DataFolderError(
            f"{journal} is not a restore journal of J3490 Desk.",
            "Move it out of the data folder, then restore the latest backup again.",
        )
    _swap(paths, work, [str(name) for name in raw.get("restored", [])])
    remove_tree(work)
    return True


def recover_data_folder(paths: DataPaths, *, locked: bool, read_only: bool = False) -> None:
    """Before a data folder is read: finish a restore a killed process left half-done, and
    remove what killed restores and attachment adds left behind. `locked`: the caller holds
    the folder's lock (the app window); otherwise it is taken for the moment, if there is
    anything to finish. Makes the folder and its files owner-only."""
    if (paths.root / RESTORE_JOURNAL).exists():
        if read_only:
            raise DataFolderError(
                f"A restore into {paths.root} was interrupted and is not finished yet.",
                "Open the folder once where it can be written to (or ask your IT person for "
                "write permission): that finishes it.",
            )
        ensure_writable_folder(paths.root)  # else: the message, and a read-only open may follow
        if locked:
            finish_interrupted_restore(paths)
        else:
            try:
                with InstanceLock(paths.lock_file):
                    finish_interrupted_restore(paths)
            except DataInUseError as error:
                raise DataInUseError(
                    f"A restore into {paths.root} is under way in a J3490 Desk window.",
                    "Wait until it has finished, then run the command again.",
                ) from error
    if read_only:
        return
    # Best effort: where we may not delete, they stay until someone who may opens the folder.
    with contextlib.suppress(OSError):
        remove_abandoned(paths.root, RESTORE_WORK)
        AttachmentStore(paths.attachments).remove_leftovers()
    protect_data_folder(paths)


def protect_data_folder(paths: DataPaths) -> None:
    """Owner-only (POSIX): the folder, the database and its logs, the key file, the head record,
    the backups beside them."""
    for path in (
        paths.root,
        paths.database,
        Path(f"{paths.database}-wal"),
        Path(f"{paths.database}-shm"),
        paths.root / SETTINGS_FILE,
        paths.root / ANCHOR_FILE,
        paths.attachments,
        paths.backups,
    ):
        make_private(path)
    if paths.backups.is_dir():
        for path in paths.backups.iterdir():
            make_private(path)
