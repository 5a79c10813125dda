"""The claims database: one SQLite file in WAL mode, checked and migrated before use.

Opening it never modifies a file that is not ours: a foreign or damaged file, or one written
by a newer version of the app, is refused with a message saying what to do, untouched.
Every write runs in one `BEGIN IMMEDIATE` transaction (`Database.write()`), so two
processes on the same folder queue up instead of failing half-way.

A folder the user may not write (a read-only share, a copy on a DVD) can still be read:
`open_database(..., read_only=True)` checks and migrates nothing it would have to write, and
opens SQLite with `immutable=1`, as a WAL database cannot otherwise be opened where SQLite
cannot create its -shm file.

Closing a writable database refreshes SQLite's statistics (`refresh_statistics`) when they are
missing or stale: the query planner needs them to pick the right index for the work queue.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from j3490_desk.errors import (
    DatabaseDamagedError,
    DataFolderError,
    EncryptionUnfinishedError,
    NewerDatabaseError,
    StorageError,
)
from j3490_desk.paths import DataPaths
from j3490_desk.storage.connections import (
    connect,
    database_errors,
    driver,
    is_plain_sqlite,
)
from j3490_desk.storage.encryption import DataKey

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine
    from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision. Opening a database already at it skips importing Alembic,
# which is most of start-up; a test keeps this equal to Alembic's own head.
SCHEMA_HEAD = "0009"
BUSY_TIMEOUT_MS = 10_000
# Closing waits at most this long for another program's write to refresh the statistics.
STATISTICS_TIMEOUT_S = 0.5


class FolderNotWritableError(DataFolderError):
    """The data folder cannot be written to; a command that only reads may open it read-only."""


class Database:
    """Two engines on one file: reads begin deferred, writes begin IMMEDIATE.

    The engines (and SQLAlchemy with them) are made on first use: importing the ORM costs
    more than the rest of start-up, and the main window's first page does not need it.
    A `read_only` database opens every connection immutable and refuses every write.
    """

    shared = False  # one seat's own file; ServerDatabase is the clinic's shared one

    def __init__(self, path: Path, key: DataKey | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.key = key
        self.read_only = read_only
        self._engines: dict[bool, Engine] = {}

    def engine(self, *, immediate: bool) -> Engine:
        if immediate not in self._engines:
            self._engines[immediate] = _engine(
                self.path, self.key, immediate=immediate, read_only=self.read_only
            )
        return self._engines[immediate]

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine(immediate=False), expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        A full disk, a read-only file or a database held too long by another program is the
        environment's fault, not a bug: it becomes a StorageError the user can act on.
        """
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        if self.read_only:
            raise StorageError(*_READ_ONLY_PROBLEM)
        try:
            with (
                Session(self.engine(immediate=True), expire_on_commit=False) as session,
                session.begin(),
            ):
                # For the audit log: where its head record goes, and the key it is signed with.
                session.info.update(data_folder=self.path.parent, data_key=self.key)
                yield session
        except OperationalError as error:
            raise _storage_error(error) from error

    @contextmanager
    def read_plain(self) -> Iterator[sqlite3.Connection]:
        """A read-only DB-API connection, for list queries that must be fast without the ORM."""
        with closing(
            connect(self.path, self.key, read_only=True, immutable=self.read_only)
        ) as connection:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            yield connection

    def dispose(self) -> None:
        """Close every connection; then, unless read-only, bring SQLite's statistics up to date."""
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        if not self.read_only:
            refresh_statistics(self.path, self.key)


def refresh_statistics(path: Path, key: DataKey | None = None) -> None:
    """Let SQLite's `PRAGMA optimize` analyse the tables whose statistics are missing or stale.

    Without statistics (sqlite_stat1) the planner guesses, and picks an index that barely
    narrows the rows over one that does: the prior-auth queues read nearly every claim through
    ix_claim_status instead of ix_claim_prior_auth_valid_to. `analysis_limit` keeps each
    ANALYZE to a sample (milliseconds at 100,000 claims); optimize writes only when a table
    has no statistics yet or has grown or shrunk 25-fold since. Best effort: a file that is
    locked, gone or unreadable keeps the statistics it has, and the next close tries again.
    """
    if not path.exists():  # connecting would create an empty file
        return
    try:
        with closing(connect(path, key, timeout=STATISTICS_TIMEOUT_S)) as connection:
            connection.execute("PRAGMA analysis_limit=400")
            # optimize only looks at the tables this connection's queries could have used an
            # index of (before SQLite 3.46, even with 0x10000 "every table"): plan one query
            # per index, so it weighs every indexed table, as a long-lived connection would.
            indexes = connection.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql NOT NULL"
            ).fetchall()
            for table, index in indexes:
                column = connection.execute(f'PRAGMA index_info("{index}")').fetchone()
                if column is not None and column[2] is not None:
                    connection.execute(
                        f'EXPLAIN SELECT 1 FROM "{table}" WHERE "{column[2]}" = ?', (None,)
                    ).fetchall()
            connection.execute("PRAGMA optimize=0x10002")
    except database_errors(key):
        pass


