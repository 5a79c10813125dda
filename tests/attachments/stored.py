"""Reaching stored attachment content behind the store's back, on either engine: only for
counting or damaging it in tests, never for reading it (the app reads through the store).

In a data folder it is a file per content; on a shared database a row and its chunks."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from j3490_desk.models.shared import AttachmentChunk, AttachmentContent
from j3490_desk.services.app_data import AppData
from j3490_desk.storage.attachment_store import AttachmentStore


def stored_names(app_data: AppData) -> list[str]:
    """Every stored content (and, in a folder, any staged file left behind)."""
    if app_data.db.shared:
        with app_data.db.read() as session:
            return list(session.exec(select(AttachmentContent.sha256)).scalars())  # type: ignore[call-overload]
    root = app_data.paths.attachments
    return [p.name for p in root.rglob("*") if p.is_file()] if root.exists() else []


def overwrite(app_data: AppData, sha256: str, content: bytes) -> None:
    """Replace the stored content (its first chunk, in the database) with other bytes."""
    if app_data.db.shared:
        with app_data.db.write() as session:
            session.connection().execute(
                update(AttachmentChunk.__table__)  # type: ignore[attr-defined]
                .where(AttachmentChunk.sha256 == sha256, AttachmentChunk.position == 0)
                .values(data=content)
            )
        return
    path = AttachmentStore(app_data.paths.attachments).path_for(sha256)
    path.chmod(0o644)  # stored files are read-only
    path.write_bytes(content)


def remove(app_data: AppData, sha256: str) -> None:
    """Lose the stored content, as a damaged disk or a bad restore would."""
    if app_data.db.shared:
        with app_data.db.write() as session:
            connection = session.connection()
            connection.execute(
                delete(AttachmentChunk.__table__).where(AttachmentChunk.sha256 == sha256)
            )  # type: ignore[attr-defined]
            connection.execute(
                delete(AttachmentContent.__table__).where(AttachmentContent.sha256 == sha256)
            )  # type: ignore[attr-defined]
        return
    AttachmentStore(app_data.paths.attachments).path_for(sha256).unlink()
