"""One schema, one set of migrations (issue 17): the head schema the migrations build on SQLite
and on PostgreSQL is the same, and it is the one the models describe.

Each side is read back by SQLAlchemy's inspector and reduced to what must agree on both engines:
tables; columns with their nullability and a type family (SQLite's and PostgreSQL's own type
names differ, what is stored in them must not); primary keys; foreign keys with their ON DELETE;
unique constraints; indexes by name and columns. A migration that forgets a column or an index
the models have fails here, as does one that builds something different on one engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import j3490_desk.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.server_url import DATABASE_URL_ENV

pytestmark = pytest.mark.postgresql

MIGRATIONS_ONLY = {"alembic_version"}  # Alembic's own bookkeeping: no model describes it

Schema = dict[str, dict[str, Any]]


def test_the_migrations_build_the_same_schema_on_sqlite_and_on_postgresql(
    tmp_path: Path, shared_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_sqlite = _sqlite_head_schema(tmp_path, monkeypatch)
    on_server = _server_head_schema(shared_url)

    assert sorted(on_sqlite) == sorted(on_server)
    for table in on_sqlite:
        assert on_sqlite[table] == on_server[table], table


def test_the_migrated_schema_is_the_one_the_models_describe(
    tmp_path: Path, shared_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_models = _models_schema()
    for engine_name, migrated in (
        ("sqlite", _sqlite_head_schema(tmp_path, monkeypatch)),
        ("postgresql", _server_head_schema(shared_url)),
    ):
        tables = {name: shape for name, shape in migrated.items() if name not in MIGRATIONS_ONLY}
        assert sorted(tables) == sorted(from_models), engine_name
        for table, shape in tables.items():
            assert shape == from_models[table], f"{engine_name}: {table}"


def _sqlite_head_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Schema:
    # With --engine postgresql every test points the app at the server: this side is the file.
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    data = open_app_data(tmp_path / "sqlite-data")
    try:
        assert not data.db.shared
        return _reflected(data.db.engine(immediate=False))
    finally:
        data.close()


def _server_head_schema(url: str) -> Schema:
    engine = create_engine(url)
    try:
        return _reflected(engine)
    finally:
        engine.dispose()


def _reflected(engine: Engine) -> Schema:
    inspector = inspect(engine)
    schema: Schema = {}
    for table in inspector.get_table_names():
        primary_key = inspector.get_pk_constraint(table)["constrained_columns"]
        schema[table] = {
            "columns": {
                column["name"]: _column(
                    column["type"],
                    nullable=column["nullable"] and column["name"] not in primary_key,
                )
                for column in inspector.get_columns(table)
            },
            "primary key": tuple(primary_key),
            "foreign keys": sorted(
                _foreign_key(
                    fk["constrained_columns"],
                    fk["referred_table"],
                    fk["referred_columns"],
                    fk.get("options", {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(
                tuple(unique["column_names"]) for unique in inspector.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
                # PostgreSQL also lists the index behind each unique constraint, SQLite does not
                if not index.get("duplicates_constraint")
            ),
        }
    return schema


def _models_schema() -> Schema:
    schema: Schema = {}
    for table in SQLModel.metadata.sorted_tables:
        primary_key = [column.name for column in table.primary_key.columns]
        schema[table.name] = {
            "columns": {
                column.name: _column(
                    column.type, nullable=bool(column.nullable) and column.name not in primary_key
                )
                for column in table.columns
            },
            "primary key": tuple(primary_key),
            "foreign keys": sorted(
                _foreign_key(
                    [element.parent.name for element in fk.elements],
                    fk.referred_table.name,
                    [element.column.name for element in fk.elements],
                    fk.ondelete,
                )
                for fk in table.foreign_key_constraints
            ),
            "unique": sorted(
                tuple(column.name for column in constraint.columns)
                for constraint in table.constraints
                if isinstance(constraint, sa.UniqueConstraint)
            ),
            "indexes": sorted(
                (index.name, tuple(column.name for column in index.columns), bool(index.unique))
                for index in table.indexes
            ),
        }
    return schema


def _column(column_type: Any, *, nullable: bool) -> tuple[str, bool]:
    return _type_family(column_type), nullable


def _foreign_key(
    columns: list[str], referred_table: str, referred_columns: list[str], ondelete: str | None
) -> tuple[tuple[str, ...], str, tuple[str, ...], str]:
    # SQLite reports no ON DELETE as None, PostgreSQL as None or NO ACTION: the same rule.
    action = (ondelete or "NO ACTION").upper()
    return tuple(columns), referred_table, tuple(referred_columns), action


def _type_family(column_type: Any) -> str:
    """What a column holds, whatever each engine calls it: text keeps its length limit, because
    PostgreSQL enforces a VARCHAR(n) that SQLite ignores."""
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    for family, types in (
        ("boolean", (sa.Boolean,)),
        ("integer", (sa.Integer,)),
        ("datetime", (sa.DateTime,)),
        ("date", (sa.Date,)),
        ("number", (sa.Numeric, sa.Float)),
        ("binary", (sa.LargeBinary,)),
    ):
        if isinstance(column_type, types):
            return family
    if isinstance(column_type, sa.String):
        return f"text({column_type.length})" if column_type.length else "text"
    raise AssertionError(f"a column type this test does not know: {column_type!r}")
