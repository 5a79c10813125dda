"""Alembic environment: the app runs migrations in-process on a connection it already opened."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import j3490_desk.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic revision --autogenerate` by a developer
    raise RuntimeError(
        "run migrations through j3490_desk.storage.database.migrate, which passes a connection"
    )

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
