"""Whole-database copies to and from the clinic's server: moving a one-seat folder onto it,
backing it up, and restoring a backup onto it.

Each runs in one server transaction, so the server has either all of it or none of it:
- a move fills a database with no rows yet (its tables made by `open_server_database`) from
  a copy of the folder's SQLite file, migrated to head in a temporary folder, so the data
  folder itself is only ever read;
- a backup reads the server in one REPEATABLE READ, read-only transaction (every table as of
  the same moment) into an SQLite snapshot at the server's schema revision, and writes the
  same zip as a folder's backup (`storage.backup.write_backup`);
- a restore replaces every row (TRUNCATE, then the backup's rows) after the backup verified.

Before a move or a restore commits, what landed on the server is read back and compared with
its source: the row count of every table, every attachment's SHA-256, and the audit chain.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlmodel import Session

from j3490_desk.errors import DataFolderError, InvalidInputError, StorageError
from j3490_desk.paths import DataPaths
from j3490_desk.storage import audit
from j3490_desk.storage.attachment_store import AttachmentStore, ContentState
from j3490_desk.storage.backup import (
    ATTACHMENTS_MEMBER,
    DATABASE_MEMBER,
    unpack_backup,
    write_backup,
)
from j3490_desk.storage.connections import connect
from j3490_desk.storage.database import Database, check_database_file, migrate, upgrade_schema
from j3490_desk.storage.database_attachment_store import DatabaseAttachmentStore
from j3490_desk.storage.encryption import SETTINGS_FILE, DataKey, new_key, write_settings
from j3490_desk.storage.server_database import ServerDatabase, translated_errors
from j3490_desk.storage.table_copy import (
    clear_server,
    copy_rows,
    lock_server,
    reset_sequences,
    row_counts,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


class CopyCheckFailedError(StorageError):
    """What landed on the server is not what was copied: the transaction was rolled back."""


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # table -> rows copied (and counted again on the server)
    attachments: int  # distinct contents copied, each read back and re-hashed
    missing_attachments: list[str]  # SHA-256s the rows name that the source did not hold
    rehashed_audit_entries: int  # an encrypted source's: checked with its key, then re-hashed


# --- a one-seat folder onto an empty server database -----------------------------------------


def move_folder(
    paths: DataPaths, key: DataKey | None, db: ServerDatabase, *, user: str
) -> CopyReport:
    """Copy the folder's claims database and attachments into the server database `db`, which
    holds no rows (`open_server_database` made its tables, or refused another program's), and
    write the move, by `user`, in the server's audit log in the same transaction."""
    with tempfile.TemporaryDirectory(prefix="j3490-move-") as work:
        snapshot = DataPaths(Path(work))
        before = _file_states(paths.database)
        # An immutable open creates no -wal and -shm beside the database (a read-only one
        # would leave both); only when a log of changes is there already (a program has the
        # folder open, or was killed) is it read through that log, beside the files there.
        # Either way, what is read is checked to be unchanged before the server commits.
        immutable = before[1] is None or before[1][0] == 0
        check_database_file(paths.database, key, immutable=immutable)
        with (
            closing(connect(paths.database, key, read_only=True, immutable=immutable)) as source,
            closing(connect(snapshot.database, key)) as copy,
        ):
            source.backup(copy)
        migrate(snapshot, key=key)  # the copy, never the folder, brought to this version
        with translated_errors(db.server), db.engine().connect() as target, target.begin():
            lock_server(target)  # a seat saving now waits for the move, then follows its ids
            _require_empty(db, target)
            report = _fill(db, target, snapshot.database, paths.attachments, key)
            if _file_states(paths.database) != before:
                raise DataFolderError(
                    f"The claims database in {paths.root} changed while it was being copied "
                    "(another J3490 Desk command saved into it), so nothing was copied.",
                    "Let the other command finish, close J3490 Desk on this computer, and run "
                    "the move again.",
                )
            _record_move(target, paths, report, user)
            return report


def _record_move(target: Connection, paths: DataPaths, report: CopyReport, user: str) -> None:
    changes: dict[str, tuple[object, object]] = {"moved from": (None, str(paths.root))}
    if report.rehashed_audit_entries:
        # The encrypted folder's HMAC key stays behind: the log itself says why the entries
        # before this one are hashed with plain SHA-256 now.
        changes["audit entries re-hashed without the folder key"] = (
            None,
            report.rehashed_audit_entries,
        )
    with Session(bind=target) as session:
        audit.record(
            session,
            user=user,
            action="move",
            entity="data_folder",
            entity_id=None,
            changes=changes,
        )
        session.flush()


def _file_states(database: Path) -> list[tuple[int, int] | None]:
    """Size and modification time of the database and its write-ahead log (None: no file)."""
    states: list[tuple[int, int] | None] = []
    for path in (database, Path(f"{database}-wal")):
        try:
            found = path.stat()
        except FileNotFoundError:
            states.append(None)
            continue
        states.append((found.st_size, found.st_mtime_ns))
    return states


def _require_empty(db: ServerDatabase, target: Connection) -> None:
    counts = row_counts(target)
    if any(counts.values()) or _stored_hashes(db, target):
        raise InvalidInputError(
            f"The database {db.server.label} already holds J3490 Desk data "
            f"({counts.get('claim', 0)} claims), so nothing was copied into it.",
            "Moving copies a folder into an EMPTY database only: ask your IT person for a new "
            "one (CREATE DATABASE). If this is already the clinic's database, point this seat "
            "at it instead (Settings > Data, or --database-url). The data folder was not "
            "changed.",
        )


# --- restoring a backup onto the server -------------------------------------------------------


def restore_to_server(file: Path, db: ServerDatabase, key: DataKey | None) -> CopyReport:
    """Replace every row on the server with the backup's, in one transaction, so a failure
    part-way leaves the server as it was. The caller verified the backup first
    (`storage.backup.require_verified`, which gives its `key`)."""
    with tempfile.TemporaryDirectory(prefix="j3490-restore-") as work:
        unpacked = DataPaths(Path(work) / "backup")
        unpack_backup(file, unpacked.root, key)
        migrate(unpacked, key=key)  # a backup of an older version, brought to this one's schema
        with (
            translated_errors(db.server),
            db.engine().connect() as target,
            target.begin(),
        ):
            clear_server(target)
            return _fill(db, target, unpacked.database, unpacked.attachments, key)


def server_is_empty(db: ServerDatabase) -> bool:
    with translated_errors(db.server), db.engine().connect() as connection:
        return not any(row_counts(connection).values()) and not _stored_hashes(db, connection)


def _stored_hashes(db: ServerDatabase, connection: Connection) -> list[str]:
    """The attachment content on the server (none before schema 0009 made its tables)."""
    if not inspect(connection).has_table("attachment_content"):
        return []
    with Session(bind=connection) as session:
        return list(DatabaseAttachmentStore(db).stored_hashes(session=session))


# --- what a move and a restore share ----------------------------------------------------------


def _fill(
    db: ServerDatabase, target: Connection, database: Path, attachments: Path, key: DataKey | None
) -> CopyReport:
    """The rows of the SQLite `database` (at the head schema) and the content in the store at
    `attachments` into the server's empty tables, then read back and compared."""
    engine = Database(database, key).engine(immediate=False)
    try:
        with engine.connect() as source, source.begin():
            rows = copy_rows(source, target)
            source_rows = row_counts(source)
            source_breaks = _audit_breaks(source, key)
    finally:
        engine.dispose()
    folder_store, server_store = AttachmentStore(attachments, key), DatabaseAttachmentStore(db)
    hashes = list(folder_store.stored_hashes())
    with Session(bind=target) as session:  # the content in the same transaction as the rows
        for sha256 in hashes:
            content = folder_store.read_bytes(sha256)
            with server_store.staged(content, max_bytes=len(content)) as staged:
                if staged.sha256 != sha256:
                    raise DataFolderError(
                        f"Attachment content {sha256[:12]}… is damaged, so nothing was copied.",
                        "`j3490-desk attachments verify` lists the attachments affected: "
                        "restore the folder from a backup, or attach those files again, then "
                        "try again.",
                    )
                server_store.keep(staged, session=session)
        content_problems = [
            f"attachment {sha256} is {state} on the server"
            for sha256 in hashes
            if (state := server_store.state(sha256, session=session)) is not ContentState.OK
        ]
    reset_sequences(target)
    rehashed = 0
    if key is not None:
        rehashed = _unkey_audit_chain(target, source_breaks)
        source_breaks = []
    problems = [
        f"table {name} has {count} rows on the server and {source_rows.get(name)} in the source"
        for name, count in row_counts(target).items()
        if count != source_rows.get(name)
    ]
    problems += content_problems
    if _audit_breaks(target, None) != source_breaks:
        problems.append("the audit log does not verify the same way on the server")
    if problems:
        raise CopyCheckFailedError(
            f"The copy on the server did not match its source ({problems[0]}); it was undone.",
            "Nothing was changed on the server or in the source. Try again; if it happens "
            "again, ask your IT person to check the server.",
        )
    referenced = target.exec_driver_sql("SELECT DISTINCT sha256 FROM attachment").scalars()
    missing = sorted(set(referenced) - set(hashes))
    return CopyReport(
        rows=rows,
        attachments=len(hashes),
        missing_attachments=missing,
        rehashed_audit_entries=rehashed,
    )


def _unkey_audit_chain(target: Connection, breaks: list[audit.ChainBreak]) -> int:
    """An encrypted folder's audit hashes are HMACs under its key, which the server does not
    have: once they verified with it, they are re-hashed so the server can check them."""
    if breaks:
        raise DataFolderError(
            f"The audit log of the encrypted data has {len(breaks)} break(s) (the first: "
            f"{breaks[0].problem}), so it cannot be carried over; nothing was copied.",
            "Run `j3490-desk audit verify` to see them, and restore the folder from a backup "
            "made before they appeared.",
        )
    with Session(bind=target) as session:
        return audit.rehash_without_key(session)


def _audit_breaks(connection: Connection, key: DataKey | None) -> list[audit.ChainBreak]:
    with Session(bind=connection) as session:
        return audit.verify_chain(session, key=key)


# --- backing up the server --------------------------------------------------------------------


def back_up_server(
    db: ServerDatabase, folder: Path, *, app_version: str, passphrase: str | None = None
) -> Path:
    """A backup of the server database into `folder`: the same zip a data folder's backup is,
    encrypted with a new key under `passphrase` when one is given."""
    settings, key = new_key(passphrase) if passphrase is not None else (None, None)

    def snapshot(work: Path) -> dict[str, Path]:
        members = {DATABASE_MEMBER: work / DATABASE_MEMBER}
        folder_store = AttachmentStore(work / ATTACHMENTS_MEMBER, key)
        server_store = DatabaseAttachmentStore(db)
        with (
            translated_errors(db.server),
            _consistent_read(db.engine()) as source,
            Session(bind=source) as session,
        ):
            revision = source.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            copy = Database(members[DATABASE_MEMBER], key).engine(immediate=True)
            try:
                with copy.begin() as target:
                    upgrade_schema(target, str(revision))  # the server's schema, column for column
                    copy_rows(source, target)
            finally:
                copy.dispose()
            for sha256 in _stored_hashes(db, source):
                content = server_store.read_bytes(sha256, session=session)  # checks its SHA-256
                with folder_store.staged(content, max_bytes=len(content)) as staged:
                    path = folder_store.keep(staged)
                members[path.relative_to(work).as_posix()] = path
        if settings is not None:
            write_settings(work, settings)
            members[SETTINGS_FILE] = work / SETTINGS_FILE
        return members

    return write_backup(folder, app_version=app_version, key=key, snapshot=snapshot)


@contextmanager
def _consistent_read(engine: Engine) -> Iterator[Connection]:
    """One REPEATABLE READ, read-only transaction: every table as of the same moment."""
    with engine.connect() as connection:
        snapshot = connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        with snapshot.begin():
            yield snapshot
