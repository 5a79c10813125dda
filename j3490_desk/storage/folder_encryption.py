"""Turning a plain data folder into an encrypted one, safely and resumably.

The caller writes `encryption.json` first and holds the folder's instance lock. Then every
step here is atomic and skipped when already done, so a run cut short (power cut, killed
process) is finished by running it again, and no moment exists where data is only in a
half-written file: the plain database stays in place until its encrypted copy has been
checked, and each attachment is replaced by a rename.
"""

from __future__ import annotations

import os
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from j3490_desk.paths import DataPaths
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.connections import connect, driver, is_plain_sqlite, raw_key
from j3490_desk.storage.encryption import DataKey
from j3490_desk.storage.filesystems import fsync_folder

PRE_MIGRATION_COPIES = "claims-before-migration-*.sqlite"
# Present from before the key file is written until the last file is encrypted.
IN_PROGRESS_MARKER = ".encryption-in-progress"


@dataclass(frozen=True)
class EncryptionReport:
    databases: int
    attachments: int


def is_unfinished(paths: DataPaths) -> bool:
    """Something may still be plain: an earlier run was interrupted."""
    if (paths.root / IN_PROGRESS_MARKER).exists():
        return True
    return paths.database.exists() and is_plain_sqlite(paths.database)


def mark_in_progress(paths: DataPaths) -> None:
    (paths.root / IN_PROGRESS_MARKER).touch()
    fsync_folder(paths.root)


def encrypt_folder(paths: DataPaths, key: DataKey) -> EncryptionReport:
    """Encrypt what is still plain: the claims database, the copies taken before migrations
    (they hold the same claims) and every stored attachment. Reference data is public."""
    mark_in_progress(paths)
    databases = 0
    for path in [paths.database, *sorted(paths.backups.glob(PRE_MIGRATION_COPIES))]:
        if path.exists() and is_plain_sqlite(path):
            encrypt_database(path, key)
            databases += 1
    store = AttachmentStore(paths.attachments, key)
    attachments = sum(store.encrypt_in_place(sha256) for sha256 in store.stored_hashes())
    (paths.root / IN_PROGRESS_MARKER).unlink()
    fsync_folder(paths.root)
    return EncryptionReport(databases, attachments)


def encrypt_database(path: Path, key: DataKey) -> None:
    """Replace a plain SQLite file by an encrypted copy made with `sqlcipher_export`."""
    partial = path.with_name(f"{path.name}.encrypting")
    partial.unlink(missing_ok=True)  # left by an interrupted run; the plain file is still whole
    with closing(driver(key).connect(str(path), isolation_level=None)) as plain:
        # Fold the write-ahead log into the file: it is deleted below, and must be empty then.
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE {_quoted(str(partial))} AS encrypted KEY {raw_key(key)}")
        plain.execute("BEGIN IMMEDIATE")  # a consistent snapshot, other writers held off
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA main.user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        expected = _row_counts(plain, "main")
        plain.execute("COMMIT")
        plain.execute("DETACH DATABASE encrypted")
    _check_copy(partial, key, expected)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    # Closed first: Windows cannot rename over an open file. The caller's instance lock keeps
    # the app out meanwhile; the log was checkpointed empty, so dropping it loses nothing.
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    fsync_folder(path.parent)


def _check_copy(partial: Path, key: DataKey, expected: dict[str, int]) -> None:
    with closing(connect(partial, key)) as copy:
        result = copy.execute("PRAGMA integrity_check").fetchone()
        counts = _row_counts(copy, "main")
    if result is None or result[0] != "ok" or counts != expected:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"the encrypted copy of {partial.name} does not match the original")


def _row_counts(connection: Any, schema: str) -> dict[str, int]:
    """Any: an sqlite3 or an SQLCipher connection, which share the DB-API but no type."""
    execute = connection.execute
    tables = [
        row[0]
        for row in execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    ]
    return {t: execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0] for t in tables}


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
