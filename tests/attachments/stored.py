"""Reaching stored attachment content behind the store's back, on either engine: only for
counting or damaging it in tests, never for reading it (the app reads through the store).

In a data folder it is a file per content; on a shared database a row and its chunks."""

from __future__ import annotations

from sqlalchemy import Table, delete, update
from sqlmodel import select

from j3490_desk.models.shared import AttachmentChunk, AttachmentContent
from j3490_desk.services.app_data import AppData
from j3490_desk.storage.attachment_store import AttachmentStore

CONTENT: Table = AttachmentContent.__table__  # type: ignore[attr-defined]
CHUNK: Table = AttachmentChunk.__table__  # type: ignore[attr-defined]


def stored_names(app_data: AppData) -> list[str]:
    """Every stored content (and, in a folder, any staged file left behind)."""
    if app_data.db.shared:
        with app_data.db.read() as session:
            return list(session.exec(select(AttachmentContent.sha256)))
    root = app_data.paths.attachments
    return [p.name for p in root.rglob("*") if p.is_file()] if root.exists() else []


def overwrite(app_data: AppData, sha256: str, content: bytes) -> None:
    """Replace the stored content (its first chunk, in the database) with other bytes."""
    if app_data.db.shared:
        with app_data.db.write() as session:
            first = (CHUNK.c.sha256 == sha256) & (CHUNK.c.position == 0)
            session.connection().execute(update(CHUNK).where(first).values(data=content))
        return
    path = AttachmentStore(app_data.paths.attachments).path_for(sha256)
    path.chmod(0o644)  # stored files are read-only
    path.write_bytes(content)


def remove(app_data: AppData, sha256: str) -> None:
    """Lose the stored content, as a damaged disk or a bad restore would."""
    if app_data.db.shared:
        with app_data.db.write() as session:
            connection = session.connection()
            connection.execute(delete(CHUNK).where(CHUNK.c.sha256 == sha256))
            connection.execute(delete(CONTENT).where(CONTENT.c.sha256 == sha256))
        return
    AttachmentStore(app_data.paths.attachments).path_for(sha256).unlink()