def open_database(
    paths: DataPaths, key: DataKey | None = None, *, read_only: bool = False
) -> Database:
    """Check the folder and the file, back up and migrate if needed, and open the database.

    `read_only` writes nothing, so it needs no write permission anywhere: the file must
    already be at SCHEMA_HEAD, and every change must be in it (no write-ahead log to merge).
    """
    if read_only:
        _check_readable_as_is(paths, key)
        return Database(paths.database, key, read_only=True)
    ensure_writable_folder(paths.root)
    check_database_file(paths.database, key)
    if current_revision(paths.database, key) != SCHEMA_HEAD:
        migrate(paths, key=key)
    return Database(paths.database, key)


def ensure_writable_folder(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".write-test-"):
            pass
    except OSError as error:
        raise FolderNotWritableError(
            f"The data folder {root} cannot be written to ({error.strerror or error}).",
            "Choose a folder you can write to with --data-dir, or ask your IT person to give "
            "your user write permission on it. Nothing in it was changed.",
        ) from error


def _check_readable_as_is(paths: DataPaths, key: DataKey | None) -> None:
    """Refuse what a read-only open would get wrong: no file, a log of changes not yet merged
    into it (an immutable open would not see them), or a schema that needs an upgrade."""
    path = paths.database
    if not path.exists():
        raise DataFolderError(
            f"There is no J3490 Desk database in {paths.root} to read.",
            "Check the folder given with --data-dir or J3490_DESK_DATA_DIR.",
        )
    log = Path(f"{path}-wal")
    if log.exists() and log.stat().st_size > 0:
        raise DataFolderError(
            f"The database in {paths.root} has recent changes still in {log.name}, which only "
            "a data folder that can be written to can merge in; read as it is, the database "
            "would show them missing.",
            "Ask your IT person to give your user write permission on the data folder, then "
            "run the command again. Nothing in it was changed.",
        )
    check_database_file(path, key, immutable=True)
    revision = current_revision(path, key, immutable=True)
    if revision == SCHEMA_HEAD:
        return
    from alembic.script import ScriptDirectory

    if revision is not None and not _known_revision(
        ScriptDirectory.from_config(_alembic_config()), revision
    ):
        raise NewerDatabaseError(
            f"{path} was written by a newer version of J3490 Desk (schema {revision}).",
            "Install the newer version of J3490 Desk to open it. The file was not changed.",
        )
    raise DataFolderError(
        f"The database in {paths.root} was written by an older version of J3490 Desk (schema "
        f"{revision or 'none'}; this version reads {SCHEMA_HEAD}), and it cannot be upgraded "
        "in place: the data folder cannot be written to.",
        "Ask your IT person to give your user write permission on the data folder, then open "
        "it once to upgrade it. Nothing in it was changed.",
    )


def check_database_file(path: Path, key: DataKey | None = None, *, immutable: bool = False) -> None:
    """Refuse a file that is not a healthy SQLite database, without writing to it."""
    if not path.exists():
        return
    plain = is_plain_sqlite(path)
    if key is None and not plain:
        raise DatabaseDamagedError(
            f"{path} is not a J3490 Desk database (it is not an SQLite file, or it is empty).",
            "If this folder was encrypted, its encryption.json is missing: restore it from your "
            "latest backup. Otherwise move that file somewhere safe and restore your latest "
            "backup, or start with an empty data folder. The file was not changed.",
        )
    if key is not None and plain:
        raise EncryptionUnfinishedError(
            f"Encrypting {path.parent} was interrupted: the claims database is not encrypted yet.",
            "Run `j3490-desk encryption enable` again, or open the app, to finish it. Nothing "
            "was lost.",
        )
    try:
        with closing(connect(path, key, read_only=True, immutable=immutable)) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except database_errors(key) as error:
        raise DatabaseDamagedError(
            f"{path} is damaged and cannot be read ({error}).",
            "Restore your latest backup (an encrypted folder also needs the encryption.json "
            "that came with it). The damaged file was not changed.",
        ) from error
    if result is None or result[0] != "ok":
        raise DatabaseDamagedError(
            f"{path} failed its integrity check ({result[0] if result else 'no answer'}).",
            "Restore your latest backup. The damaged file was not changed.",
        )
    if tables and "alembic_version" not in tables:
        raise DatabaseDamagedError(
            f"{path} is an SQLite file of some other program, not a J3490 Desk database.",
            "Point J3490 Desk at its own data folder (--data-dir). The file was not changed.",
        )


