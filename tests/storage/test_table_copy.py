"""Attachment content on the server: 512 KiB chunks from position 0, read back whole."""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import create_engine

from j3490_desk.storage.table_copy import (
    CONTENT_CHUNK,
    content_problems,
    read_content,
    store_content,
)

pytestmark = pytest.mark.postgresql


def test_content_is_kept_in_chunks_and_read_back_whole(shared_url: str) -> None:
    content = os.urandom(2 * CONTENT_CHUNK + 1000)
    sha256 = hashlib.sha256(content).hexdigest()
    engine = create_engine(shared_url)
    try:
        with engine.begin() as connection:
            store_content(connection, sha256, content)
            store_content(connection, sha256, content)  # the same content again: kept once
        with engine.connect() as connection:
            chunks = connection.exec_driver_sql(
                "SELECT position, length(data) FROM attachment_chunk ORDER BY position"
            ).all()
            assert chunks == [(0, CONTENT_CHUNK), (1, CONTENT_CHUNK), (2, 1000)]
            assert connection.exec_driver_sql(
                "SELECT size_bytes, chunk_count FROM attachment_content"
            ).one() == (len(content), 3)
            assert read_content(connection, sha256) == content
            assert content_problems(connection, [sha256]) == []
        with engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM attachment_chunk WHERE position = 1")
        with engine.connect() as connection:
            assert content_problems(connection, [sha256, "0" * 64]) == [
                f"attachment {'0' * 64} is missing",
                f"attachment content {sha256} has missing or extra chunks",
            ]
    finally:
        engine.dispose()
