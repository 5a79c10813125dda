"""Attachment content in the shared database: one `attachment_content` row per distinct content,
named by its SHA-256, and the bytes in `attachment_chunk` rows of `CHUNK_BYTES` each.

So no seat needs a shared folder, and a backup of the server holds every file. The same
interface as the folder's `AttachmentStore`: content is staged in memory (it is at most the
attachment size limit), checked by the caller, then kept in the caller's own transaction, so
the attachment row and its content are committed together or not at all.

Seats add and remove at the same moment; the content row is the lock that keeps them apart:
- two seats keeping the same content: the second's insert finds the first's row
  (ON CONFLICT DO NOTHING waits for the first to commit) and the content is stored once;
- a seat discarding content while another keeps it: both lock the content row first, so the
  discard sees the other's attachment once committed, or the keep finds the row gone and
  stores the content afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects import postgresql

from j3490_desk.errors import KnownError
from j3490_desk.models import Attachment
from j3490_desk.models.remittance import RemittanceFile
from j3490_desk.models.shared import AttachmentChunk, AttachmentContent
from j3490_desk.models.tables import utc_now
from j3490_desk.storage.attachment_store import ContentState, StagedContent, staged_in_memory
from j3490_desk.storage.server_database import ConcurrentSaveError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

    from j3490_desk.storage.server_database import ServerDatabase

CHUNK_BYTES = 512 * 1024  # well under PostgreSQL's 1 GB per value, small enough to stream
_CONTENT = AttachmentContent.__table__  # type: ignore[attr-defined]
_CHUNK = AttachmentChunk.__table__  # type: ignore[attr-defined]
_REFERRING = (Attachment.__table__, RemittanceFile.__table__)  # type: ignore[attr-defined]
# Keeping retries only when a discard on another seat removed the content between our two
# statements; a second removal in the same instant is not expected, a third not possible.
_KEEP_ATTEMPTS = 3


class DatabaseAttachmentStore:
    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    @property
    def place(self) -> str:
        """Where the content is kept, as a message names it."""
        return f"the shared database {self.db.server.label}"

    @contextlib.contextmanager
    def staged(self, source: Path | bytes, *, max_bytes: int) -> Iterator[StagedContent]:
        """Read `source` into memory while hashing it; nothing is written until `keep`."""
        yield staged_in_memory(source, max_bytes)

    def keep(self, staged: StagedContent, *, session: Session | None = None) -> None:
        """Store staged content in `session`'s transaction (its own when None); content already
        stored is kept as is, or rewritten when it was damaged."""
        if session is None:
            with self.db.write() as own:
                self._keep(staged, own.connection())
        else:
            self._keep(staged, session.connection())
        staged.kept = True

    def _keep(self, staged: StagedContent, connection: Connection) -> None:
        assert staged.content is not None
        sha256 = staged.sha256
        for _ in range(_KEEP_ATTEMPTS):
            row = {
                "sha256": sha256,
                "size_bytes": staged.size_bytes,
                "chunk_count": _chunk_count(staged.size_bytes),
                "stored_at": utc_now(),
            }
            if connection.execute(_insert_if_absent(row)).first() is not None:
                _write_chunks(connection, sha256, staged.content)
                return
            # Stored already, perhaps by another seat this very moment: hold the row, so a
            # discard elsewhere waits for our commit (and then sees our attachment).
            if not _lock_content(connection, sha256):
                continue  # discarded between our two statements: store it afresh
            if _state(connection, sha256) is not ContentState.OK:
                connection.execute(delete(_CHUNK).where(_CHUNK.c.sha256 == sha256))
                connection.execute(
                    update(_CONTENT)
                    .where(_CONTENT.c.sha256 == sha256)
                    .values(size_bytes=row["size_bytes"], chunk_count=row["chunk_count"])
                )
                _write_chunks(connection, sha256, staged.content)
            return
        raise ConcurrentSaveError(
            "Another computer was removing the same stored file at the same moment; this change "
            "was not saved.",
            "Save again: it goes through once the other change is done.",
        )

    def read_bytes(self, sha256: str) -> bytes:
        """The stored content, its SHA-256 checked; FileNotFoundError when it is not stored."""
        with self.db.read() as session:
            content = _content(session.connection(), sha256)
        if content is None:
            raise FileNotFoundError(sha256)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise KnownError(
                f"Stored attachment content {sha256[:12]}… is damaged in {self.place} (it is "
                "no longer the content it was stored as).",
                "Restore the database from your latest backup, or attach the file again. "
                "`j3490-desk attachments verify` lists every attachment affected.",
            )
        return content

    def state(self, sha256: str) -> ContentState:
        """Re-hash the stored chunks: is the content there, and still what it is named by?"""
        with self.db.read() as session:
            return _state(session.connection(), sha256)

    def stored_hashes(self) -> Iterator[str]:
        """The SHA-256 of every stored content."""
        with self.db.read() as session:
            rows = session.connection().execute(select(_CONTENT.c.sha256).order_by("sha256"))
            hashes = [str(sha256) for (sha256,) in rows]
        yield from hashes

    def discard(self, sha256: str, *, session: Session) -> None:
        """Delete stored content in `session`'s transaction, unless something refers to it:
        checked again here, under the row's lock, because another seat may have just attached
        the same file (the caller's own check cannot see an add not yet committed)."""
        connection = session.connection()
        if not _lock_content(connection, sha256):
            return
        for table in _REFERRING:
            if connection.execute(select(exists().where(table.c.sha256 == sha256))).scalar():
                return
        connection.execute(delete(_CHUNK).where(_CHUNK.c.sha256 == sha256))
        connection.execute(delete(_CONTENT).where(_CONTENT.c.sha256 == sha256))


def _chunk_count(size: int) -> int:
    return -(-size // CHUNK_BYTES)


def _insert_if_absent(row: dict[str, Any]) -> Any:
    insert = postgresql.insert(_CONTENT).values(row)
    # RETURNING tells whether the row was inserted (psycopg's rowcount here is -1).
    return insert.on_conflict_do_nothing(index_elements=["sha256"]).returning(_CONTENT.c.sha256)


def _write_chunks(connection: Connection, sha256: str, content: bytes) -> None:
    rows = [
        {"sha256": sha256, "position": position, "data": content[start : start + CHUNK_BYTES]}
        for position, start in enumerate(range(0, len(content), CHUNK_BYTES))
    ]
    if rows:
        connection.execute(_CHUNK.insert(), rows)


def _lock_content(connection: Connection, sha256: str) -> bool:
    """Lock the content row until the transaction ends; False when there is none."""
    query = select(_CONTENT.c.sha256).where(_CONTENT.c.sha256 == sha256).with_for_update()
    return connection.execute(query).first() is not None


def _content(connection: Connection, sha256: str) -> bytes | None:
    """The chunks joined, or None when no content of that hash is stored. One statement, so
    one snapshot: a discard committing meanwhile never shows as content cut short. A chunk
    missing or added shows as content that no longer hashes right."""
    rows = connection.execute(
        select(_CHUNK.c.data)
        .select_from(_CONTENT.outerjoin(_CHUNK, _CHUNK.c.sha256 == _CONTENT.c.sha256))
        .where(_CONTENT.c.sha256 == sha256)
        .order_by(_CHUNK.c.position)
    ).all()
    if not rows:
        return None
    return b"".join(bytes(data) for (data,) in rows if data is not None)


def _state(connection: Connection, sha256: str) -> ContentState:
    content = _content(connection, sha256)
    if content is None:
        return ContentState.MISSING
    return (
        ContentState.OK if hashlib.sha256(content).hexdigest() == sha256 else ContentState.CHANGED
    )
