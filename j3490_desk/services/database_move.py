"""Moving up: a one-seat data folder's claims onto the clinic's shared server."""

from __future__ import annotations

import os

from j3490_desk.errors import DataFolderError
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.services.app_data import AppData, folder_key
from j3490_desk.storage import audit
from j3490_desk.storage.instance_lock import InstanceLock
from j3490_desk.storage.restore_swap import RESTORE_JOURNAL
from j3490_desk.storage.server_copy import CopyReport, move_folder
from j3490_desk.storage.server_database import open_server_database
from j3490_desk.storage.server_url import ServerAddress, parse_server_url, save_server_choice

__all__ = ["CopyReport", "move_to"]


def move_to(
    data_dir: str | os.PathLike[str] | None,
    url: str,
    *,
    passphrase: str | None = None,
    use_it: bool = False,
) -> tuple[ServerAddress, CopyReport]:
    """Copy the folder's claims, everything else in its database and its attachments into the
    empty server database `url`, checked there, and write the move in the server's audit log.
    The folder's own files are only read (`use_it` then saves the server as this seat's)."""
    server = parse_server_url(url)
    paths = DataPaths(resolve_data_dir(data_dir))
    if not paths.database.exists():
        raise DataFolderError(
            f"There is no J3490 Desk database in {paths.root} to move.",
            "Give the data folder to move with --data-dir (or J3490_DESK_DATA_DIR).",
        )
    if (paths.root / RESTORE_JOURNAL).exists():
        raise DataFolderError(
            f"A restore into {paths.root} was interrupted and is not finished yet.",
            "Open the folder once in J3490 Desk (that finishes it), then move it.",
        )
    key = folder_key(paths, passphrase)
    # Opening it makes the tables in an empty database, and refuses another program's, a newer
    # version's, or a server that cannot be reached, before the folder is read.
    db = open_server_database(server)
    data = AppData(paths=paths, db=db)
    try:
        with InstanceLock(paths.lock_file):  # no app window saves into the folder meanwhile
            report = move_folder(paths, key, db)
        with data.db.write() as session:
            audit.record(
                session,
                user=data.user,
                action="move",
                entity="data_folder",
                entity_id=None,
                changes=_move_changes(paths, report),
            )
    finally:
        data.close()
    if use_it:
        save_server_choice(paths.root, server)
    return server, report


def _move_changes(paths: DataPaths, report: CopyReport) -> dict[str, tuple[object, object]]:
    changes: dict[str, tuple[object, object]] = {"moved from": (None, str(paths.root))}
    if report.rehashed_audit_entries:
        # The encrypted folder's HMAC key stays behind: say in the log itself why the hashes
        # of the entries before this one are plain SHA-256 now.
        changes["audit entries re-hashed without the folder key"] = (
            None,
            report.rehashed_audit_entries,
        )
    return changes
