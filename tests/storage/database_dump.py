"""Every row of a claims database, engine-neutral, to compare a copy with its source."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select

from j3490_desk.storage.database import Database
from j3490_desk.storage.encryption import DataKey
from j3490_desk.storage.table_copy import content_hashes, read_content, row_tables

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
    """SHA-256 -> SHA-256 of what the server returns for it (equal when intact)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                sha256: hashlib.sha256(read_content(connection, sha256)).hexdigest()
                for sha256 in content_hashes(connection)
            }
    finally:
        engine.dispose()


def folder_files(root: Path) -> dict[str, str]:
    """Every file in a data folder by its SHA-256 (the lock file only holds a process id)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }
