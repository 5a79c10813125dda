"""The shared claims database: one PostgreSQL database that every seat of a clinic uses at once.

The same tables, migrations and services as the one-seat SQLite file (`storage.database`), so a
`ServerDatabase` answers the same `read()`, `write()` and `read_plain()`. What differs is kept
here: how a server that cannot be reached, a wrong password or a database that is not ours is
told to the clerk, and that two seats opening an older schema at once migrate it only once
(a session advisory lock). PostgreSQL runs each migration's DDL inside its transaction, so a
migration that fails leaves the schema as it was.

Seats writing at the same moment are kept apart by PostgreSQL itself (row locks) and by the
claim's version counter (a save over someone else's newer save is refused, see
`models.tables.Claim`); the audit chain takes its own lock (`storage.audit`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from j3490_desk.errors import DatabaseDamagedError, KnownError, NewerDatabaseError, StorageError
from j3490_desk.storage.server_url import ServerAddress, keychain_password

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

CONNECT_TIMEOUT_S = 10
IDLE_PING_S = 30  # a pooled connection idle longer is checked before it is used again
APPLICATION_NAME = "J3490 Desk"
# pg_advisory_lock keys: any 64-bit numbers no other program on the server uses for these.
MIGRATION_LOCK = 0x4A33_3439_0001  # "J349", 1
AUDIT_LOCK = 0x4A33_3439_0002  # serialises appends to the audit hash chain


class ServerUnreachableError(StorageError):
    """The server does not answer: nothing was saved by the change that found it out."""


class ServerLoginError(KnownError):
    """The server refused the user name or password."""


class ServerTlsError(KnownError):
    """The server's TLS (sslmode) could not be set up as this seat asks."""


class ConcurrentSaveError(StorageError):
    """Another seat's save collided with this one (deadlock, serialization failure): retry."""


class ServerDatabase:
    """A clinic's PostgreSQL database, opened by `open_server_database`."""

    shared = True
    key = None  # folder encryption is the one-seat folder's; the server protects itself
    read_only = False

    def __init__(self, server: ServerAddress, engine: Engine) -> None:
        self.server = server
        self._engine = engine

    def engine(self, *, immediate: bool = True) -> Engine:
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with (
            translated_errors(self.server, OPENED),
            Session(self._engine, expire_on_commit=False) as session,
        ):
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        from sqlmodel import Session

        with (
            translated_errors(self.server),
            Session(self._engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            # No audit head file: the chain is the server's, and every seat appends to it.
            session.info.update(data_folder=None, data_key=None)
            yield session

    @contextmanager
    def read_plain(self) -> Iterator[PlainConnection]:
        """A DB-API connection taking the same SQL and parameters as SQLite's (see PlainConnection).

        In autocommit, as sqlite3 reads: each query sees the latest saves, with no BEGIN and
        ROLLBACK round trips, and psycopg keeps the statements it has prepared (a ROLLBACK makes
        it forget them), so the work queue's page is planned once per connection, not per call.
        """
        with translated_errors(self.server, OPENED):
            connection = self._engine.raw_connection()
            driver: Any = connection.driver_connection  # a psycopg Connection
            try:
                driver.autocommit = True
                yield PlainConnection(driver)
            finally:
                if driver.closed or driver.broken:
                    connection.invalidate()  # dropped by the server: the pool makes a new one
                else:
                    driver.autocommit = False  # the ORM's sessions begin their own transactions
                connection.close()  # back to the pool

    def dispose(self) -> None:
        self._engine.dispose()


class PlainConnection:
    """psycopg behind sqlite3's face: the plain-SQL queries are written once, for both engines.

    They name parameters `:name` or mark them `?`, as sqlite3 takes them; psycopg wants
    `%(name)s` and `%s` (and a literal % doubled). Only our own fixed SQL passes through here.
    """

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Mapping[str, Any] | Sequence[Any] = ()) -> Any:
        return self._connection.execute(_psycopg_sql(sql, parameters), parameters or None)


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _psycopg_sql(sql: str, parameters: Mapping[str, Any] | Sequence[Any]) -> str:
    sql = sql.replace("%", "%%")
    if isinstance(parameters, Mapping):
        return _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


def open_server_database(server: ServerAddress, *, backups: Path | None = None) -> ServerDatabase:
    """Connect, check the database is ours and not newer, migrate it if older (after writing a
    backup of it into `backups`), and open it."""
    from sqlalchemy import create_engine

    engine = create_engine(server.url, connect_args=_connect_arguments(server))
    _ping_connections_left_idle(engine)
    try:
        with translated_errors(server, OPENING), engine.connect() as connection:
            _check_and_migrate(server, connection, backups)
    except BaseException:
        engine.dispose()
        raise
    return ServerDatabase(server, engine)


def probe_server(server: ServerAddress, password: str | None = None) -> str | None:
    """Connect and read the schema revision (None: an empty database), changing nothing.

    `password` is one just typed, not yet kept; without it, the keychain, PGPASSWORD or
    .pgpass as at start-up. Refusals are the same KnownErrors as `open_server_database`'s.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from j3490_desk.storage.database import is_known_revision

    engine = create_engine(
        server.url, connect_args=_connect_arguments(server, password), poolclass=NullPool
    )
    try:
        with translated_errors(server, OPENING), engine.connect() as connection:
            revision = _revision(server, connection)
            connection.rollback()
    finally:
        engine.dispose()
    if revision is not None and not is_known_revision(revision):
        raise refuse_unknown_revision(server.label, revision)
    return revision


def _connect_arguments(server: ServerAddress, password: str | None = None) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": APPLICATION_NAME,
    }
    password = password or keychain_password(server)
    if password is not None:  # otherwise libpq reads PGPASSWORD or .pgpass itself
        arguments["password"] = password
    return arguments


def _ping_connections_left_idle(engine: Engine) -> None:
    """Before reusing a pooled connection that sat idle, check the server still holds it.

    A server restarted, or a laptop back from sleep, leaves the pool with dead connections; one
    would fail the next save with "cannot be reached" while the server is fine. SQLAlchemy's
    pool_pre_ping checks every time, a round trip per query that the work queue's page cannot
    afford; a connection used within IDLE_PING_S is trusted as it is.
    """
    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def _returned(_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError from error  # the pool replaces it with a new connection


def _check_and_migrate(server: ServerAddress, connection: Any, backups: Path | None) -> None:
    from j3490_desk.storage.database import SCHEMA_HEAD, migrate_connection

    def back_up(revision: str) -> None:
        from j3490_desk.storage.server_copy import back_up_server

        if backups is not None:  # as the older version left it, as a folder's is before its own
            back_up_server(
                ServerDatabase(server, connection.engine),
                backups,
                app_version=f"before-migration-{revision}",
            )

    revision = _revision(server, connection)
    if revision == SCHEMA_HEAD:
        connection.rollback()
        return
    # One seat migrates; another opening at the same moment waits here, then finds it done.
    connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
    try:
        connection.commit()
        with connection.begin():
            if _revision(server, connection) != SCHEMA_HEAD:
                migrate_connection(connection, server.label, before_upgrade=back_up)
    finally:
        connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
        connection.commit()


def _revision(server: ServerAddress, connection: Any) -> str | None:
    """The schema revision of an empty database (None) or of ours; refuse anyone else's."""
    tables = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    }
    if not tables:
        return None
    if "alembic_version" not in tables or "claim" not in tables:
        raise DatabaseDamagedError(
            f"The database {server.label} holds tables of some other program, not J3490 Desk's.",
            "Ask your IT person for an empty database for J3490 Desk (CREATE DATABASE), and "
            "give its URL. Nothing in that database was changed.",
        )
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def refuse_unknown_revision(label: str, revision: str) -> NewerDatabaseError:
    return NewerDatabaseError(
        f"The database {label} was written by a newer version of J3490 Desk (schema {revision}).",
        "Install the newer version of J3490 Desk on this computer, as on the others. Nothing "
        "in the database was changed.",
    )