def _alembic_config(connection: Any = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(
    path: Path, key: DataKey | None = None, *, immutable: bool = False
) -> str | None:
    """The schema revision stamped in the file, read without writing to it."""
    if not path.exists():
        return None
    with closing(connect(path, key, read_only=True, immutable=immutable)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except driver(key).OperationalError:  # no such table: an empty file not yet migrated
            return None
    return str(row[0]) if row else None


def migrate(
    paths: DataPaths, *, to_revision: str = "head", key: DataKey | None = None
) -> Path | None:
    """Upgrade the database to `to_revision`; returns the backup taken first, if any."""
    from alembic.script import ScriptDirectory

    path = paths.database
    current = current_revision(path, key)
    scripts = ScriptDirectory.from_config(_alembic_config())
    if current is not None and not _known_revision(scripts, current):
        raise NewerDatabaseError(
            f"{path} was written by a newer version of J3490 Desk (schema {current}).",
            "Install the newer version of J3490 Desk to open it. The file was not changed.",
        )
    target = scripts.get_current_head() if to_revision == "head" else to_revision
    if current == target:
        return None
    backup = backup_before_migration(paths, current, key) if current is not None else None
    # Foreign keys off while migrating: SQLite alters a table by copying it and dropping the
    # old one, and with them on that drop would cascade-delete every child row (drug lines!).
    engine = _engine(path, key, immediate=True, foreign_keys=False)
    try:
        with engine.begin() as connection:
            upgrade_schema(connection, to_revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left {len(broken)} rows with broken references")
    finally:
        engine.dispose()
    return backup


def upgrade_schema(connection: Any, to_revision: str = "head") -> None:
    """Run the migrations on an open connection, inside its transaction (either engine)."""
    from alembic import command

    command.upgrade(_alembic_config(connection), to_revision)


def migrate_connection(
    connection: Any, label: str, *, before_upgrade: Callable[[str], None] | None = None
) -> None:
    """Bring a shared server's database to the head schema, refusing one a newer app wrote;
    `before_upgrade` gets the revision of a database that is ours and older (to back it up)."""
    from alembic.script import ScriptDirectory

    from j3490_desk.storage.server_database import refuse_unknown_revision

    row = (
        connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        if _has_alembic_table(connection)
        else None
    )
    if row is not None and not _known_revision(
        ScriptDirectory.from_config(_alembic_config()), str(row[0])
    ):
        raise refuse_unknown_revision(label, str(row[0]))
    if row is not None and before_upgrade is not None:
        before_upgrade(str(row[0]))
    upgrade_schema(connection)


def _has_alembic_table(connection: Any) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(connection).has_table("alembic_version"))


def is_known_revision(revision: str) -> bool:
    """True for a schema revision this version's migrations know: the head or an older one."""
    from alembic.script import ScriptDirectory

    return _known_revision(ScriptDirectory.from_config(_alembic_config()), revision)


def _known_revision(scripts: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False


def backup_before_migration(paths: DataPaths, revision: str, key: DataKey | None = None) -> Path:
    """A consistent copy through SQLite's online backup API, written under a temporary name
    (encrypted with the same key as the database, so no plain copy of an encrypted folder)."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = paths.backups / f"claims-before-migration-{revision}-{stamp}.sqlite"
    partial = target.with_suffix(".partial")
    with (
        closing(connect(paths.database, key)) as source,
        closing(connect(partial, key)) as copy,
    ):
        source.backup(copy)
    os.replace(partial, target)
    return target


_READ_ONLY_PROBLEM = (
    "Your J3490 Desk data cannot be written: the file or its folder is read-only.",
    "Ask your IT person to give your user write permission on the data folder.",
)
# What SQLite says, and what the user can do about it. Anything else is a bug.
_STORAGE_PROBLEMS = (
    (
        ("database or disk is full",),
        "The disk holding your J3490 Desk data is full; the last change was not saved.",
        "Free some disk space (empty the recycle bin, move old files), then save again.",
    ),
    (("readonly database", "read-only"), *_READ_ONLY_PROBLEM),
    (
        ("database is locked",),
        "Another program kept the J3490 Desk database busy; the last change was not saved.",
        "Wait a moment and save again. Backup or antivirus software can hold the file briefly.",
    ),
)


def _storage_error(error: Exception) -> Exception:
    text = str(getattr(error, "orig", error)).lower()
    for needles, message, hint in _STORAGE_PROBLEMS:
        if any(needle in text for needle in needles):
            return StorageError(message, hint)
    return error


def _engine(
    path: Path,
    key: DataKey | None,
    *,
    immediate: bool,
    foreign_keys: bool = True,
    read_only: bool = False,
) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{path}",
        module=driver(key),  # SQLCipher's errors then become SQLAlchemy's, like sqlite3's
        creator=lambda: connect(
            path, key, read_only=read_only, immutable=read_only, timeout=BUSY_TIMEOUT_MS / 1000
        ),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        if not read_only:  # an immutable file keeps the journal mode it has, and is never synced
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            # FULL: a save that returned survives a power cut, not just a crash
            dbapi_connection.execute("PRAGMA synchronous=FULL")
        dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
