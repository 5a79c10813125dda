"""reference.sqlite: opening, checking and versioning it, and the record of each import.

Plain sqlite3 in WAL mode, so look-ups keep answering while an import writes. Every import
is one `BEGIN IMMEDIATE` transaction: a failure or a cancel rolls back to the data loaded
before. The file only holds public data, so a damaged one can simply be deleted and the
files imported again; a file from a newer app version is refused untouched.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from j3490_desk.errors import (
    DatabaseDamagedError,
    DataFolderError,
    KnownError,
    NewerDatabaseError,
    StorageError,
)
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.schema import APPLICATION_ID, OPPS_DDL, SCHEMA_DDL, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ImportRecord:
    """One imported file, as import_log keeps it."""

    id: int
    kind: FileKind
    file_name: str
    sha256: str
    effective_from: date
    effective_to: date | None
    imported_at: datetime
    rows_read: int
    rows_kept: int
    rows_rejected: int


_IMPORT_COLUMNS = (
    "id, kind, file_name, sha256, effective_from, effective_to, imported_at, "
    "rows_read, rows_kept, rows_rejected"
)


def _import_record(row: sqlite3.Row | tuple[object, ...]) -> ImportRecord:
    (id_, kind, name, sha, start, end, imported, read, kept, rejected) = tuple(row)
    return ImportRecord(
        id=int(str(id_)),
        kind=FileKind(str(kind)),
        file_name=str(name),
        sha256=str(sha),
        effective_from=date.fromisoformat(str(start)),
        effective_to=date.fromisoformat(str(end)) if end else None,
        imported_at=datetime.fromisoformat(str(imported)),
        rows_read=int(str(read)),
        rows_kept=int(str(kept)),
        rows_rejected=int(str(rejected)),
    )


class ReferenceStore:
    """One connection to reference.sqlite. Safe to share between threads (calls are locked)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.lock = threading.RLock()

    @classmethod
    def open(cls, path: Path) -> ReferenceStore:
        _check_folder(path.parent)
        _check_is_sqlite(path)
        try:
            connection = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as error:
            raise _open_problem(path, error) from error
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            _check_and_migrate(connection, path)
        except sqlite3.DatabaseError as error:
            connection.close()
            raise _open_problem(path, error) from error
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; anything raised inside (a cancel too) rolls back."""
        with self.lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")

    def data_version(self) -> int:
        """Changes whenever another connection commits: caches compare it to stay fresh."""
        with self.lock:
            return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def imports(self, kind: FileKind | None = None) -> list[ImportRecord]:
        """Imports whose rows are loaded now, oldest effective date first."""
        sql = f"SELECT {_IMPORT_COLUMNS} FROM import_log WHERE replaced_by IS NULL"
        params: tuple[str, ...] = ()
        if kind is not None:
            sql += " AND kind = ?"
            params = (kind.value,)
        with self.lock:
            rows = self.connection.execute(sql + " ORDER BY effective_from, id", params)
            return [_import_record(row) for row in rows.fetchall()]

    def import_with_sha256(self, sha256: str) -> ImportRecord | None:
        """The loaded import of a file with this fingerprint, if its rows are still loaded."""
        with self.lock:
            row = self.connection.execute(
                f"SELECT {_IMPORT_COLUMNS} FROM import_log "
                "WHERE sha256 = ? AND replaced_by IS NULL",
                (sha256,),
            ).fetchone()
        return _import_record(row) if row else None


def _check_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(
            f"Cannot create the data folder {folder}: {error.strerror}.",
            "Choose a folder you can write to with --data-dir, or fix its permissions.",
        ) from error


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as stream:
        if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise _damaged(path)


def _open_problem(path: Path, error: sqlite3.Error) -> KnownError:
    """What stopped the file opening, said truly: a folder that cannot be written, a full disk
    or a busy file is not damage (issue 18 item 13)."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return DataFolderError(
            f"{path.name} cannot be written: the folder {path.parent} is read-only. Nothing "
            "was changed.",
            "Ask your IT person for write permission on the data folder, or choose another "
            "folder with --data-dir.",
        )
    if name.startswith("SQLITE_FULL"):
        return StorageError(
            f"The disk holding {path.parent} is full; the reference data was not changed.",
            "Free some disk space, then run the command again.",
        )
    if name.startswith("SQLITE_IOERR"):  # a full disk often shows here first (the -shm file)
        return StorageError(
            f"{path.name} could not be read or written ({name}): the disk holding "
            f"{path.parent} may be full, removed or failing. The reference data was not changed.",
            "Free some disk space or reconnect the drive, then run the command again.",
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(
            f"Another program is holding {path.name}; nothing was changed.",
            "Wait a moment and run the command again.",
        )
    return _damaged(path)


def _damaged(path: Path) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        f"{path.name} is damaged or is not a J3490 Desk reference database.",
        f"It holds only public FDA/CMS data: move {path} aside and import the files again.",
    )


def _check_and_migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"{path.name} was written by a newer version of J3490 Desk "
            f"(reference schema {version}; this version reads up to {SCHEMA_VERSION}).",
            "Update J3490 Desk, or use a different data folder.",
        )
    if version == 0:
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise _damaged(path)
        _create_schema(connection)
    elif application_id != APPLICATION_ID:
        raise _damaged(path)
    elif version == 1:
        _run_ddl(connection, OPPS_DDL, from_version=1)


def _create_schema(connection: sqlite3.Connection) -> None:
    _run_ddl(connection, SCHEMA_DDL, from_version=0)


def _run_ddl(connection: sqlite3.Connection, statements: list[str], from_version: int) -> None:
    """Create or upgrade the schema in one transaction; another process may have done it."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != from_version:
            connection.execute("ROLLBACK")
            return
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
