"""Two seats on one claims database: on SQLite two handles on one data folder (two processes
share it that way), on the server (--engine postgresql) two data folders and one database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.storage.server_url import DATABASE_URL_ENV


@pytest.fixture
def two_seats(tmp_path: Path) -> Iterator[tuple[AppData, AppData]]:
    shared = DATABASE_URL_ENV in os.environ
    first = open_app_data(tmp_path / "seat-a")
    second = open_app_data(tmp_path / ("seat-b" if shared else "seat-a"))
    first.user, second.user = "mreyes", "jchen"
    yield first, second
    second.close()
    first.close()
