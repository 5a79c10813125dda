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

Attachment content is not copied here: the server keeps it in `attachment_content` and
`attachment_chunk` through its own store (`storage.database_attachment_store`), which the
callers use, and a folder or a backup keeps it as files.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, Table, func, insert, select, text

CONTENT_TABLES = ("attachment_content", "attachment_chunk")
_OWN_TABLES = ("alembic_version",)  # each database keeps the revision its migrations stamped
_BATCH_ROWS = 500


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
    metadata = MetaData()
    metadata.reflect(connection)
    return ", ".join(f'"{name}"' for name in metadata.tables if name not in _OWN_TABLES)


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
