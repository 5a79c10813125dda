"""Every row of a claims database, engine-neutral, to compare a copy with its source."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select

from j3490_desk.storage.database import Database
from j3490_desk.storage.database_attachment_store import DatabaseAttachmentStore
from j3490_desk.storage.encryption import DataKey
from j3490_desk.storage.server_database import open_server_database
from j3490_desk.storage.server_url import parse_server_url
from j3490_desk.storage.table_copy import row_tables

Dump = dict[str, list[tuple[Any, ...]]]


def dump(connection: Connection) -> Dump:
    return {
        table.name: [
            tuple(row)
            for row in connection.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in row_tables(connection)
    }


def dump_folder(database: Path, key: DataKey | None = None) -> Dump:
    engine = Database(database, key).engine(immediate=False)
    try:
        with engine.connect() as connection:
            return dump(connection)
    finally:
        engine.dispose()


def dump_server(url: str) -> Dump:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return dump(connection)
    finally:
        engine.dispose()


def server_contents(url: str) -> dict[str, str]:
    """SHA-256 -> SHA-256 of what the server's store returns for it (equal when intact)."""
    db = open_server_database(parse_server_url(url))
    try:
        store = DatabaseAttachmentStore(db)
        return {
            sha256: hashlib.sha256(store.read_bytes(sha256)).hexdigest()
            for sha256 in store.stored_hashes()
        }
    finally:
        db.dispose()


def folder_files(root: Path) -> dict[str, str]:
    """Every file in a data folder by its SHA-256 (the lock file only holds a process id)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }
