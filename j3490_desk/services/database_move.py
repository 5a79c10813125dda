"""Moving up: a one-seat data folder's claims onto the clinic's shared server."""

from __future__ import annotations

import os

from j3490_desk.errors import DataFolderError
from j3490_desk.paths import DataPaths, resolve_data_dir
from j3490_desk.services.app_data import AppData, folder_key
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
    empty server database `url`, checked there, with the move written in the server's audit log.
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
    try:
        with InstanceLock(paths.lock_file):  # no app window saves into the folder meanwhile
            report = move_folder(paths, key, db, user=AppData(paths=paths, db=db).user)
    finally:
        db.dispose()
    if use_it:
        save_server_choice(paths.root, server)
    return server, report