# What the clerk was doing when the server failed: the message says what that means for them.
OPENING, OPENED, SAVING = "opening", "reading", "saving"


@contextmanager
def translated_errors(server: ServerAddress, doing: str = SAVING) -> Iterator[None]:
    """psycopg's errors as the clerk can act on them; anything else is a bug and goes on."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except (DBAPIError, psycopg.Error) as error:  # the ORM's, or the driver's own (read_plain)
        known = _known_problem(server, error, doing)
        if known is None:
            raise
        raise known from error


def _known_problem(server: ServerAddress, error: Any, doing: str) -> KnownError | None:
    import psycopg.errors as pg

    original = getattr(error, "orig", error)
    text = str(original).lower()
    if isinstance(original, pg.SerializationFailure | pg.DeadlockDetected | pg.LockNotAvailable):
        return ConcurrentSaveError(
            "Another computer was saving the same records at the same moment; this change was "
            "not saved.",
            "Save again: it goes through once the other save is done.",
        )
    if "password authentication failed" in text or "no password supplied" in text:
        return ServerLoginError(
            f"The database server {server.label} refused user {server.url.username!r}: wrong "
            "or missing password.",
            "Store the right password with `j3490-desk database password`, or set PGPASSWORD "
            "or a .pgpass file (see the README's 'Several billers' section).",
        )
    if "does not exist" in text and "database" in text:
        return DatabaseDamagedError(
            f"There is no database {server.url.database!r} on {server.url.host}.",
            "Ask your IT person to create it (CREATE DATABASE) for J3490 Desk, or correct the "
            "URL in Settings > Data.",
        )
    if "permission denied" in text:
        return ServerLoginError(
            f"User {server.url.username!r} may not do this in {server.label} ({original}).",
            "Ask your IT person to give that login the rights the README lists.",
        )
    if "ssl" in text or "certificate" in text:
        return ServerTlsError(
            f"The secure connection (TLS) to the database server {server.label} could not be "
            f"set up: {_reason(original)}.",
            f"With sslmode={server.url.query.get('sslmode', 'prefer')}, the server must offer "
            "TLS, and verify-full also needs its certificate authority in this computer's "
            "PostgreSQL folder (root.crt): ask your IT person. A lower sslmode is only for a "
            "server on this computer.",
        )
    if isinstance(original, pg.OperationalError) or getattr(error, "connection_invalidated", False):
        return _unreachable(server, doing, _reason(original))
    return None


def _unreachable(server: ServerAddress, doing: str, reason: str) -> ServerUnreachableError:
    if doing == OPENING:
        return ServerUnreachableError(
            f"The database server {server.label} cannot be reached ({reason}).",
            "Check that this computer is on the clinic's network and that the server is "
            "running (your IT person knows), then try again. Nothing was changed.",
        )
    if doing == OPENED:
        return ServerUnreachableError(
            f"The database server {server.label} stopped answering ({reason}); what is shown "
            "may be out of date.",
            "Check this computer's network and that the server is running, then try again.",
        )
    return ServerUnreachableError(
        f"The database server {server.label} cannot be reached ({reason}); the last change "
        "was not saved.",
        "Check this computer's network and that the server is running, then save again. "
        "What you typed is still on screen.",
    )


def _reason(error: object) -> str:
    """libpq's own words for why, without where: 'Connection refused', 'timeout expired'."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return "no answer"
    return lines[0].rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()[:200]
