"""Back up, verify and restore a data folder or the shared server database; each step is
written in the audit log."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import j3490_desk
from j3490_desk.errors import DataFolderError, InvalidInputError
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.services.app_data import AppData, folder_key, open_app_data
from j3490_desk.storage import audit
from j3490_desk.storage.backup import (
    BackupProblem,
    check_restorable,
    create_backup,
    is_encrypted_backup,
    is_signed_backup,
    require_verified,
    restore_backup,
    verify_backup,
)
from j3490_desk.storage.database import ensure_writable_folder, open_database
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from j3490_desk.storage.instance_lock import InstanceLock
from j3490_desk.storage.server_copy import back_up_server, restore_to_server, server_is_empty
from j3490_desk.storage.server_database import ServerDatabase
from j3490_desk.storage.server_url import chosen_server

__all__ = [
    "BackupProblem",
    "back_up",
    "is_encrypted",
    "is_signed",
    "latest_backup",
    "restore",
    "restore_into_open_folder",
    "restore_over_damaged",
    "restore_target",
    "verify",
]


def back_up(data: AppData, folder: Path | None = None, *, passphrase: str | None = None) -> Path:
    """A backup of the open data (folder or shared server), into `folder` (default: the data
    folder's backups/). A folder's backup is encrypted when the folder is; a server's when a
    `passphrase` is given."""
    folder = folder or data.paths.backups
    if isinstance(data.db, ServerDatabase):
        target = back_up_server(
            data.db, folder, app_version=j3490_desk.__version__, passphrase=passphrase
        )
    elif passphrase is not None:
        raise InvalidInputError(
            "A data folder's backups are encrypted when the folder is; a passphrase of their "
            "own is for the shared database's backups.",
            "Leave out --encrypt, or encrypt the folder first (`j3490-desk encryption "
            "enable`). No backup was written.",
        )
    else:
        target = create_backup(
            data.paths, folder, app_version=j3490_desk.__version__, key=data.db.key
        )
    with data.db.write() as session:
        audit.record(
            session,
            user=data.user,
            action="backup",
            entity="data_folder",
            entity_id=None,
            changes={"file": (None, target.name)},
        )
    return target


def restore_into_open_folder(
    data: AppData, file: Path, *, passphrase: str | None = None
) -> Path | None:
    """Replace the data of the folder the app has open (it holds the folder's lock) with a
    backup's, then reopen the database; the data that was there is backed up first (the
    returned path). `passphrase` is the backup's, when it is encrypted."""
    passphrase = passphrase or os.environ.get(PASSPHRASE_ENV)
    if isinstance(data.db, ServerDatabase):
        return _restore_to_server(data, file, replace_existing=True, passphrase=passphrase)
    check_restorable(file, data.paths, passphrase=passphrase)  # before anything is closed
    old_key = data.db.key
    data.db.dispose()
    try:
        safety_copy = restore_backup(
            file, data.paths, replace_existing=True, passphrase=passphrase, current_key=old_key
        )
    except BaseException:
        data.db = open_database(data.paths, old_key)
        raise
    data.db = open_database(data.paths, folder_key(data.paths, passphrase))  # migrates too
    _record_restore(data, file)
    return safety_copy


def is_encrypted(file: Path) -> bool:
    """True for a backup of an encrypted folder: restoring or verifying it needs its passphrase."""
    return is_encrypted_backup(file)


def is_signed(file: Path) -> bool:
    """True for a backup whose manifest is signed with its folder's key (an encrypted one made
    by this version or later): `verify` then also proves nobody changed, swapped or removed
    a file in it. A plain backup's hashes only prove it is not damaged."""
    return is_signed_backup(file)


def verify(file: Path, *, passphrase: str | None = None) -> list[BackupProblem]:
    return verify_backup(file, passphrase=passphrase or os.environ.get(PASSPHRASE_ENV))


def restore(
    file: Path,
    data_dir: str | os.PathLike[str] | None,
    *,
    replace_existing: bool = False,
    passphrase: str | None = None,
) -> Path | None:
    """Restore with the folder locked against the app (or onto the seat's shared server);
    returns the safety copy taken first."""
    paths = DataPaths(resolve_data_dir(data_dir))
    if chosen_server(paths.root) is not None:
        data = open_app_data(paths.root)
        try:
            return _restore_to_server(
                data, file, replace_existing=replace_existing, passphrase=passphrase
            )
        finally:
            data.close()
    ensure_writable_folder(paths.root)  # a read-only folder: the message, not a traceback
    passphrase = passphrase or os.environ.get(PASSPHRASE_ENV)
    with InstanceLock(paths.lock_file):
        safety_copy = restore_backup(
            file, paths, replace_existing=replace_existing, passphrase=passphrase
        )
    data = open_app_data(paths.root, passphrase=passphrase)  # migrates an older version's
    try:
        _record_restore(data, file)
    finally:
        data.close()
    return safety_copy


def restore_target(data: AppData) -> str:
    """What a restore replaces, in the clerk's words."""
    if isinstance(data.db, ServerDatabase):
        return f"the shared database {data.db.server.label}, for every computer that uses it"
    return "this data folder"


def _restore_to_server(
    data: AppData, file: Path, *, replace_existing: bool, passphrase: str | None
) -> Path | None:
    """Every row on the server replaced by the backup's, in one transaction, and the restore
    written in the audit log; what was there is backed up first, into the seat's backups/
    folder (the returned path)."""
    assert isinstance(data.db, ServerDatabase)
    key = require_verified(file, passphrase=passphrase or os.environ.get(PASSPHRASE_ENV))
    safety_copy = None
    if not server_is_empty(data.db):
        if not replace_existing:
            raise DataFolderError(
                f"The shared database {data.db.server.label} already holds J3490 Desk data.",
                "Confirm replacing it (--replace); it is backed up first, into this seat's "
                "data folder. Nothing was restored.",
            )
        safety_copy = back_up_server(data.db, data.paths.backups, app_version="before-restore")
    report = restore_to_server(file, data.db, key)
    # An encrypted folder's backup: its HMAC key stays behind, say why the hashes are plain.
    rehashed = report.rehashed_audit_entries
    _record_restore(data, file, {"audit entries re-hashed without the folder key": rehashed})
    return safety_copy


def _record_restore(data: AppData, file: Path, more: dict[str, int] | None = None) -> None:
    changes = {name: (None, value) for name, value in (more or {}).items() if value}
    with data.db.write() as session:
        audit.record(
            session,
            user=data.user,
            action="restore",
            entity="data_folder",
            entity_id=None,
            changes={"file": (None, file.name), **changes},
        )


def latest_backup(data_dir: str | os.PathLike[str] | None) -> Path | None:
    """The newest backup file in the data folder's backups/ (where `backup create` writes)."""
    folder = DataPaths(resolve_data_dir(data_dir)).backups
    found = sorted(folder.glob("j3490-desk-backup-*.zip")) if folder.exists() else []
    return found[-1] if found else None


def restore_over_damaged(
    file: Path, data_dir: str | os.PathLike[str] | None, *, passphrase: str | None = None
) -> Path:
    """Set a damaged database aside (renamed, never deleted) and restore `file` in its place.

    Returns where the damaged file now is, so support can still look at it."""
    paths = DataPaths(resolve_data_dir(data_dir))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = paths.root / f"claims-damaged-{stamp}.sqlite"
    passphrase = passphrase or os.environ.get(PASSPHRASE_ENV)
    check_restorable(file, paths, passphrase=passphrase)  # before anything moves
    with InstanceLock(paths.lock_file):
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{paths.database}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{kept}{suffix}"))
    restore(file, paths.root, passphrase=passphrase)
    return kept
