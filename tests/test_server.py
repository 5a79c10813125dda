"""Databases on the test PostgreSQL server: one migrated template, then a copy per test.

Copying a template (CREATE DATABASE ... TEMPLATE) takes a few tens of milliseconds, where
running the migrations takes seconds, so each test still starts from a fresh, empty database.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class TestServer:
    __test__ = False  # not a test class, whatever its name says

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self._admin = create_engine(self.admin_url)
        self._numbers = itertools.count(1)
        self._prefix = f"j3490_t{os.getpid()}_"
        # Each test run its own template: runs at the same time on one server (a developer's
        # and a helper's) would otherwise drop the template while the other copies it.
        self._template = f"{self._prefix}template"
        self._template_ready = False

    def url_of(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def execute(self, sql: str) -> Any:
        with self._admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            result = connection.exec_driver_sql(sql)
            return result.fetchall() if result.returns_rows else None

    @contextmanager
    def fresh_database(self) -> Iterator[str]:
        """A new database at the head schema; dropped (with its connections) afterwards."""
        self._make_template()
        name = f"{self._prefix}{next(self._numbers)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {self._template}")
        try:
            yield self.url_of(name)
        finally:
            self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @contextmanager
    def empty_database(self) -> Iterator[str]:
        """A new database with no tables at all (for moves, migrations and refusals)."""
        name = f"{self._prefix}{next(self._numbers)}"
        self.execute(f"CREATE DATABASE {name}")
        try:
            yield self.url_of(name)
        finally:
            self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _make_template(self) -> None:
        if self._template_ready:
            return
        from j3490_desk.storage.server_database import open_server_database
        from j3490_desk.storage.server_url import parse_server_url

        self.execute(f"DROP DATABASE IF EXISTS {self._template} WITH (FORCE)")
        self.execute(f"CREATE DATABASE {self._template}")
        open_server_database(parse_server_url(self.url_of(self._template))).dispose()
        self._template_ready = True

    def close(self) -> None:
        if self._template_ready:
            self.execute(f"DROP DATABASE IF EXISTS {self._template} WITH (FORCE)")
        self._admin.dispose()
