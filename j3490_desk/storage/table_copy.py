"""Copying the claims database's rows and attachment content between the two engines.

One copy serves the three places that move a whole database: `database move-to` (a one-seat
SQLite folder into an empty server database), a backup of the server (its rows into a fresh
SQLite snapshot) and a restore onto the server (a backup's rows in place of the server's).

Rows go table by table in foreign-key order, ids kept, inside the caller's transactions. The
tables are read from the databases themselves (reflected), not from the models: a backup
taken before a migration copies a schema older than this version's, column for column.
Values are copied as stored: times and money are text on both engines (the audit hashes cover
that text, so it must not be parsed and re-written), dates and booleans are converted by
SQLAlchemy from SQLite's text and integers to PostgreSQL's types and back, exactly as the ORM
writes them.

Attachment content on the server is kept in `attachment_content` and `attachment_chunk`: one
row per distinct content (named by its SHA-256) and its bytes cut in `CONTENT_CHUNK` pieces,
positions from 0, as the attachment store on the server keeps them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, MetaData, Table, func, insert, inspect, select, text

CONTENT_CHUNK = 512 * 1024
CONTENT_TABLES = ("attachment_content", "attachment_chunk")
_OWN_TABLES = ("alembic_version",)  # each database keeps the revision its migrations stamped
_BATCH_ROWS = 500
_BATCH_BYTES = 8 * 1024 * 1024  # attachment chunks are large: fewer of them per round trip


def row_tables(connection: Connection) -> list[Table]:
    """The tables whose rows a copy moves, parents before children."""
    metadata = MetaData()
    metadata.reflect(connection)
    return [
        table
        for table in metadata.sorted_tables
        if table.name not in _OWN_TABLES and table.name not in CONTENT_TABLES
    ]


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Every row of every table from `source` into the same tables of `target` (which hold
    none); returns how many rows each table got. Both are at the same schema revision."""
    source_tables = {table.name: table for table in row_tables(source)}
    counts: dict[str, int] = {}
    for table in row_tables(target):
        origin = source_tables.pop(table.name, None)
        if origin is None:
            raise RuntimeError(f"table {table.name} is missing from the source database")
        names = [column.name for column in table.columns]
        rows = source.execution_options(yield_per=_BATCH_ROWS).execute(
            select(*(origin.c[name] for name in names)).order_by(*origin.primary_key.columns)
        )
        counts[table.name] = 0
        for batch in rows.partitions():
            target.execute(insert(table), [dict(zip(names, row, strict=True)) for row in batch])
            counts[table.name] += len(batch)
    if source_tables:
        raise RuntimeError(f"tables missing from the target database: {sorted(source_tables)}")
    return counts


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in row_tables(connection)
    }


def lock_server(connection: Connection) -> None:
    """Hold off every other seat's writes until the caller's transaction ends (reads go on)."""
    connection.execute(text(f"LOCK TABLE {_all_tables(connection)} IN EXCLUSIVE MODE"))


def clear_server(connection: Connection) -> None:
    """Empty every table of a server database (within the caller's transaction)."""
    connection.execute(text(f"TRUNCATE {_all_tables(connection)}"))


def _all_tables(connection: Connection) -> str:
    tables = row_tables(connection) + _content_tables(connection)
    return ", ".join(f'"{table.name}"' for table in tables)


def reset_sequences(connection: Connection) -> None:
    """After rows were copied with their ids, PostgreSQL's next id follows the largest one."""
    for table in row_tables(connection):
        if "id" not in table.columns or not table.c.id.primary_key:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name},
        )


# --- attachment content on the server ---------------------------------------------------------


def store_content(connection: Connection, sha256: str, content: bytes) -> None:
    """Keep `content` (whose SHA-256 the caller checked) on the server, unless already there."""
    found = connection.execute(
        text("SELECT 1 FROM attachment_content WHERE sha256 = :sha256"), {"sha256": sha256}
    ).first()
    if found is not None:
        return
    pieces = [content[at : at + CONTENT_CHUNK] for at in range(0, len(content), CONTENT_CHUNK)]
    connection.execute(
        text(
            "INSERT INTO attachment_content (sha256, size_bytes, chunk_count, stored_at) "
            "VALUES (:sha256, :size, :count, :at)"
        ),
        {
            "sha256": sha256,
            "size": len(content),
            "count": len(pieces),
            "at": datetime.now(UTC).isoformat(),
        },
    )
    for batch in _batches(enumerate(pieces)):
        connection.execute(
            text(
                "INSERT INTO attachment_chunk (sha256, position, data) "
                "VALUES (:sha256, :position, :data)"
            ),
            [{"sha256": sha256, "position": at, "data": piece} for at, piece in batch],
        )


def content_hashes(connection: Connection) -> list[str]:
    """Every content kept on the server (none in a schema older than its tables, 0009)."""
    if not inspect(connection).has_table("attachment_content"):
        return []
    return list(
        connection.execute(text("SELECT sha256 FROM attachment_content ORDER BY sha256")).scalars()
    )


def read_content(connection: Connection, sha256: str) -> bytes:
    """The content as kept on the server; ValueError when a chunk is missing or extra."""
    expected = connection.execute(
        text("SELECT size_bytes, chunk_count FROM attachment_content WHERE sha256 = :sha256"),
        {"sha256": sha256},
    ).one()
    pieces = list(
        connection.execute(
            text(
                "SELECT position, data FROM attachment_chunk WHERE sha256 = :sha256 "
                "ORDER BY position"
            ),
            {"sha256": sha256},
        )
    )
    if [row[0] for row in pieces] != list(range(expected[1])):
        raise ValueError(f"attachment content {sha256} has missing or extra chunks")
    content = b"".join(bytes(row[1]) for row in pieces)
    if len(content) != expected[0]:
        raise ValueError(f"attachment content {sha256} is not its recorded size")
    return content


def content_problems(connection: Connection, expected: Iterable[str]) -> list[str]:
    """Read every content back: what is missing, incomplete, or not the content its name says."""
    problems = []
    stored = set(content_hashes(connection))
    for sha256 in sorted(expected):
        if sha256 not in stored:
            problems.append(f"attachment {sha256} is missing")
            continue
        try:
            content = read_content(connection, sha256)
        except ValueError as error:
            problems.append(str(error))
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            problems.append(f"attachment {sha256} does not match its SHA-256")
    return problems


def _content_tables(connection: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(connection, only=CONTENT_TABLES)
    return [metadata.tables[name] for name in CONTENT_TABLES]


def _batches(pieces: Iterable[tuple[int, bytes]]) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    size = 0
    for item in pieces:
        batch.append(item)
        size += len(item[1])
        if size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
