"""The DB-API connection the plain-SQL queries run on, whichever the engine.

On the one-seat file it is sqlite3's (or SQLCipher's) own connection; on the server,
`server_database.PlainConnection`, which takes the same `:name` and `?` parameters. The queries
are written once for both, in SQL both take. Where one engine lacks the other's function or
answers the same SQL differently (reading a JSON array, case in LIKE), the query asks
`on_server` and says why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from j3490_desk.storage.server_database import PlainConnection


class PlainCursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class PlainSQL(Protocol):
    def execute(
        self, sql: str, parameters: Mapping[str, Any] | Sequence[Any] = ..., /
    ) -> PlainCursor: ...


def on_server(connection: PlainSQL) -> bool:
    return isinstance(connection, PlainConnection)


def ids_in(connection: PlainSQL, name: str) -> str:
    """A sub-select of the ids in the JSON array parameter `:name`, for `column IN (...)`.

    One parameter however many ids: SQLite takes thousands of named parameters slowly (25x
    slower than json_each at 5,000), and both engines read a JSON array, each by its own name.
    """
    if on_server(connection):
        return f"SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(:{name} AS json))"
    return f"SELECT value FROM json_each(:{name})"
