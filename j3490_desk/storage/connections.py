"""Opening an SQLite file, plain or encrypted: the one place that knows the difference.

An encrypted database is opened with SQLCipher (`sqlcipher3`, imported only then, so a plain
folder starts as fast as before) and keyed with the raw database key, which skips SQLCipher's
own per-connection PBKDF2: the passphrase was already stretched once, by scrypt, at unlock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from j3490_desk.storage.encryption import DataKey

SQLITE_HEADER = b"SQLite format 3\x00"


def driver(key: DataKey | None) -> ModuleType:
    """The DB-API module for this key: sqlite3, or SQLCipher's drop-in replacement."""
    if key is None:
        return sqlite3
    from sqlcipher3 import dbapi2

    return dbapi2


def database_errors(key: DataKey | None) -> tuple[type[Exception], ...]:
    """What a damaged or unreadable file raises with this key's driver."""
    errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
    return errors if key is None else (*errors, driver(key).DatabaseError)


def connect(
    path: Path,
    key: DataKey | None,
    *,
    read_only: bool = False,
    immutable: bool = False,
    **options: Any,
) -> Any:
    """A DB-API connection to `path`, keyed first when the folder is encrypted.

    `immutable` (implies read-only) promises SQLite that nothing changes the file while it is
    open: no locks and no -shm file, so a database in a folder nobody may write still opens.
    """
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    uri = read_only or immutable
    target = f"{path.as_uri()}?{query}" if uri else str(path)
    # Off: the engine's pool hands a connection to whichever thread asks (background workers),
    # one thread at a time, as SQLAlchemy itself sets it for file databases.
    connection = driver(key).connect(target, uri=uri, check_same_thread=False, **options)
    if key is not None:
        try:
            connection.execute(key_pragma(key))
        except BaseException:
            connection.close()
            raise
    return connection


def key_pragma(key: DataKey) -> str:
    return f"PRAGMA key = {raw_key(key)}"


def raw_key(key: DataKey) -> str:
    """SQLCipher's literal for a raw 256-bit key (no PBKDF2 of its own)."""
    return f"\"x'{key.database_key.hex()}'\""


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file; an encrypted one starts with random bytes."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
